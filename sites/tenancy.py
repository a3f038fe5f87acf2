"""Which municipalities an admin user works for, and what that lets them see.

Wagtail's own permissions (pages per subtree, images and documents per collection, settings per site) already
scope most of the admin, because onboarding grants exactly those. This module covers the rest: page choosers,
object URLs that Wagtail answers without a permission check, and reports that count across all sites. Superusers
are not scoped; everybody else sees only the trees and collections of their own municipalities.
"""

from functools import reduce
from operator import or_

from django.db.models import Q
from wagtail.models import Collection, Page

from sites.models import Municipality

_CACHE_ATTRIBUTE = "_municipality_scope"


class Scope:
    """The page paths and collection ids one user may see in the admin, computed once per request."""

    def __init__(self, municipalities, collection_ids):
        self.municipalities = municipalities
        self.home_paths = [municipality.home_page.path for municipality in municipalities]
        self.collection_ids = collection_ids

    def page_filter(self, prefix=""):
        if not self.home_paths:
            return Q(pk__in=[])
        return reduce(or_, (Q(**{f"{prefix}path__startswith": path}) for path in self.home_paths))

    def contains_path(self, path):
        return any(path.startswith(home_path) for home_path in self.home_paths)

    def contains_page(self, page):
        return self.contains_path(page.path)


def municipalities_of(user):
    if not user.is_authenticated:
        return Municipality.objects.none()
    return (
        Municipality.objects.filter(Q(editors_group__user=user) | Q(moderators_group__user=user))
        .select_related("home_page")
        .distinct()
    )


def scope_for(user):
    """The user's Scope, cached on the user object, which lives as long as the request."""
    scope = getattr(user, _CACHE_ATTRIBUTE, None)
    if scope is None:
        municipalities = list(municipalities_of(user))
        collection_paths = list(
            Collection.objects.filter(pk__in=[m.home_page.media_collection_id for m in municipalities]).values_list(
                "path", flat=True
            )
        )
        collection_ids = (
            set(
                Collection.objects.filter(
                    reduce(or_, (Q(path__startswith=path) for path in collection_paths))
                ).values_list("pk", flat=True)
            )
            if collection_paths
            else set()
        )
        scope = Scope(municipalities, collection_ids)
        setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def is_scoped(user):
    """Superusers administer every municipality; everyone else is scoped to their own."""
    return user.is_authenticated and not user.is_superuser


def restrict_pages(pages, user):
    if not is_scoped(user):
        return pages
    return pages.filter(scope_for(user).page_filter())


def page_is_visible_to(page_id, user, allow_root=False):
    page = Page.objects.filter(pk=page_id).only("path", "depth").first()
    if page is None:
        return True  # Wagtail answers 404 itself.
    if allow_root and page.depth == 1:
        return True
    return scope_for(user).contains_page(page)
