from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "regions.programme"
    label = "programme"
    verbose_name = "Förderprogramm"
    default_auto_field = "django.db.models.BigAutoField"
