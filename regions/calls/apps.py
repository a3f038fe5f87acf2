from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "regions.calls"
    label = "calls"
    verbose_name = "Ideenaufrufe"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Root fields are registered once the models are loaded, before the API builds its schema.
        from regions.calls import api

        api.register()
