"""Admin hooks that scope each editor to their own municipality, keep references inside one municipality, and the
superusers' "Kommunen" menu."""

from urllib.parse import urlsplit

from django.shortcuts import redirect
from django.urls import Resolver404, include, path, resolve, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.models import Collection, Page, Site

from cms.ids import is_database_id
from sites import admin_filters, admin_urls, cross_references
from sites.admin_forms import CLEAN_HOOK, CONSTRUCT_HOOK
from sites.ownership import owners_for
from sites.tenancy import is_scoped, restrict_to_user

admin_filters.install()

# The admin views that edit a page or a municipality's settings, with the URL keyword (and kind) that names the
# object whose municipality the choosers opened from them offer. Copy and move choose a destination: not scoped.
EDITING_VIEWS = {
    "wagtailadmin_pages:edit": ("page_id", Page),
    "wagtailadmin_pages:add": ("parent_page_id", Page),
    "wagtailadmin_pages:revisions_revert": ("page_id", Page),
    "wagtailsettings:edit": ("pk", Site),
}


def edited_municipality(request):
    """The municipality of the page or settings being edited in the admin page that opened this chooser.

    A chooser is a request of its own that does not name the page being edited; the editor's form is what sends
    it, so its Referer (same origin; Django sends `Referrer-Policy: same-origin`) is that page's edit URL. Without a
    usable Referer there is nothing to narrow by: the save-time check (sites.cross_references) still refuses what
    crosses."""
    referer = urlsplit(request.headers.get("Referer", ""))
    if not referer.path or (referer.netloc and referer.netloc != request.get_host()):
        return None
    try:
        match = resolve(referer.path)
    except Resolver404:
        return None
    keyword, model = EDITING_VIEWS.get(match.view_name, (None, None))
    pk = str(match.kwargs.get(keyword, ""))
    if not is_database_id(pk):
        return None
    obj = model.objects.filter(pk=pk).first()
    return owners_for(request).of(obj) if obj is not None else None


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    """A scoped user chooses only their municipalities' pages; everybody, superusers included, only pages of the
    municipality whose page or settings they are editing."""
    pages = restrict_to_user(pages, request.user)
    municipality = edited_municipality(request)
    return owners_for(request).owned_by(pages, municipality) if municipality is not None else pages


def scope_media_chooser(media, request):
    """Images and documents of the municipality being edited (Wagtail's collection permissions already keep a
    scoped user to their own). By collection id, the one field the choosers' search can filter on."""
    municipality = edited_municipality(request)
    if municipality is None:
        return media
    collections = owners_for(request).owned_by(Collection.objects.all(), municipality)
    return media.filter(collection_id__in=list(collections.values_list("pk", flat=True)))


@hooks.register("construct_image_chooser_queryset")
def scope_image_chooser(images, request):
    return scope_media_chooser(images, request)


@hooks.register("construct_document_chooser_queryset")
def scope_document_chooser(documents, request):
    return scope_media_chooser(documents, request)


@hooks.register("construct_explorer_page_queryset")
def scope_explorer(parent_page, pages, request):
    return restrict_to_user(pages, request.user)


@hooks.register(CONSTRUCT_HOOK)
def offer_own_choices(form):
    cross_references.restrict_form_choices(form)


@hooks.register(CLEAN_HOOK)
def refuse_cross_references(form):
    cross_references.validate_form(form)


def _refusal(request, page, destination, pages, back, alias=False):
    """A redirect with a German error if `pages` (moved or copied below `destination`) would reference objects of
    another municipality there; None if they may go."""
    owners = owners_for(request)
    municipality = owners.of(destination)
    if municipality is None or municipality == owners.of(page):
        return None
    found = cross_references.crossings(
        [(item, municipality, cross_references.references_of(item)) for item in pages], owners
    )
    reasons = [f"„{crossing.source.title}“ – {crossing.message(request.user)}" for crossing in found[:3]]
    if alias:
        reasons.insert(0, f"„{page.title}“ – Ein Alias bliebe mit seinem Original in der anderen Kommune verknüpft.")
    if not reasons:
        return None
    intro = f"Nicht möglich: In „{municipality}“ würden diese Seiten Inhalte einer anderen Kommune verknüpfen."
    messages.error(request, " ".join([intro, *reasons]))
    return redirect(back, page.pk)


@hooks.register("before_move_page")
def refuse_moves_that_cross(request, page, destination):
    pages = page.get_descendants(inclusive=True).specific()
    return _refusal(request, page, destination, pages, "wagtailadmin_pages:move")


@hooks.register("before_copy_page")
def refuse_copies_that_cross(request, page):
    destination_id = request.POST.get("new_parent_page", "") if request.method == "POST" else ""
    destination = Page.objects.filter(pk=destination_id).first() if is_database_id(destination_id) else None
    if destination is None:
        return None
    pages = Page.objects.filter(pk=page.pk)
    if request.POST.get("copy_subpages"):
        pages = page.get_descendants(inclusive=True)
    alias = bool(request.POST.get("alias"))
    return _refusal(request, page, destination, pages.specific(), "wagtailadmin_pages:copy", alias=alias)


@hooks.register("construct_reports_menu")
def hide_cross_site_reports(request, menu_items):
    # The page types report counts and names pages of every municipality.
    if is_scoped(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


@hooks.register("register_admin_urls")
def register_municipality_admin_urls():
    return [path("kommunen/", include(admin_urls, namespace="sites_municipalities"))]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_admin_menu_item")
def register_municipalities_menu_item():
    return SuperuserMenuItem(
        "Kommunen", reverse("sites_municipalities:index"), name="kommunen", icon_name="site", order=150
    )
