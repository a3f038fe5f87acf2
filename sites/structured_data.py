"""schema.org descriptions of pages as JSON-LD, for frontends to embed in `<script type="application/ld+json">`.

The municipality is a GovernmentOrganization and every page without a describer of its own is a WebPage; content
concepts register describers for their page types (`register_describer`). Only public fields are used, never
citizens' data, and a related page goes in only if the publication and owner rules let it out.
"""

from django.utils import timezone

from cms.publication import publication_for
from sites.models import MunicipalityHomePage
from sites.ownership import owners_for
from sites.page_urls import frontend_url
from sites.public import is_public_reference

CONTEXT = "https://schema.org"


def compact(value):
    """Drops empty values so that the JSON-LD states only what is known."""
    if isinstance(value, dict):
        compacted = {key: compact(item) for key, item in value.items()}
        return {key: item for key, item in compacted.items() if item not in (None, "", [], {})}
    if isinstance(value, list):
        return [item for item in (compact(entry) for entry in value) if item not in (None, "", [], {})]
    return value


def iso_date(value):
    if value is None:
        return None
    if hasattr(value, "hour"):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


_describers = {}


def register_describer(model, describe):
    """`describe(page, describer)` returns the schema.org properties of a page of `model` (without @context)."""
    _describers[model] = describe


class Describer:
    """Builds descriptions for the pages of one request, sharing what several pages need."""

    def __init__(self, request):
        self.publication = publication_for(request)
        self.owners = owners_for(request)
        self._memo = {}

    def memoised(self, key, build):
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def url(self, page):
        return frontend_url(page, self.owners)

    def home_of(self, page):
        municipality = self.owners.of(page)
        return municipality.home_page if municipality else None

    def municipality_pages(self, page, model):
        """Public pages of `model` of the municipality that owns `page`."""
        municipality = self.owners.of(page)
        if municipality is None:
            return model.objects.none()
        return self.publication.pages(self.owners.owned_by(model.objects.all(), municipality))

    def references(self, source, targets):
        """The targets that may go out with `source`: public and of its own municipality."""
        return [target for target in targets if is_public_reference(source, target, self.publication, self.owners)]

    def organisation(self, home):
        if home is None:
            return None
        return {
            "@type": "GovernmentOrganization",
            "@id": f"urn:ars:{home.regional_key}",
            "name": home.official_name,
            "url": self.url(home),
        }

    def describe(self, page):
        describe = _describers.get(type(page), describe_web_page)
        return compact({"@context": CONTEXT, "inLanguage": "de", **describe(page, self)})


def describe_municipality(page, describer):
    return {
        **describer.organisation(page),
        "description": page.intro,
        "email": page.contact_email,
        "telephone": page.contact_phone,
        "address": page.contact_address,
        "identifier": {"@type": "PropertyValue", "propertyID": "ARS", "value": page.regional_key},
        "areaServed": {"@type": "AdministrativeArea", "name": page.official_name},
    }


def describe_web_page(page, describer):
    return {
        "@type": "WebPage",
        "name": page.title,
        "url": describer.url(page),
        "description": page.search_description,
        "publisher": describer.organisation(describer.home_of(page)),
        "datePublished": iso_date(page.first_published_at),
        "dateModified": iso_date(page.last_published_at),
    }


register_describer(MunicipalityHomePage, describe_municipality)

_DESCRIBER_ATTRIBUTE = "_sites_schema_org_describer"


def structured_data(page, request):
    describer = getattr(request, _DESCRIBER_ATTRIBUTE, None)
    if describer is None:
        describer = Describer(request)
        setattr(request, _DESCRIBER_ATTRIBUTE, describer)
    return describer.describe(page)
