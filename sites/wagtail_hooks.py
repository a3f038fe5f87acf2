"""Admin hooks that scope each editor to their own municipality, and the superusers' "Kommunen" menu."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from sites import admin_urls
from sites.tenancy import is_scoped, restrict_pages


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    return restrict_pages(pages, request.user)


@hooks.register("construct_explorer_page_queryset")
def scope_explorer(parent_page, pages, request):
    return restrict_pages(pages, request.user)


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
