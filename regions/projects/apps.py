from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "regions.projects"
    label = "projects"
    verbose_name = "Projekte"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Root fields are registered once the models are loaded, before the API builds its schema.
        from regions.projects import api

        api.register()
