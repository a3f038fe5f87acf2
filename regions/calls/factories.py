from datetime import timedelta

import factory
import wagtail_factories
from django.utils import timezone
from django.utils.text import slugify

from regions.calls.models import CallForIdeasPage, CallIndexPage, FundingPot
from sites.factories import MunicipalityHomePageFactory


class CallIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CallIndexPage

    parent = factory.SubFactory(MunicipalityHomePageFactory)
    title = "Ideenaufrufe"
    slug = "ideenaufrufe"
    intro = "Bringen Sie Ihre Ideen für unsere Stadt ein."


class CallForIdeasPageFactory(wagtail_factories.PageFactory):
    """An upcoming call (no opening time yet). The traits `is_open=True` and `is_closed=True` set matching times."""

    class Meta:
        model = CallForIdeasPage

    class Params:
        # Relative to now, because the status is derived from the times when it is read.
        is_open = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=7)),
            closes_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=30)),
        )
        is_closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=60)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
        )

    parent = factory.SubFactory(CallIndexPageFactory)
    title = factory.Sequence(lambda n: f"Ideenaufruf {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    description = factory.LazyAttribute(lambda page: f"Reichen Sie Ihre Idee zum Aufruf „{page.title}“ ein.")
    opens_at = None
    closes_at = None
    funding_pot = FundingPot.REGULAR
    eligibility = "Alle Bürgerinnen und Bürger, Vereine und Initiativen."
    how_to_participate = "Beschreiben Sie Ihre Idee im Formular."
