"""What every dataset shares: its description (`DatasetKind`), the common columns, the publisher of a dataset and
the loader base classes.

A loader answers for a list of publishers with a fixed number of queries, however many municipalities or pages
there are. It never decides visibility or ownership itself: "public?" is the publication rule's (cms.publication),
"whose?" the owner rule's (sites.ownership), a reference between two objects goes out only if sites.public allows it,
and page paths and addresses come from sites.page_urls.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, CharField, Max, Min, Value, When
from django.utils import timezone

from cms.licences import licence_name, licence_url
from sites.page_urls import frontend_url, relative_url_path
from sites.public import is_public_reference


@dataclass(frozen=True)
class DatasetKind:
    slug: str
    title: str
    description: str
    themes: tuple
    keywords: tuple
    columns: tuple  # (name, German description) in CSV order, after the common columns
    loader: type  # the Dataset subclass that loads the rows and dates


COMMON_COLUMNS = (
    ("regional_key", "Amtlicher Regionalschlüssel (ARS) der Kommune, 12 Ziffern"),
    ("municipality", "Amtlicher Name der Kommune"),
)
LICENCE_COLUMNS = (
    ("licence", "Adresse der Lizenz (dcat-ap.de-Lizenzvokabular)"),
    ("licence_name", "Name der Lizenz"),
)
PAGE_COLUMNS = (
    ("path", "Pfad der Seite im Frontend der Kommune"),
    ("url", "Adresse der Seite im Frontend der Kommune (leer, wenn keine Frontend-Adresse eingestellt ist)"),
    ("first_published_at", "Erstveröffentlichung (ISO 8601)"),
    ("last_published_at", "Letzte Veröffentlichung (ISO 8601)"),
)


def columns_of(kind):
    return [name for name, _ in COMMON_COLUMNS + kind.columns + LICENCE_COLUMNS]


@dataclass(frozen=True)
class Publisher:
    """A public municipality as the publisher of DCAT datasets: the tenant record (`sites.models.Municipality`) with
    its home page (the master data), its Site, its data licence and its frontend address."""

    municipality: object
    site: object
    licence: str
    frontend_base_url: str

    @property
    def home(self):
        return self.municipality.home_page

    @property
    def regional_key(self):
        return self.home.regional_key

    @property
    def name(self):
        return self.home.official_name

    @property
    def email(self):
        return self.home.contact_email

    @property
    def licence_url(self):
        return licence_url(self.licence)

    @property
    def licence_name(self):
        return licence_name(self.licence)

    @property
    def graphql_url(self):
        # The API answers per Site, so the municipality's own hostname is its API address.
        if self.site is None:
            return None
        return self._site_root() + "graphql/"

    @property
    def website_url(self):
        if self.frontend_base_url:
            return self.frontend_base_url
        if self.site is not None:
            return self._site_root()
        return base_url() + "/"

    def _site_root(self):
        port = "" if self.site.port in (80, 443) else f":{self.site.port}"
        return f"https://{self.site.hostname}{port}/"


class Dataset:
    """Loads the rows and dates of one dataset for a list of publishers, on one snapshot (`OpenData`)."""

    def __init__(self, data):
        self.publication = data.publication
        self.owners = data.owners

    def rows(self, publishers):
        """(publisher, row) pairs; the row holds the kind's own columns."""
        raise NotImplementedError

    def dates(self, publishers):
        """{regional key: (issued, modified)} of the publishers that have rows, in one query."""
        raise NotImplementedError

    # Helpers for the subclasses, all on the owner and publication rules.

    def owned(self, queryset, publishers):
        """The queryset restricted to objects the publishers' municipalities own."""
        return self.owners.owned_by_any(queryset, [publisher.municipality for publisher in publishers])

    def publisher_lookup(self, publishers):
        """A function mapping an object to the publisher (of the given ones) whose municipality owns it, or None."""
        by_municipality = {publisher.municipality.pk: publisher for publisher in publishers}

        def publisher_of(obj):
            municipality = self.owners.of(obj)
            return by_municipality.get(municipality.pk) if municipality is not None else None

        return publisher_of

    def owner_key(self, model, publishers):
        """An SQL expression with the regional key of the publisher that owns a row of `model` ("" for none)."""
        return Case(
            *(
                When(self.owners.condition(model, publisher.municipality), then=Value(publisher.regional_key))
                for publisher in publishers
            ),
            default=Value(""),
            output_field=CharField(),
        )

    def dates_by_owner(self, queryset, issued, modified, publishers):
        """{regional key: (min of `issued`, max of `modified`)} over the queryset, grouped by owner in one query."""
        if not publishers:
            return {}
        rows = (
            queryset.order_by()
            .annotate(owner_key=self.owner_key(queryset.model, publishers))
            .values("owner_key")
            .annotate(issued=Min(issued), modified=Max(modified))
            .order_by()
        )
        return {row["owner_key"]: (row["issued"], row["modified"]) for row in rows if row["owner_key"]}

    def reference_slug(self, source, target):
        """The target page's slug if it may go out with `source` (public and of the same municipality), else ""."""
        return target.slug if self.is_reference(source, target) else ""

    def is_reference(self, source, target):
        return is_public_reference(source, target, self.publication, self.owners)


class PageDataset(Dataset):
    """A dataset of one row per public page of `model`, ending with the page columns (PAGE_COLUMNS)."""

    model = None

    def pages(self, publishers):
        return self.publication.pages(self.owned(self.model.objects.all(), publishers)).order_by("path")

    def with_related(self, pages):
        """The pages queryset with what build() reads (select_related, prefetch_related)."""
        return pages

    def build(self, page):
        raise NotImplementedError

    def rows(self, publishers):
        publisher_of = self.publisher_lookup(publishers)
        for page in self.with_related(self.pages(publishers)):
            publisher = publisher_of(page)
            if publisher is None:
                continue
            yield publisher, {**self.build(page), **self.page_columns(page)}

    def page_columns(self, page):
        return {
            "path": relative_url_path(page, self.owners),
            "url": frontend_url(page, self.owners) or "",
            "first_published_at": iso(page.first_published_at),
            "last_published_at": iso(page.last_published_at),
        }

    def dates(self, publishers):
        return self.dates_by_owner(self.pages(publishers), "first_published_at", "last_published_at", publishers)


def iso(value):
    if value is None:
        return None
    if hasattr(value, "tzinfo") and hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat()


def base_url():
    return settings.OPENDATA_BASE_URL.rstrip("/")
