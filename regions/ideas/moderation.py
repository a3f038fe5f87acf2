"""Moderation of ideas in the admin, scoped to the moderator's own municipalities."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic

from regions.calls.models import CallForIdeasPage
from regions.ideas.models import MODERATION_STATUSES, IdeaStatus, IdeaSubmission
from sites.tenancy import restrict_to_user


def ideas_for(user):
    """The ideas a user may moderate: all for superusers, otherwise those of the user's municipalities."""
    return restrict_to_user(IdeaSubmission.objects.all(), user)


def calls_for(request):
    return restrict_to_user(CallForIdeasPage.objects.all(), request.user).order_by("title")


class IdeaFilterSet(WagtailFilterSet):
    call = django_filters.ModelChoiceFilter(label="Ideenaufruf", queryset=calls_for)
    status = django_filters.ChoiceFilter(label="Status", choices=IdeaStatus.choices)

    class Meta:
        model = IdeaSubmission
        fields = ["call", "status"]


class ModerationForm(forms.ModelForm):
    class Meta:
        model = IdeaSubmission
        fields = ["status", "moderator_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status
        allowed = {current, *MODERATION_STATUSES}
        self.fields["status"].choices = [(value, label) for value, label in IdeaStatus.choices if value in allowed]

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status != self.instance.status and self.instance.status == IdeaStatus.RECEIVED:
            raise ValidationError(
                "Die einreichende Person hat ihre E-Mail-Adresse noch nicht bestätigt; die Idee kann erst danach "
                "moderiert werden."
            )
        return status


class ScopedQuerysetMixin:
    def get_base_queryset(self):
        return ideas_for(self.request.user).select_related("call", "field_of_action")


class IdeaIndexView(ScopedQuerysetMixin, generic.IndexView):
    pass


class ScopedObjectMixin:
    def get_object(self, queryset=None):
        return get_object_or_404(ideas_for(self.request.user), pk=self.kwargs[self.pk_url_kwarg])


class IdeaEditView(ScopedObjectMixin, generic.EditView):
    pass


class IdeaInspectView(ScopedObjectMixin, generic.InspectView):
    pass


class IdeaDeleteView(ScopedObjectMixin, generic.DeleteView):
    pass
