from django.db import migrations

WAGTAIL_DEFAULT_GROUPS = ["Editors", "Moderators"]


def remove_default_groups(apps, schema_editor):
    """Wagtail's migrations create "Editors" and "Moderators" with permissions on the tree root and the root
    collection, i.e. on every municipality at once. One click in the user form would make an editor of one city an
    editor of all; municipality groups come from onboarding instead. Groups that already have members are kept."""
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sites", "0002_municipality_tenancy"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailimages", "0002_initial_data"),
        ("wagtaildocs", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(remove_default_groups, migrations.RunPython.noop)]
