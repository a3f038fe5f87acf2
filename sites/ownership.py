"""The owner rule: which municipality a page, image, document, idea, webhook endpoint or change event belongs to.

A municipality (`sites.Municipality`, the tenant) owns the page tree below its home page and its media collection
with every collection below it. Records outside the tree name what they hang on in `owner_field`: a page (an idea
through its call), the municipality itself (a webhook endpoint), or its regional key (a change event). This module is
the only place that maps an object to its municipality: the admin's isolation, the API's site scoping, open data, the
change feed and the webhooks all call it.

It comes in two forms that agree: `Owners.of(obj)` for one object and `Owners.owned_by(queryset, municipality)` as
a queryset filter. An `Owners` snapshot loads the municipalities and collections once, so a request that maps many
objects costs the same few queries.
"""

from functools import cached_property

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Collection, Page, Site

from cms.publication import Publication, publication_for
from sites.tenant import Municipality, MunicipalitySettings

_SNAPSHOT_ATTRIBUTE = "_sites_owners"


class Owners:
    """The municipalities of the instance at one instant, and what each of them owns.

    It reads the collection tree from the publication snapshot of the same unit of work, which loads it once."""

    def __init__(self, publication=None):
        self._publication = publication or Publication()

    @cached_property
    def sites(self):
        """Every Site with its root page and, where the root is a municipality's home page, that municipality: all
        in one query, so that a request about one site knows its municipality without asking again."""
        sites = list(
            Site.objects.select_related("root_page__municipalityhomepage__tenant").order_by("hostname", "port")
        )
        for site in sites:
            home = _related_or_none(site.root_page, "municipalityhomepage")
            municipality = _related_or_none(home, "tenant")
            if municipality is not None:
                municipality.home_page = home
            site.municipality = municipality
        return sites

    @cached_property
    def _by_home_path_of_sites(self):
        return {site.municipality.home_page.path: site.municipality for site in self.sites if site.municipality}

    @cached_property
    def municipalities(self):
        """Every municipality, also one without a Site (loaded only when a lookup needs it)."""
        known = {municipality.pk: municipality for municipality in self._by_home_path_of_sites.values()}
        loaded = Municipality.objects.select_related("home_page").order_by("home_page__path")
        return [known.get(municipality.pk, municipality) for municipality in loaded]

    @cached_property
    def _by_home_path(self):
        return {municipality.home_page.path: municipality for municipality in self.municipalities}

    @cached_property
    def _by_id(self):
        return {municipality.pk: municipality for municipality in self.municipalities}

    @cached_property
    def _by_regional_key(self):
        return {municipality.home_page.regional_key: municipality for municipality in self.municipalities}

    @property
    def _collection_paths(self):
        return self._publication.collection_paths

    def _media_paths(self, municipalities):
        paths = self._collection_paths
        return {
            paths[municipality.home_page.media_collection_id]: municipality
            for municipality in municipalities
            if municipality.home_page.media_collection_id in paths
        }

    @cached_property
    def _by_media_path_of_sites(self):
        return self._media_paths(self._by_home_path_of_sites.values())

    @cached_property
    def _by_media_path(self):
        return self._media_paths(self.municipalities)

    @cached_property
    def _site_by_root_page_id(self):
        return {site.root_page_id: site for site in self.sites}

    @cached_property
    def _site_by_id(self):
        return {site.pk: site for site in self.sites}

    @cached_property
    def _settings_by_site_id(self):
        return {item.site_id: item for item in MunicipalitySettings.objects.all()}

    # One object.

    def of_path(self, path):
        """The municipality whose home page is the page at `path` or one of its ancestors."""
        prefixes = [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]
        return self._first_match(prefixes, "_by_home_path_of_sites", "_by_home_path")

    def _of_collection_id(self, collection_id):
        path = self._collection_paths.get(collection_id)
        if path is None:
            return None
        prefixes = [path[:end] for end in range(Collection.steplen, len(path) + 1, Collection.steplen)]
        return self._first_match(prefixes, "_by_media_path_of_sites", "_by_media_path")

    def _first_match(self, prefixes, *maps):
        """Looks the prefixes up in the named maps in turn; a later map is only built if the earlier ones miss."""
        for name in maps:
            by_path = getattr(self, name)
            for prefix in prefixes:
                municipality = by_path.get(prefix)
                if municipality is not None:
                    return municipality
        return None

    def by_regional_key(self, regional_key):
        return self._by_regional_key.get(regional_key)

    def of(self, obj):
        """The municipality that owns `obj`, or None for an object of no municipality (Wagtail's root, say)."""
        if obj is None:
            return None
        if isinstance(obj, Municipality):
            return self._by_id.get(obj.pk)
        if isinstance(obj, Page):
            return self.of_path(obj.path) if obj.path else None
        if isinstance(obj, (AbstractImage, AbstractDocument)):
            return self._of_collection_id(obj.collection_id)
        if isinstance(obj, Collection):
            return self._of_collection_id(obj.pk)
        if isinstance(obj, Site):
            site = self._site_by_id.get(obj.pk)
            return site.municipality if site else None
        field = obj._meta.get_field(type(obj).owner_field)
        if field.is_relation and field.related_model is Municipality:
            return self._by_id.get(getattr(obj, field.attname))
        if field.is_relation and field.related_model is Site:
            return self.of(self._site_by_id.get(getattr(obj, field.attname)))
        if field.is_relation:
            return self.of(getattr(obj, field.name))
        return self.by_regional_key(getattr(obj, field.attname))

    def site_of(self, municipality):
        return self._site_by_root_page_id.get(municipality.home_page_id) if municipality else None

    def site_for_page(self, page):
        """The Site of the municipality that owns the page."""
        return self.site_of(self.of(page))

    def settings_of(self, municipality):
        site = self.site_of(municipality)
        return self._settings_by_site_id.get(site.pk) if site else None

    def home_page_of_site(self, site):
        municipality = self.of(site)
        return municipality.home_page if municipality else None

    # Querysets.

    def condition(self, model, municipality, prefix=""):
        """A Q object for the objects of `model` that `municipality` owns; `prefix` applies it through a relation."""
        home = municipality.home_page
        if issubclass(model, Page):
            return Q(**{f"{prefix}path__startswith": home.path})
        if issubclass(model, (AbstractImage, AbstractDocument)):
            media_path = self._collection_paths.get(home.media_collection_id)
            return Q(**{f"{prefix}collection__path__startswith": media_path}) if media_path else Q(pk__in=[])
        if issubclass(model, Collection):
            media_path = self._collection_paths.get(home.media_collection_id)
            return Q(**{f"{prefix}path__startswith": media_path}) if media_path else Q(pk__in=[])
        field = model._meta.get_field(model.owner_field)
        if field.is_relation and field.related_model is Municipality:
            return Q(**{f"{prefix}{field.name}": municipality})
        if field.is_relation and field.related_model is Site:
            return Q(**{f"{prefix}{field.name}__root_page": home})
        if field.is_relation:
            return self.condition(field.related_model, municipality, prefix=f"{prefix}{field.name}__")
        return Q(**{f"{prefix}{field.name}": home.regional_key})

    def owned_by(self, queryset, municipality):
        return queryset.filter(self.condition(queryset.model, municipality))

    def owned_by_any(self, queryset, municipalities):
        condition = Q(pk__in=[])
        for municipality in municipalities:
            condition |= self.condition(queryset.model, municipality)
        return queryset.filter(condition)


def _related_or_none(obj, name):
    """A reverse one-to-one that select_related may have found empty."""
    if obj is None:
        return None
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def owners_for(holder):
    """The snapshot of one request (or any object that lives as long as one unit of work), made on first use;
    a fresh one for no holder."""
    if holder is None:
        return Owners()
    snapshot = getattr(holder, _SNAPSHOT_ATTRIBUTE, None)
    if snapshot is None:
        snapshot = Owners(publication_for(holder))
        setattr(holder, _SNAPSHOT_ATTRIBUTE, snapshot)
    return snapshot
