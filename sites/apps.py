from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class SitesConfig(AppConfig):
    # apps.py holds a second config (the users app's), so Django needs to be told which one "sites" means.
    default = True
    name = "sites"
    label = "sites"
    verbose_name = "Kommunen"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Runs before grapple's ready(), which builds the types from `graphql_fields` (sites is listed first).
        from sites import api

        api.register()


class MunicipalityUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms that require every non-superuser account to belong to a municipality."""

    user_viewset = "sites.users.MunicipalityUserViewSet"
