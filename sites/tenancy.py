"""Which municipalities an admin user works for, and what that lets them see.

Wagtail's own permissions (pages per subtree, images and documents per collection, settings per site) already
scope most of the admin, because onboarding grants exactly those. This module covers the rest: page choosers,
object URLs that Wagtail answers without a permission check, and reports that count across all sites. Superusers
are not scoped; everybody else sees only what the owner rule (sites.ownership) assigns to their own municipalities.
"""

from django.db.models import Q

from sites.models import Municipality
from sites.ownership import owners_for

_CACHE_ATTRIBUTE = "_municipality_scope"


class Scope:
    """The municipalities one user works for, and the owner rule to test objects against them."""

    def __init__(self, municipalities, owners):
        self.municipalities = municipalities
        self.owners = owners
        self._ids = {municipality.pk for municipality in municipalities}

    def restrict(self, queryset):
        """The objects of `queryset` that the user's municipalities own."""
        return self.owners.owned_by_any(queryset, self.municipalities)

    def contains(self, obj):
        owner = self.owners.of(obj)
        return owner is not None and owner.pk in self._ids


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
        scope = Scope(list(municipalities_of(user)), owners_for(user))
        setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def is_scoped(user):
    """Superusers administer every municipality; everyone else is scoped to their own."""
    return user.is_authenticated and not user.is_superuser


def restrict_to_user(queryset, user):
    """Everything for superusers; for everyone else what their municipalities own."""
    if not is_scoped(user):
        return queryset
    return scope_for(user).restrict(queryset)
