"""Factories for a municipality: home page, Site, media collection, settings and generic content pages.

`MunicipalityHomePageFactory()` builds a complete, reachable municipality in one call; `create_municipality()` is the
short form for tests that only care about the hostname or the regional key.
"""

import factory
import wagtail_factories
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from wagtail.models import Collection, Page

from sites.models import ContentPage, Municipality, MunicipalityHomePage, MunicipalitySettings
from sites.validators import FEDERAL_STATES


def paragraph(text):
    """Raw StreamField data for one paragraph block; a fresh list each call, because Wagtail adds block ids to it."""
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def make_regional_key(n):
    """A valid, unique Amtlicher Regionalschlüssel for sequence number `n`.

    The federal state cycles through 01-16; the district code 99 is used by no real district, so generated keys never
    collide with real municipalities such as the demo content (Kiel 010020000000, Kassel 066110000000).
    """
    state = n % len(FEDERAL_STATES) + 1
    return f"{state:02d}099{n:07d}"


class MunicipalitySettingsFactory(DjangoModelFactory):
    class Meta:
        model = MunicipalitySettings
        # MunicipalitySettings.for_site() may already have created the row.
        django_get_or_create = ("site",)

    site = factory.SubFactory("sites.factories.MunicipalitySiteFactory", settings=None)
    frontend_base_url = factory.LazyAttribute(lambda settings: f"http://{settings.site.hostname}:3000")
    preview_url = factory.LazyAttribute(lambda settings: f"{settings.frontend_base_url}/preview")


class MunicipalitySiteFactory(wagtail_factories.SiteFactory):
    class Meta:
        # The related settings point at the site; the site itself has nothing left to save.
        skip_postgeneration_save = True

    hostname = factory.Sequence(lambda n: f"city-{n}.localhost")
    port = 80
    site_name = factory.LazyAttribute(lambda site: site.root_page.title)
    root_page = factory.SubFactory("sites.factories.MunicipalityHomePageFactory", site=None)
    is_default_site = False

    settings = factory.RelatedFactory(MunicipalitySettingsFactory, factory_related_name="site")


class MunicipalityFactory(DjangoModelFactory):
    """The tenant record; onboarding also gives it groups and a workflow, which tests of the API do not need."""

    class Meta:
        model = Municipality
        django_get_or_create = ("home_page",)

    home_page = factory.SubFactory("sites.factories.MunicipalityHomePageFactory", tenant=None)


class MunicipalityHomePageFactory(wagtail_factories.PageFactory):
    """A municipality below the Wagtail root page, with its media collection, Site and settings.

    Override the related objects with double underscores, e.g. `site__hostname="kiel.localhost"` or
    `site__settings__frontend_base_url="https://smart.example.org"`; `site=None` skips the Site and settings.
    """

    class Meta:
        model = MunicipalityHomePage
        skip_postgeneration_save = True

    # Municipalities are siblings of Wagtail's default home page, never tree roots of their own.
    parent = factory.LazyFunction(Page.get_first_root_node)
    title = factory.Sequence(lambda n: f"Musterstadt {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    official_name = factory.LazyAttribute(lambda page: f"Stadt {page.title}")
    regional_key = factory.Sequence(make_regional_key)
    federal_state = factory.LazyAttribute(lambda page: page.regional_key[:2])
    cohort_year = 2020
    intro = factory.LazyAttribute(
        lambda page: f"{page.official_name} ist Teil des Förderprogramms „Modellprojekte Smart Cities“."
    )
    media_collection = factory.SubFactory(
        wagtail_factories.CollectionFactory,
        parent=factory.LazyFunction(Collection.get_first_root_node),
        name=factory.SelfAttribute("..official_name"),
    )

    site = factory.RelatedFactory(MunicipalitySiteFactory, factory_related_name="root_page")
    tenant = factory.RelatedFactory(MunicipalityFactory, factory_related_name="home_page")


def create_municipality(hostname=None, regional_key=None, **fields):
    """Creates a municipality with its Site, media collection and settings, and returns its home page.

    `fields` go to MunicipalityHomePageFactory, so `site__settings__preview_url=...` works here as well.
    """
    if hostname is not None:
        fields["site__hostname"] = hostname
    if regional_key is not None:
        fields["regional_key"] = regional_key
    return MunicipalityHomePageFactory(**fields)


class ContentPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ContentPage

    parent = factory.SubFactory(MunicipalityHomePageFactory)
    title = factory.Sequence(lambda n: f"Inhaltsseite {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    intro = "Eine Seite mit allgemeinen Informationen."
    body = factory.LazyFunction(lambda: paragraph("Dieser Text wird von der Kommune bereitgestellt."))
