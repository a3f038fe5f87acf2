"""Two-factor login (TOTP) for the admin with wagtail-2fa: optional for every admin user, required for superusers when
ADMIN_2FA_REQUIRED_FOR_SUPERUSERS is on."""

from django import forms
from django.conf import settings
from django.urls import Resolver404, resolve
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail_2fa.forms import TokenForm
from wagtail_2fa.middleware import VerifyUserMiddleware
from wagtail_2fa.views import LoginView


def second_factor_required(user):
    """Whether this user must set up a device before using the admin (a user who has one must always use it)."""
    return bool(settings.ADMIN_2FA_REQUIRED_FOR_SUPERUSERS and user.is_superuser)


def is_admin_user(user):
    return user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")


class TwoFactorMiddleware(VerifyUserMiddleware):
    """wagtail-2fa's middleware with this instance's rule of who must use a second factor.

    wagtail-2fa has two modes. With WAGTAIL_2FA_REQUIRED off nobody is ever asked for a code, not even a user who set
    up a device, so the second factor would be decoration. With it on every admin user must set up a device; its
    permission variant exempts users without the "enable_2fa" permission, but superusers hold every permission, so
    they could not opt out. Neither says "optional for everyone, required for superusers only when a setting says
    so". Here WAGTAIL_2FA_REQUIRED stays on, and this class decides: a user with a confirmed device must enter a code
    in every session; a user without one must set one up only if `second_factor_required`.
    """

    # wagtail-2fa's __call__ is synchronous only; the parent class (django-otp's) declares itself async-capable.
    async_capable = False

    def __call__(self, request):
        if not self._concerns_a_session(request):
            # django-otp's lazy user, as on every request, but nothing reads the session: the response does not vary
            # by cookie.
            self._install_lazy_accessors(request)
            return self.get_response(request)
        return super().__call__(request)

    @staticmethod
    def _concerns_a_session(request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        try:
            view = resolve(request.path_info).func
        except Resolver404:
            return True
        # A view exempt from CSRF protection must not act on the session's user, or any web page could make a
        # logged-in browser use it: the GraphQL API, which knows no sessions.
        return not getattr(view, "csrf_exempt", False)

    def process_request(self, request):
        response = super().process_request(request)
        # Read by wagtail-2fa's menu hook: it hides the admin menu from users who have to verify first.
        user = request.user
        request.user.enable_2fa = user.is_authenticated and (second_factor_required(user) or self._has_device(request))
        return response

    @staticmethod
    def _has_device(request):
        if not hasattr(request, "_has_confirmed_otp_device"):
            request._has_confirmed_otp_device = user_has_device(request.user, confirmed=True)
        return request._has_confirmed_otp_device

    def _require_verified_user(self, request):
        user = request.user
        if not user.is_authenticated or not is_admin_user(user):
            return False
        try:
            url_name = resolve(request.path_info).url_name
        except Resolver404:
            # wagtail-2fa resolves without this guard and would answer a path that matches no URL with a 500.
            url_name = None
        if url_name in self._allowed_url_names:
            return False
        has_device = self._has_device(request)
        if not has_device and url_name in self._allowed_url_names_no_device:
            return False
        return has_device or second_factor_required(user)


class DeviceTokenForm(TokenForm):
    """wagtail-2fa's code form, with the device the code is checked against.

    django-otp 1.7 no longer tries every device of a user when none is named (that counted failures against devices
    the user did not use), and wagtail-2fa 1.8 names none: its form refuses every code with "Please select a device".
    Here the device is the user's only confirmed authenticator, or the one chosen from a list if there are several.
    """

    otp_device = forms.ChoiceField(label="Gerät", required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True)) if user else []
        self.fields["otp_device"].choices = [(device.persistent_id, device.name) for device in self.devices]
        self.several_devices = len(self.devices) > 1

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None and len(self.devices) == 1:
            device = self.devices[0]
        return device


class VerifyCodeView(LoginView):
    """wagtail-2fa's "enter your code" step with the form above, at its URL and under its URL name."""

    form_class = DeviceTokenForm
