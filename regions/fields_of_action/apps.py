from django.apps import AppConfig


class FieldsOfActionConfig(AppConfig):
    name = "regions.fields_of_action"
    label = "fields_of_action"
    verbose_name = "Handlungsfelder"
    default_auto_field = "django.db.models.BigAutoField"
