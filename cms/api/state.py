"""Per-request state of a GraphQL execution: what the API may show, and batches of pages loaded together.

Everything here is computed at most once per request, so that the number of SQL queries
does not grow with the number of items in a response.
"""

from functools import cached_property

from django.db.models import F, Q
from django.db.models.functions import Substr
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site

STATE_ATTRIBUTE = "_cms_api_state"


def under_any(paths):
    """A condition matching tree nodes (pages or collections) at or below any of the given paths."""
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def restricted_page_paths():
    return list(PageViewRestriction.objects.values_list("page__path", flat=True).distinct())


def restricted_collection_ids():
    """Collections with a view restriction, and every collection below one."""
    paths = list(CollectionViewRestriction.objects.values_list("collection__path", flat=True).distinct())
    if not paths:
        return frozenset()
    return frozenset(Collection.objects.filter(under_any(paths)).values_list("id", flat=True))


def page_is_public(page, restricted_paths, now):
    """Live, not past its expiry time, below the tree root and not under a view restriction."""
    if not page.live or page.expired or page.depth is None or page.depth <= 1:
        return False
    if page.expire_at and page.expire_at <= now:
        return False
    return not any(page.path.startswith(path) for path in restricted_paths)


def get_state(info):
    request = info.context
    state = getattr(request, STATE_ATTRIBUTE, None)
    if state is None:
        state = ApiRequestState()
        setattr(request, STATE_ATTRIBUTE, state)
    return state


class ApiRequestState:
    def __init__(self):
        self.now = timezone.now()
        self.seen_pages = {}
        self.parents_by_path = {}
        self.children_by_path = {}

    @cached_property
    def sites(self):
        return list(Site.objects.select_related("root_page").order_by("hostname", "port"))

    @cached_property
    def restricted_page_paths(self):
        return restricted_page_paths()

    @cached_property
    def restricted_collection_ids(self):
        return restricted_collection_ids()

    @cached_property
    def settings_by_site_id(self):
        from sites.models import MunicipalitySettings

        return {settings.site_id: settings for settings in MunicipalitySettings.objects.all()}

    def frontend_base_url(self, site):
        settings = self.settings_by_site_id.get(site.pk)
        return settings.frontend_base_url if settings else ""

    @cached_property
    def home_pages_by_root_path(self):
        from sites.models import MunicipalityHomePage

        roots = [site.root_page.path for site in self.sites]
        return {page.path: page for page in MunicipalityHomePage.objects.filter(path__in=roots)}

    def municipality_for_page(self, page):
        site = self.site_for_page(page)
        return self.home_pages_by_root_path.get(site.root_page.path) if site else None

    def visible_pages(self, queryset):
        """Live, unexpired, unrestricted pages below the tree root: what the public may see."""
        queryset = queryset.live().filter(depth__gt=1).exclude(expire_at__lte=self.now)
        restricted = under_any(self.restricted_page_paths)
        if restricted:
            queryset = queryset.exclude(restricted)
        return queryset

    def is_visible_page(self, page):
        return getattr(page, "is_preview", False) or page_is_public(page, self.restricted_page_paths, self.now)

    def is_visible_media(self, item):
        return item.collection_id not in self.restricted_collection_ids

    def site_for_page(self, page):
        """The Site whose root page is the nearest ancestor of (or is) the page."""
        best = None
        for site in self.sites:
            root_path = site.root_page.path
            if page.path.startswith(root_path) and (best is None or len(root_path) > len(best.root_page.path)):
                best = site
        return best

    def specific_pages(self, items):
        """Chooser blocks and plain foreign keys yield base Page objects; the API needs the specific type.
        They are upgraded in one query per list instead of one per page."""
        generic_ids = [item.pk for item in items if type(item) is Page and item.specific_class is not Page]
        if not generic_ids:
            return items
        specific = {page.pk: page for page in Page.objects.filter(pk__in=generic_ids).specific()}
        return [specific.get(item.pk, item) if type(item) is Page else item for item in items]

    def remember_pages(self, pages):
        for page in pages:
            if page.pk is not None:
                self.seen_pages.setdefault(page.pk, page)

    def parent_of(self, page):
        parent_path = page.path[: -Page.steplen]
        if parent_path not in self.parents_by_path:
            wanted = {p.path[: -Page.steplen] for p in self.seen_pages.values() if p.depth > 1}
            wanted = {path for path in wanted if path not in self.parents_by_path}
            wanted.add(parent_path)
            found = {p.path: p for p in self.visible_pages(Page.objects.filter(path__in=wanted)).specific()}
            for path in wanted:
                self.parents_by_path[path] = found.get(path)
            self.remember_pages(found.values())
        return self.parents_by_path[parent_path]

    def children_of(self, page):
        if page.path not in self.children_by_path:
            wanted = {p.path for p in self.seen_pages.values() if p.path not in self.children_by_path}
            wanted.add(page.path)
            children = (
                self.visible_pages(Page.objects.all())
                .annotate(parent_path=Substr("path", 1, (F("depth") - 1) * Page.steplen))
                .filter(parent_path__in=wanted)
                .order_by("path")
                .specific()
            )
            grouped = {path: [] for path in wanted}
            for child in children:
                grouped[child.path[: -Page.steplen]].append(child)
            self.children_by_path.update(grouped)
        return self.children_by_path[page.path]
