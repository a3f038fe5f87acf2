from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "cms.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The receiver needs the models loaded, so it is connected here (Django's way). It listens to the one change
        # pipeline (cms.signals.public_changes), not to Wagtail's page signals.
        from cms.webhooks import events

        events.connect()
