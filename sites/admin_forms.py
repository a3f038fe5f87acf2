"""The admin forms of every page type and of the municipality settings.

What such a form may link to is decided by the rule that no reference crosses municipalities (sites.cross_references),
which builds on the owner rule (sites.ownership). The tenant records sit below the owner rule and the page models
name these forms as their `base_form_class`, so this module imports neither: the forms call the functions
registered with two Wagtail hooks, which sites.wagtail_hooks registers. `hooks.get_hooks` imports every app's
wagtail_hooks before it answers, so the rule is in place whenever a form is built, also outside the admin; a form
that finds no rule registered refuses to work rather than save unchecked.

- `construct_municipality_form(form)` runs at the end of `__init__`, e.g. to offer only the own municipality's
  objects in the form's choice fields.
- `clean_municipality_form(form)` runs at the end of `clean()` and adds errors to the form or its inline forms.
"""

from django.core.exceptions import ImproperlyConfigured
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

CONSTRUCT_HOOK = "construct_municipality_form"
CLEAN_HOOK = "clean_municipality_form"


def _registered(hook_name):
    functions = hooks.get_hooks(hook_name)
    if not functions:
        raise ImproperlyConfigured(
            f"No function is registered with the Wagtail hook {hook_name!r}: the admin forms of pages and "
            "municipality settings must not save without the rule that references stay inside one municipality."
        )
    return functions


class MunicipalityFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for function in _registered(CONSTRUCT_HOOK):
            function(self)

    def clean(self):
        cleaned_data = super().clean()
        for function in _registered(CLEAN_HOOK):
            function(self)
        return cleaned_data


class MunicipalityPageForm(MunicipalityFormMixin, WagtailAdminPageForm):
    """The form of every page type (`BasePage.base_form_class`)."""


class MunicipalitySettingsForm(MunicipalityFormMixin, WagtailAdminModelForm):
    """The form of the municipality settings (`MunicipalitySettings.base_form_class`)."""
