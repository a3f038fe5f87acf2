"""Failed admin logins are throttled per account and per address (django-axes), with a German message, an unlock
view for superusers and a lockout that ends by itself after the cool-off.

Every login goes through the real admin login form over Django's full request stack; the client's address is set
per request, as the reverse proxy would pass it."""

import io
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings

from cms.security.login import lockout_response

pytestmark = pytest.mark.django_db

PASSWORD = "richtiges-passwort-2024"
LOCKOUT_TEXT = "Zu viele fehlgeschlagene Anmeldeversuche"
OFFICE = "198.51.100.10"


@pytest.fixture
def editors_group():
    group = Group.objects.create(name="Redaktion")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return group


def editor(group, username):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD)
    user.groups.add(group)
    return user


@pytest.fixture
def alice(editors_group):
    return editor(editors_group, "alice")


@pytest.fixture
def bob(editors_group):
    return editor(editors_group, "bob")


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)


def log_in(username, password, address, client=None, url="/admin/login/", **headers):
    """Posts the admin's login form as a browser at `address` would; returns the response and the client."""
    client = client or Client()
    response = client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)
    return response, client


def logged_in(client):
    return "_auth_user_id" in client.session


def is_lockout(response):
    return response.status_code == 429 and LOCKOUT_TEXT in response.content.decode()


def fail(username, address, times):
    """Wrong passwords; returns the number of the attempt whose answer was the lockout page, or None."""
    for attempt in range(1, times + 1):
        response, _ = log_in(username, "falsch", address)
        if is_lockout(response):
            return attempt
        assert response.status_code == 200, response.status_code
    return None


def test_sixty_wrong_passwords_then_the_right_one_does_not_log_in(alice):
    # The fifth wrong password is answered with the lockout page already; the rest are refused unseen.
    locked_at = None
    for attempt in range(1, 61):
        response, _ = log_in("alice", f"falsch-{attempt}", OFFICE)
        if locked_at is None and is_lockout(response):
            locked_at = attempt
        assert response.status_code in (200, 429)
    assert locked_at == 5

    response, client = log_in("alice", PASSWORD, OFFICE)
    assert is_lockout(response)
    assert not logged_in(client)
    assert client.get("/admin/").status_code == 302


def test_lockout_page_is_the_german_login_form_with_the_username_kept(alice):
    fail("alice", OFFICE, 5)
    response, _ = log_in("alice", PASSWORD, OFFICE)
    html = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"] == "900"
    assert '<html lang="de"' in html
    assert "Bitte versuchen Sie es in 15 Minuten erneut" in html
    # Wagtail's own login form, not a bare error page: the username stays filled in, and no English text shows.
    assert 'name="username"' in html and 'value="alice"' in html
    assert "Passwort" in html and ">Password<" not in html.replace("\n", "").replace(" ", "")
    assert "Account locked" not in html and "too many login attempts" not in html


def test_an_account_is_locked_whatever_address_the_attempts_come_from(alice, bob):
    addresses = [f"203.0.113.{n}" for n in range(1, 6)]
    for address in addresses:
        response, _ = log_in("alice", "falsch", address)
    assert is_lockout(response)

    response, client = log_in("alice", PASSWORD, "192.0.2.77")
    assert is_lockout(response) and not logged_in(client)
    # The addresses themselves are not locked: another account logs in from them.
    response, client = log_in("bob", PASSWORD, addresses[0])
    assert response.status_code == 302 and logged_in(client)


def test_an_address_is_locked_across_accounts_after_its_own_higher_limit(alice, bob):
    # One wrong password each for twenty different accounts: no account reaches its limit of five.
    for number in range(1, 21):
        response, _ = log_in(f"konto-{number}", "falsch", OFFICE)
    assert is_lockout(response)

    response, client = log_in("bob", PASSWORD, OFFICE)
    assert is_lockout(response) and not logged_in(client)
    response, client = log_in("bob", PASSWORD, "192.0.2.78")
    assert response.status_code == 302 and logged_in(client)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_address_the_proxy_saw_counts_not_a_forged_header(alice, bob):
    proxy = "10.0.0.2"
    for attempt in range(20):
        # The client forges the left part of X-Forwarded-For; the proxy appends the address it really saw.
        forged = f"192.0.2.{attempt}, {OFFICE}"
        response, _ = log_in(f"konto-{attempt}", "falsch", proxy, HTTP_X_FORWARDED_FOR=forged)
    assert is_lockout(response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}

    response, _ = log_in("bob", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=OFFICE)
    assert is_lockout(response)
    response, client = log_in("bob", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert response.status_code == 302 and logged_in(client)


def test_attempts_during_the_lockout_do_not_prolong_it_and_it_ends_after_the_cool_off(alice):
    fail("alice", OFFICE, 5)
    last_counted = AccessAttempt.objects.get().attempt_time
    for _ in range(3):
        assert is_lockout(log_in("alice", PASSWORD, OFFICE)[0])
    assert AccessAttempt.objects.get().attempt_time == last_counted

    # Fifteen minutes after the last counted failure the lockout is over.
    AccessAttempt.objects.update(attempt_time=last_counted - timedelta(minutes=15, seconds=1))
    response, client = log_in("alice", PASSWORD, OFFICE)
    assert response.status_code == 302 and logged_in(client)


@override_settings(AXES_COOLOFF_TIME=timedelta(minutes=1))
def test_the_cool_off_is_a_setting(alice):
    fail("alice", OFFICE, 5)
    response, _ = log_in("alice", PASSWORD, OFFICE)
    assert "Bitte versuchen Sie es in einer Minute erneut" in response.content.decode()
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(seconds=61))
    assert log_in("alice", PASSWORD, OFFICE)[0].status_code == 302


