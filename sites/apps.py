from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class SitesConfig(AppConfig):
    name = "sites"
    label = "sites"
    verbose_name = "Kommunen"
    default_auto_field = "django.db.models.BigAutoField"


class MunicipalityUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms that require every non-superuser account to belong to a municipality."""

    user_viewset = "sites.users.MunicipalityUserViewSet"
