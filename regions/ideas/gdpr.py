"""GDPR tooling for ideas: access (Art. 15), erasure (Art. 17) and anonymisation after the retention period.

Anonymising clears every field in PERSONAL_FIELDS and keeps the idea with its stable pseudonym, which can no longer
be linked to a person once the e-mail address is gone. Erasing deletes the idea, unless it is published and the
submitter agreed that its text may stay published; then it is anonymised instead.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from regions.calls.models import CallForIdeasPage
from regions.ideas.models import PERSONAL_FIELDS, IdeaStatus, IdeaSubmission

EXPORT_FIELDS = [
    "reference",
    "title",
    "description",
    "status",
    "submitted_at",
    "confirmed_at",
    "pseudonym",
    "keep_text_after_erasure",
    "anonymised_at",
    *PERSONAL_FIELDS,
]


def _serialise(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def export_idea(idea):
    data = {name: _serialise(getattr(idea, name)) for name in EXPORT_FIELDS}
    data["call"] = idea.call.title
    data["municipality"] = idea.home_page.official_name
    data["field_of_action"] = idea.field_of_action.title if idea.field_of_action_id else None
    return data


def export_for_email(email, ideas=None):
    """Everything stored about an e-mail address, as JSON-serialisable data."""
    ideas = (ideas if ideas is not None else IdeaSubmission.objects.all()).for_email(email)
    ideas = ideas.select_related("call", "home_page", "field_of_action").order_by("submitted_at")
    return {"email": email, "generated_at": timezone.now().isoformat(), "ideas": [export_idea(i) for i in ideas]}


def anonymise(ideas):
    """Clears the personal data of the given ideas; returns how many were changed."""
    cleared = {name: "" for name in PERSONAL_FIELDS}
    cleared.update(client_address=None, consent_given_at=None, anonymised_at=timezone.now())
    return ideas.filter(anonymised_at__isnull=True).update(**cleared)


@transaction.atomic
def erase_for_email(email, ideas=None):
    """Erases what is stored about an e-mail address; returns (deleted, anonymised)."""
    ideas = (ideas if ideas is not None else IdeaSubmission.objects.all()).for_email(email)
    kept = ideas.filter(status=IdeaStatus.PUBLISHED, keep_text_after_erasure=True)
    anonymised = anonymise(kept)
    deleted, _by_model = ideas.exclude(pk__in=kept.values("pk")).delete()
    return deleted, anonymised


@transaction.atomic
def anonymise_expired(days, now=None):
    """Anonymises all ideas of calls that closed more than `days` days ago; returns how many were changed."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    closed_calls = CallForIdeasPage.objects.filter(closes_at__lte=cutoff)
    return anonymise(IdeaSubmission.objects.filter(call__in=closed_calls))
