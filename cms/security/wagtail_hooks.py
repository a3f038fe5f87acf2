"""Admin hooks: the superusers' "Gesperrte Anmeldungen" view and German labels for wagtail-2fa's menu entries."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.security import views
from cms.security.two_factor import VerifyCodeView


@hooks.register("register_admin_urls", order=-1)
def register_urls():
    return [
        path("anmeldesperren/", views.lockouts, name="security_lockouts"),
        # Before wagtail-2fa's own pattern for the same path and name, which this replaces (see VerifyCodeView).
        path("2fa/auth", VerifyCodeView.as_view(), name="wagtail_2fa_auth"),
    ]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return SuperuserMenuItem(
        "Gesperrte Anmeldungen", reverse("security_lockouts"), name="gesperrte-anmeldungen", icon_name="lock", order=900
    )


@hooks.register("construct_main_menu", order=1)
def german_two_factor_setup_item(request, menu_items):
    # wagtail-2fa's own hook (order 0) leaves a single untranslated "2FA Setup" item for users who must verify first.
    for item in menu_items:
        if item.name == "2fa-setup":
            item.label = "Zwei-Faktor-Anmeldung einrichten"
