"""Batch loading of one GraphQL execution: pages related to pages already in the response are loaded together.

Everything here is computed at most once per request, so that the number of SQL queries does not grow with the
number of items in a response. What is public comes from cms.publication, what belongs to which municipality from
sites.ownership; this module only decides what to load at once.
"""

from django.db.models import Q
from wagtail.models import Page

from cms.publication import publication_for
from sites.ownership import owners_for

_LOADER_ATTRIBUTE = "_cms_api_loader"


def loader_for(info):
    request = info.context
    loader = getattr(request, _LOADER_ATTRIBUTE, None)
    if loader is None:
        loader = PageLoader(request)
        setattr(request, _LOADER_ATTRIBUTE, loader)
    return loader


class PageLoader:
    def __init__(self, request):
        self.publication = publication_for(request)
        self.owners = owners_for(request)
        self.seen_pages = {}
        self.parents_by_path = {}
        self.children_by_path = {}

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
        """The public parent, or None for a municipality's home page (the API's tree ends there)."""
        municipality = self.owners.of(page)
        if municipality is None or page.path == municipality.home_page.path:
            return None
        parent_path = page.path[: -Page.steplen]
        if parent_path == municipality.home_page.path:
            # The owner rule's snapshot has loaded the home page already.
            home = municipality.home_page
            return home if self.publication.is_public_page(home) else None
        if parent_path not in self.parents_by_path:
            wanted = {p.path[: -Page.steplen] for p in self.seen_pages.values() if p.depth > 1}
            wanted = {path for path in wanted if path not in self.parents_by_path}
            wanted.add(parent_path)
            found = {p.path: p for p in self.publication.pages(Page.objects.filter(path__in=wanted)).specific()}
            for path in wanted:
                self.parents_by_path[path] = found.get(path)
            self.remember_pages(found.values())
        return self.parents_by_path[parent_path]

    def children_of(self, page):
        if page.path not in self.children_by_path:
            wanted = {p.path for p in self.seen_pages.values() if p.path not in self.children_by_path}
            wanted.add(page.path)
            # A path prefix and a depth, which the path index serves (a SUBSTRING of the path would not).
            condition = Q(pk__in=[])
            for path in wanted:
                condition |= Q(path__startswith=path, depth=len(path) // Page.steplen + 1)
            children = self.publication.pages(Page.objects.filter(condition)).order_by("path").specific()
            grouped = {path: [] for path in wanted}
            for child in children:
                grouped[child.path[: -Page.steplen]].append(child)
            self.children_by_path.update(grouped)
        return self.children_by_path[page.path]
