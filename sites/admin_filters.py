"""The filter menus of the admin's listings, for everybody but superusers: only the own municipality's accounts, Site,
workflow and tasks.

Wagtail builds the choices of these menus from the whole database: the page explorer's "Owner", "Edited by" and
"Site", the reports' "Locked by", "Requested by", "Workflow" and "Task", the users of the site history and of a
page's history. Wagtail offers no hook for them, and a view cannot be replaced: the explorer's views are built by
viewsets with their filter set fixed at URL loading, and the admin's own URLs come before any registered through
`register_admin_urls`. Every one of these menus is a form of the filter set that `BaseListingView.filters` builds,
so `install()` wraps that one property: after Wagtail has built the filter set, the choice fields of its form are
narrowed for a scoped user (sites.tenancy). A choice outside the menu is then refused like any invalid choice.

Accounts are the members of the user's municipalities' editor and moderator groups, and the superusers: they run
the platform for every municipality, their edits and locks show in the own municipality's listings, and an editor
filters by them like by a colleague. No other municipality's account is named.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q
from django.forms import ModelChoiceField
from django.utils.functional import cached_property
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.models import Site, Task, Workflow

from sites.tenancy import is_scoped, scope_for

_MARK = "_municipality_scoped"


class OwnChoices:
    """What the filter menus may offer a user of `scope`'s municipalities, by model."""

    def __init__(self, scope):
        self.scope = scope
        self.municipalities = scope.municipalities

    @cached_property
    def group_ids(self):
        return [group.pk for municipality in self.municipalities for group in municipality.groups]

    @cached_property
    def workflow_ids(self):
        return [municipality.workflow_id for municipality in self.municipalities if municipality.workflow_id]

    @cached_property
    def site_ids(self):
        sites = (self.scope.owners.site_of(municipality) for municipality in self.municipalities)
        return [site.pk for site in sites if site is not None]

    def narrow(self, queryset):
        """`queryset` of accounts, groups, sites, workflows or tasks cut to the own ones; None for other models."""
        model = queryset.model
        if issubclass(model, get_user_model()):
            accounts = get_user_model().objects.filter(Q(groups__in=self.group_ids) | Q(is_superuser=True))
            return queryset.filter(pk__in=accounts.values("pk"))
        if issubclass(model, Group):
            return queryset.filter(pk__in=self.group_ids)
        if issubclass(model, Site):
            return queryset.filter(pk__in=self.site_ids)
        if issubclass(model, Workflow):
            return queryset.filter(pk__in=self.workflow_ids)
        if issubclass(model, Task):
            tasks = Task.objects.filter(workflow_tasks__workflow__in=self.workflow_ids)
            return queryset.filter(pk__in=tasks.values("pk"))
        return None


def scope_filter_menus(filterset, user):
    """Narrows the choice fields of `filterset`'s form to what `user` may see; nothing for superusers."""
    if not is_scoped(user):
        return
    choices = OwnChoices(scope_for(user))
    for field in filterset.form.fields.values():
        if isinstance(field, ModelChoiceField):
            narrowed = choices.narrow(field.queryset)
            if narrowed is not None:
                field.queryset = narrowed


def install():
    """Wraps `BaseListingView.filters` once; raises if Wagtail no longer builds its filter sets there."""
    original = BaseListingView.__dict__.get("filters")
    if getattr(original, _MARK, False):
        return
    if not isinstance(original, cached_property):
        raise RuntimeError("wagtail.admin.views.generic.base.BaseListingView.filters is no longer a cached_property")

    def filters(view):
        filterset = original.func(view)
        if filterset is not None:
            scope_filter_menus(filterset, view.request.user)
        return filterset

    wrapped = cached_property(filters)
    wrapped.__set_name__(BaseListingView, "filters")
    setattr(wrapped, _MARK, True)
    BaseListingView.filters = wrapped
