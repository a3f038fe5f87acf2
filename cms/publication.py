"""The publication rule: what the public may see. Every output asks this module, and nothing else decides it.

- A page is public when it is live, not expired (neither by Wagtail's flag nor by its expiry time, which may have
  passed before the scheduler ran), below the tree root, not under a view restriction (password, login or groups,
  on itself or on an ancestor), and not below a page that is itself not public: an unpublished or expired section
  hides its subpages, as Wagtail's own routing does.
- An image or a document is public when its collection is neither restricted nor below a restricted collection.
- A record that hangs on a page (an idea on its call) is public when it has its published status and its page is
  public. Such a model names both in `publication_status` (field, value) and `publication_page` (the page field).

The rule comes in two forms that agree: a queryset filter (SQL) and a check of one object. Both read the same
`Publication` snapshot, which loads the view restrictions and the hidden sections once, so a request, an export or a
change-feed reconciliation decides every object against one instant.
"""

from functools import cached_property

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, Page

_SNAPSHOT_ATTRIBUTE = "_cms_publication"


def under_any(paths, prefix=""):
    """A condition matching tree nodes (pages or collections) at or below any of the given paths."""
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


class Publication:
    """What the public may see at one instant."""

    def __init__(self, now=None):
        self.now = now or timezone.now()

    # The two lists everything else follows from, each one query, loaded on first use.

    @cached_property
    def hidden_page_paths(self):
        """Roots of the subtrees the public may not see beyond their own state: pages with a view restriction, and
        pages with subpages that are themselves not visible (draft, expired). Sorted, without nested duplicates."""
        hiding = Q(view_restrictions__isnull=False) | (Q(numchild__gt=0, depth__gt=1) & ~self._own_state_condition())
        paths = sorted(set(Page.objects.filter(hiding).values_list("path", flat=True)))
        roots = []
        for path in paths:
            if not roots or not path.startswith(roots[-1]):
                roots.append(path)
        return tuple(roots)

    @cached_property
    def collection_paths(self):
        """{collection id: tree path} of every collection; the owner rule reads the same snapshot."""
        return dict(Collection.objects.values_list("id", "path"))

    @cached_property
    def restricted_collection_ids(self):
        """Collections with a view restriction, and every collection below one."""
        paths = tuple(CollectionViewRestriction.objects.values_list("collection__path", flat=True))
        if not paths:
            return frozenset()
        return frozenset(pk for pk, path in self.collection_paths.items() if path.startswith(paths))

    # Pages.

    def _own_state_condition(self, prefix=""):
        """Live, not expired by flag or time, below the tree root: the page's own state, ignoring its ancestors."""
        return Q(**{f"{prefix}live": True, f"{prefix}expired": False, f"{prefix}depth__gt": 1}) & (
            Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": self.now})
        )

    def page_condition(self, prefix=""):
        """The rule as a Q object; `prefix` applies it through a relation, e.g. "call__" for an idea's call."""
        condition = self._own_state_condition(prefix)
        if self.hidden_page_paths:
            condition &= ~under_any(self.hidden_page_paths, prefix)
        return condition

    def pages(self, queryset):
        return queryset.filter(self.page_condition())

    def _own_state_is_visible(self, page):
        if not page.live or page.expired or page.depth is None or page.depth <= 1:
            return False
        return page.expire_at is None or page.expire_at > self.now

    def is_public_page(self, page):
        """The same rule for one page (or any object with path, depth, live, expired and expire_at)."""
        if page is None or not self._own_state_is_visible(page):
            return False
        return not any(page.path.startswith(path) for path in self.hidden_page_paths)

    # Images and documents.

    def media(self, queryset):
        if not self.restricted_collection_ids:
            return queryset
        return queryset.exclude(collection_id__in=self.restricted_collection_ids)

    def is_public_media(self, item):
        return item is not None and item.collection_id not in self.restricted_collection_ids

    # Records that hang on a page.

    def records(self, queryset):
        model = queryset.model
        status_field, published = model.publication_status
        return queryset.filter(Q(**{status_field: published}) & self.page_condition(f"{model.publication_page}__"))

    def is_public_record(self, record, page=None):
        """`page` stands in for the record's page where the caller has loaded it already (as a row, say)."""
        status_field, published = record.publication_status
        if getattr(record, status_field) != published:
            return False
        return self.is_public_page(page if page is not None else getattr(record, record.publication_page))


def publication_for(holder):
    """The snapshot of one request (or any object that lives as long as one unit of work), made on first use;
    a fresh one for no holder."""
    if holder is None:
        return Publication()
    snapshot = getattr(holder, _SNAPSHOT_ATTRIBUTE, None)
    if snapshot is None:
        snapshot = Publication()
        setattr(holder, _SNAPSHOT_ATTRIBUTE, snapshot)
    return snapshot
