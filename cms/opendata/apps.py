from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "cms.opendata"
    label = "opendata"
    verbose_name = "Offene Daten"
    default_auto_field = "django.db.models.BigAutoField"
