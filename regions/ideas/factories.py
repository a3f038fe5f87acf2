import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from regions.calls.factories import CallForIdeasPageFactory
from regions.ideas.models import IdeaStatus, IdeaSubmission, pseudonym_for
from sites.ownership import owners_for


class IdeaSubmissionFactory(DjangoModelFactory):
    """A confirmed idea on an open call; `status=...` and `call=...` as needed."""

    class Meta:
        model = IdeaSubmission

    call = factory.SubFactory(CallForIdeasPageFactory, is_open=True)
    home_page = factory.LazyAttribute(lambda idea: owners_for(None).of(idea.call).home_page)
    title = factory.Sequence(lambda n: f"Idee {n}")
    description = "Mehr Sitzbänke an den Haltestellen, damit ältere Menschen bequemer warten können."
    status = IdeaStatus.CONFIRMED
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    consent_text_version = "2026-01"
    consent_given_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)
    pseudonym = factory.LazyAttribute(lambda idea: pseudonym_for(idea.email, idea.call.pk))
    idempotency_key = factory.Sequence(lambda n: f"factory-key-{n:06d}")
    content_fingerprint = factory.Sequence(lambda n: f"{n:064d}")
