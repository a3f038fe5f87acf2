from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "sites"
    label = "sites"
    verbose_name = "Kommunen"
    default_auto_field = "django.db.models.BigAutoField"
