from django.db import migrations

PERMISSIONS = {
    "webhookendpoint": {
        "add_webhookendpoint": "Can add Webhook",
        "change_webhookendpoint": "Can change Webhook",
        "delete_webhookendpoint": "Can delete Webhook",
        "view_webhookendpoint": "Can view Webhook",
    },
    "webhookdelivery": {
        "view_webhookdelivery": "Can view Webhook-Zustellung",
        "change_webhookdelivery": "Can change Webhook-Zustellung",
    },
}


def grant_moderators(apps, schema_editor):
    """Municipalities onboarded before webhooks existed get the same moderator permissions as new ones."""
    # Django creates permissions after all migrations ran; these are needed now, so they are created here.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Municipality = apps.get_model("sites", "Municipality")
    permissions = []
    for model, codenames in PERMISSIONS.items():
        content_type, _created = ContentType.objects.get_or_create(app_label="webhooks", model=model)
        permissions += [
            Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": name})[0]
            for codename, name in codenames.items()
        ]
    for municipality in Municipality.objects.exclude(moderators_group=None).select_related("moderators_group"):
        municipality.moderators_group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("sites", "0003_remove_instance_wide_default_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant_moderators, migrations.RunPython.noop)]
