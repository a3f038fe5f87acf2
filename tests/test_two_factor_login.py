"""Two-factor login with an authenticator app (TOTP, wagtail-2fa): optional for every admin user, required for
superusers when ADMIN_2FA_REQUIRED_FOR_SUPERUSERS is on, and in German.

Codes are computed the way an authenticator app does, from the device's key with django-otp's TOTP."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "richtiges-passwort-2024"
WRONG_CODE_TEXT = "Der Code ist nicht richtig."


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)


@pytest.fixture
def staff():
    group = Group.objects.create(name="Redaktion")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    user = get_user_model().objects.create_user("redakteurin", "redakteurin@example.org", PASSWORD)
    user.groups.add(group)
    return user


def password_login(username):
    client = Client()
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def code(device, steps_ahead=0):
    """The code an authenticator app shows for this device now, or `steps_ahead` time steps (30 s) later."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return str(totp.token()).zfill(device.digits)


def wrong_code(device):
    return "000000" if code(device) != "000000" else "111111"


def set_up_device(client, user):
    """Goes through the German setup page: QR code, then name, code and password."""
    page = client.get("/admin/2fa/devices/new")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(
        "/admin/2fa/devices/new", {"name": "Diensthandy", "otp_token": code(device), "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    return device


@override_settings(ADMIN_2FA_REQUIRED_FOR_SUPERUSERS=True)
def test_a_superuser_must_set_up_a_device_before_the_dashboard_when_required(superuser):
    client = password_login("admin")

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/2fa/devices/new")
    # Every other admin page sends them there too, until the device is set up.
    assert client.get("/admin/pages/").url.startswith("/admin/2fa/devices/new")

    setup = client.get("/admin/2fa/devices/new").content.decode()
    assert "Zwei-Faktor-Anmeldung" in setup and "Authenticator-App" in setup and "QR-Code" in setup
    assert "Zwei-Faktor-Anmeldung einrichten" in setup  # the only menu entry left, in German
    assert "Two-Factor" not in setup and "2FA Setup" not in setup
    qr_code = client.get("/admin/2fa/devices/qr-code")
    assert qr_code.status_code == 200 and qr_code["Content-Type"] == "image/svg+xml"

    device = TOTPDevice.objects.get(user=superuser, confirmed=False)
    refused = client.post(
        "/admin/2fa/devices/new", {"name": "Diensthandy", "otp_token": wrong_code(device), "password": PASSWORD}
    )
    assert WRONG_CODE_TEXT in refused.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    set_up_device(client, superuser)
    assert client.get("/admin/").status_code == 200


@override_settings(ADMIN_2FA_REQUIRED_FOR_SUPERUSERS=True)
def test_a_valid_code_logs_in_a_wrong_one_is_refused_in_german(superuser):
    device = set_up_device(password_login("admin"), superuser)

    client = password_login("admin")
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/admin/2fa/auth")
    form = client.get(response.url).content.decode()
    assert "Bestätigungscode eingeben" in form and "Authenticator-App" in form

    refused = client.post("/admin/2fa/auth", {"otp_token": wrong_code(device)})
    assert refused.status_code == 200 and WRONG_CODE_TEXT in refused.content.decode()
    assert client.get("/admin/").status_code == 302

    # django-otp throttles after a wrong code: even the right one waits a moment, and says so in German.
    throttled = client.post("/admin/2fa/auth", {"otp_token": code(device, steps_ahead=1)})
    assert "ist die Prüfung kurz gesperrt" in throttled.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(minutes=1))

    # The setup used the current code, and a code counts only once: the app's next one logs in.
    response = client.post("/admin/2fa/auth", {"otp_token": code(device, steps_ahead=1), "next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


@override_settings(ADMIN_2FA_REQUIRED_FOR_SUPERUSERS=True)
def test_staff_without_a_device_log_in_without_a_code(staff):
    client = password_login("redakteurin")
    assert client.get("/admin/").status_code == 200
    # They may set up a device on their own: their account page offers it in German.
    assert "Zwei-Faktor-Anmeldung" in client.get("/admin/account/").content.decode()
    assert client.get("/admin/2fa/devices/new").status_code == 200


@override_settings(ADMIN_2FA_REQUIRED_FOR_SUPERUSERS=False)
def test_superusers_need_no_device_while_the_setting_is_off(superuser):
    assert password_login("admin").get("/admin/").status_code == 200


def test_whoever_set_up_a_device_must_use_it(staff):
    device = TOTPDevice.objects.create(user=staff, name="Diensthandy", confirmed=True)
    client = password_login("redakteurin")
    assert client.get("/admin/").url.startswith("/admin/2fa/auth")
    # A path that matches no URL is refused the same way, not answered with a server error.
    assert client.get("/keine-seite.txt").status_code == 302

    response = client.post("/admin/2fa/auth", {"otp_token": code(device), "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_with_several_devices_the_code_is_checked_against_the_chosen_one(staff):
    TOTPDevice.objects.create(user=staff, name="Diensthandy", confirmed=True)
    tablet = TOTPDevice.objects.create(user=staff, name="Tablet", confirmed=True)
    client = password_login("redakteurin")
    form = client.get("/admin/2fa/auth").content.decode()
    assert "Diensthandy" in form and "Tablet" in form

    unnamed = client.post("/admin/2fa/auth", {"otp_token": code(tablet)})
    assert "Bitte wählen Sie das Gerät aus" in unnamed.content.decode()
    response = client.post("/admin/2fa/auth", {"otp_device": tablet.persistent_id, "otp_token": code(tablet)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_verified_superuser_removes_a_lost_device_of_an_editor(superuser, staff):
    lost = TOTPDevice.objects.create(user=staff, name="Verlorenes Handy", confirmed=True)
    admin = password_login("admin")
    set_up_device(admin, superuser)

    # The users listing leads to each account's devices.
    assert f'href="/admin/2fa/devices/{staff.pk}"' in admin.get("/admin/users/").content.decode()
    listing = admin.get(f"/admin/2fa/devices/{staff.pk}").content.decode()
    assert "Verlorenes Handy" in listing and "Entfernen" in listing
    confirm = admin.get(f"/admin/2fa/devices/{lost.pk}/remove").content.decode()
    assert "Soll das Gerät „Verlorenes Handy“ von redakteurin entfernt werden?" in confirm
    admin.post(f"/admin/2fa/devices/{lost.pk}/remove", {"user_id": staff.pk})
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    assert password_login("redakteurin").get("/admin/").status_code == 200


def test_the_api_neither_asks_for_a_code_nor_varies_by_the_session_cookie(staff):
    TOTPDevice.objects.create(user=staff, name="Diensthandy", confirmed=True)
    unverified = password_login("redakteurin")
    for client in (Client(), unverified):
        response = client.post("/graphql/", {"query": "{ __typename }"}, content_type="application/json")
        assert response.status_code == 200, response.content
        assert "cookie" not in response.get("Vary", "").lower()
    # The same session is still sent to the code form in the admin.
    assert unverified.get("/admin/").url.startswith("/admin/2fa/auth")
