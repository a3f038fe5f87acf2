from django.apps import AppConfig


class ChangefeedConfig(AppConfig):
    name = "cms.changefeed"
    label = "changefeed"
    verbose_name = "Änderungsprotokoll"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Signal receivers and root fields need the models loaded, so they are wired here (Django's way).
        from cms.changefeed import api, signals

        signals.connect()
        api.register()
