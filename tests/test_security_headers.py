"""The headers production sends (HSTS, Content-Security-Policy, the existing ones), its deployment check, and an admin
that calls no outside service.

The production settings module is loaded for real: in a subprocess for `manage.py check --deploy`, and in this
process (with a production-like environment) to apply its header settings to requests through the full stack."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parent.parent
PRODUCTION_ENVIRONMENT = {
    "SECRET_KEY": "production-like-key-" + "x7Qm2Lp9Vr4Tz8Kb1Nw6Hd3Fs5Gj0Yc" * 2,
    "ALLOWED_HOSTS": "cms.example.de,kassel.example.de",
    "DATABASE_URL": "postgres://cms@db.invalid:5432/cms",
}
# What production takes over from its settings module for these requests; the database stays the test database.
HEADER_SETTINGS = [
    "DEBUG",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CONTENT_SECURITY_POLICY",
    "CONTENT_SECURITY_POLICY_NON_HTML",
    "ADMIN_2FA_REQUIRED_FOR_SUPERUSERS",
]
STRICT_POLICY = {"default-src": "'none'", "frame-ancestors": "'none'"}


def directives(policy):
    """A Content-Security-Policy header as {directive: sources}; django-csp writes the directives in any order."""
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


@pytest.fixture
def production(monkeypatch):
    """The header settings of cms.settings.production, as a production environment configures it."""
    for name, value in PRODUCTION_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    for name in ("SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_SSL_REDIRECT"):
        monkeypatch.delenv(name, raising=False)
    sys.modules.pop("cms.settings.production", None)
    module = importlib.import_module("cms.settings.production")
    sys.modules.pop("cms.settings.production", None)
    with override_settings(**{name: getattr(module, name) for name in HEADER_SETTINGS}):
        yield module


def test_production_passes_the_deployment_check():
    environment = {**os.environ, **PRODUCTION_ENVIRONMENT, "DJANGO_SETTINGS_MODULE": "cms.settings.production"}
    for name in ("SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "DEBUG"):
        environment.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The one silenced warning is the HSTS preload list, off by default on purpose.
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_production_sends_hsts_and_keeps_the_existing_headers_over_https(production):
    response = Client().get("/admin/login/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_redirects_plain_http_and_sends_no_hsts_over_it(production):
    response = Client().get("/admin/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/admin/login/"
    assert "Strict-Transport-Security" not in response


def test_behind_the_proxy_the_forwarded_protocol_counts_as_https(production):
    response = Client().get("/admin/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "false", "max-age=31536000"),
        ("SECURE_HSTS_PRELOAD", "true", "max-age=31536000; includeSubDomains; preload"),
        ("SECURE_HSTS_SECONDS", "600", "max-age=600; includeSubDomains"),
    ],
)
def test_hsts_is_configurable(monkeypatch, production, variable, value, expected):
    monkeypatch.setenv(variable, value)
    sys.modules.pop("cms.settings.production", None)
    module = importlib.import_module("cms.settings.production")
    sys.modules.pop("cms.settings.production", None)
    names = ["SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"]
    with override_settings(**{name: getattr(module, name) for name in names}):
        assert Client().get("/admin/login/", secure=True)["Strict-Transport-Security"] == expected


def test_the_admin_gets_its_content_security_policy(production):
    policy = Client().get("/admin/login/", secure=True)["Content-Security-Policy"]
    admin = directives(policy)
    assert admin["default-src"] == "'self'"
    assert admin["script-src-elem"] == "'self' 'unsafe-inline'"
    assert admin["script-src-attr"] == "'none'"
    assert admin["connect-src"] == "'self'"
    assert admin["frame-src"] == "'self'"
    assert admin["frame-ancestors"] == "'self'"
    assert admin["object-src"] == "'none'"
    assert admin["form-action"] == "'self'"
    assert "unsafe-eval" not in policy


def test_the_api_and_open_data_get_a_policy_that_allows_nothing(production):
    client = Client()
    api = client.post(
        "/graphql/", data=json.dumps({"query": "{ __typename }"}), content_type="application/json", secure=True
    )
    assert api.status_code == 200, api.content
    assert directives(api["Content-Security-Policy"]) == STRICT_POLICY
    refused = client.post("/graphql/", data="{", content_type="application/json", secure=True)
    assert refused.status_code == 400 and directives(refused["Content-Security-Policy"]) == STRICT_POLICY
    opendata = client.get("/opendata/catalog.jsonld", secure=True)
    assert directives(opendata["Content-Security-Policy"]) == STRICT_POLICY
    assert opendata["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_session_cookie_is_secure_and_hidden_from_scripts(production):
    get_user_model().objects.create_superuser("admin", "admin@example.org", "passwort-2024")
    client = Client()
    with override_settings(ADMIN_2FA_REQUIRED_FOR_SUPERUSERS=False):
        response = client.post("/admin/login/", {"username": "admin", "password": "passwort-2024"}, secure=True)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert response.cookies[settings.CSRF_COOKIE_NAME]["secure"]


def test_production_requires_a_second_factor_for_superusers_by_default(production):
    assert production.ADMIN_2FA_REQUIRED_FOR_SUPERUSERS is True


def test_graphiql_gets_its_own_policy_where_it_is_switched_on():
    with override_settings(GRAPHIQL_ENABLED=True):
        response = Client().get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and "graphiql" in response.content.decode().lower()
    assert (
        directives(response["Content-Security-Policy"])["script-src"]
        == "'self' 'unsafe-inline' https://cdn.jsdelivr.net"
    )
    # Switched off (production's default), the same URL is the API, with the API's policy.
    with override_settings(GRAPHIQL_ENABLED=False):
        response = Client().get("/graphql/?query=%7B__typename%7D", HTTP_ACCEPT="text/html")
    assert directives(response["Content-Security-Policy"]) == STRICT_POLICY


def test_the_admin_calls_no_outside_service():
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False
    assert settings.WAGTAIL_ENABLE_WHATS_NEW_BANNER is False
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "passwort-2024")
    client = Client()
    client.force_login(admin)
    html = client.get("/admin/").content.decode() + client.get("/admin/account/").content.decode()
    assert "gravatar" not in html.lower()
    # The release check is a script that asks releases.wagtail.org; Wagtail leaves out its container when it is off.
    assert "data-w-upgrade" not in html and "releases.wagtail.org" not in html
