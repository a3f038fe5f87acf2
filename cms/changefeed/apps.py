from django.apps import AppConfig


class ChangefeedConfig(AppConfig):
    name = "cms.changefeed"
    label = "changefeed"
    verbose_name = "Änderungsprotokoll"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms.changefeed.signals import connect

        connect()
