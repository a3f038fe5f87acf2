from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "regions.ideas"
    label = "ideas"
    verbose_name = "Ideen"
    default_auto_field = "django.db.models.BigAutoField"
