from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "regions.calls"
    label = "calls"
    verbose_name = "Ideenaufrufe"
    default_auto_field = "django.db.models.BigAutoField"
