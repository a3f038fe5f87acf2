from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "regions.ideas"
    label = "ideas"
    verbose_name = "Ideen"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Root fields are registered once the models are loaded, before the API builds its schema.
        from regions.ideas import api

        api.register()