def test_a_superuser_lifts_an_account_lockout_in_the_admin(alice, superuser):
    fail("alice", OFFICE, 5)
    admin = Client()
    admin.force_login(superuser)

    listing = admin.get("/admin/anmeldesperren/")
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "Gesperrte Anmeldungen" in html and "alice" in html and "Entsperren" in html

    response = admin.post("/admin/anmeldesperren/", {"kind": "account", "value": "alice"}, follow=True)
    assert "Die Anmeldung für das Konto „alice“ ist wieder möglich." in response.content.decode()
    assert "Kein Konto ist gesperrt." in response.content.decode()

    response, client = log_in("alice", PASSWORD, OFFICE)
    assert response.status_code == 302 and logged_in(client)


def test_a_superuser_lifts_an_address_lockout_in_the_admin(bob, superuser):
    for number in range(20):
        log_in(f"konto-{number}", "falsch", OFFICE)
    admin = Client()
    admin.force_login(superuser)
    assert OFFICE in admin.get("/admin/anmeldesperren/").content.decode()

    for bad in ({"kind": "address", "value": "kein-ip"}, {"kind": "konto", "value": "bob"}, {"kind": "account"}):
        refused = admin.post("/admin/anmeldesperren/", bad, follow=True)
        assert "Unbekannte Sperre" in refused.content.decode()
    assert is_lockout(log_in("bob", PASSWORD, OFFICE)[0])

    admin.post("/admin/anmeldesperren/", {"kind": "address", "value": OFFICE})
    response, client = log_in("bob", PASSWORD, OFFICE)
    assert response.status_code == 302 and logged_in(client)


def test_the_documented_management_command_lifts_a_lockout(alice):
    fail("alice", OFFICE, 5)
    call_command("axes_reset_username", "alice", stdout=io.StringIO())
    response, client = log_in("alice", PASSWORD, OFFICE)
    assert response.status_code == 302 and logged_in(client)


def test_only_superusers_see_and_use_the_unlock_view(alice, bob, superuser):
    fail("alice", OFFICE, 5)
    editor_client = Client()
    editor_client.force_login(bob)
    # Wagtail turns the refusal into its German "no permission" message on the dashboard.
    refusal = editor_client.get("/admin/anmeldesperren/", follow=True)
    assert refusal.redirect_chain == [("/admin/", 302)]
    assert "keinen Zugang zu diesem Bereich" in refusal.content.decode() and "alice" not in refusal.content.decode()
    assert editor_client.post("/admin/anmeldesperren/", {"kind": "account", "value": "alice"}).status_code == 302
    assert AccessAttempt.objects.filter(username="alice").exists()
    # The settings menu offers the view to superusers only.
    assert "Gesperrte Anmeldungen" not in editor_client.get("/admin/").content.decode()
    admin = Client()
    admin.force_login(superuser)
    assert "Gesperrte Anmeldungen" in admin.get("/admin/").content.decode()


def test_the_django_admin_login_is_throttled_by_the_same_count(alice):
    fail("alice", OFFICE, 5)
    response, client = log_in("alice", PASSWORD, OFFICE, url="/django-admin/login/")
    assert response.status_code == 429 and not logged_in(client)
    assert LOCKOUT_TEXT in response.content.decode()


def test_a_password_reset_neither_logs_in_nor_lifts_the_lockout(alice):
    fail("alice", OFFICE, 5)
    client = Client(REMOTE_ADDR=OFFICE)
    client.post("/admin/password_reset/", {"email": "alice@example.org"})
    link = re.search(r"https?://[^/\s]+(/admin/password_reset/confirm/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    new_password = "ein-ganz-neues-passwort-2025"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert not logged_in(client)

    response, client = log_in("alice", new_password, OFFICE)
    assert is_lockout(response) and not logged_in(client)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_garbled_forwarded_address_counts_as_the_socket_address_and_is_no_error(alice):
    for _ in range(5):
        response, _ = log_in("alice", "falsch", "10.0.0.2", HTTP_X_FORWARDED_FOR="<script>, nicht-eine-adresse")
        assert response.status_code in (200, 429)
    assert is_lockout(response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.2"}


def test_a_lockout_outside_a_login_form_gets_a_german_page(rf):
    request = rf.post("/admin/")
    request.user = AnonymousUser()
    response = lockout_response(request, original_response=None)
    assert response.status_code == 429
    assert LOCKOUT_TEXT in response.content.decode() and "Zur Anmeldung" in response.content.decode()
