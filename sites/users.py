"""The admin's user forms, with one rule added: an account that is not a superuser works for a municipality."""

from django.core.exceptions import ValidationError
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

from sites.models import Municipality

NO_MUNICIPALITY = (
    "Dieses Konto ist keiner Kommune zugeordnet. Bitte die Gruppe „… – Redaktion“ oder „… – Freigabe“ einer "
    "Kommune auswählen, oder das Konto als Administrator kennzeichnen."
)


def check_municipality_assignment(form):
    data = form.cleaned_data
    if data.get("is_superuser") or data.get("is_active") is False or "groups" not in data:
        return
    group_ids = [group.pk for group in data["groups"]]
    assigned = Municipality.objects.filter(editors_group_id__in=group_ids) | Municipality.objects.filter(
        moderators_group_id__in=group_ids
    )
    if not assigned.exists():
        form.add_error("groups", ValidationError(NO_MUNICIPALITY, code="no_municipality"))


class MunicipalityUserCreationForm(UserCreationForm):
    def clean(self):
        cleaned_data = super().clean()
        check_municipality_assignment(self)
        return cleaned_data


class MunicipalityUserEditForm(UserEditForm):
    def clean(self):
        cleaned_data = super().clean()
        check_municipality_assignment(self)
        return cleaned_data


class MunicipalityUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return MunicipalityUserEditForm if for_update else MunicipalityUserCreationForm
