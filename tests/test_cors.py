"""CORS and the origin policy (docs/cors.md): public reads from any origin without credentials; mutations and preview
tokens from a browser only on the municipality's own origins; mutations only as JSON; no CORS for the admin."""

import json
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from regions.calls.factories import CallForIdeasPageFactory
from regions.calls.models import CallIndexPage
from regions.ideas.models import IdeaSubmission
from sites.models import MunicipalitySettings
from sites.origins import accepts_origin, origin_of
from tests.tenancy import build_city, client_for

pytestmark = pytest.mark.django_db

KIEL_FRONTEND = "http://kiel.test:3000"  # tests.tenancy: frontend and preview address on port 3000
KASSEL_FRONTEND = "http://kassel.test:3000"
FOREIGN = "https://boese.example"

SUBMIT = """
mutation ($input: SubmitIdeaInput!) {
  submitIdea(input: $input) { reference status errors { field code message } }
}
"""
PREVIEW = "query ($token: String, $site: String) { page(token: $token, site: $site) { title } }"
READ = "query { municipality { title } }"


@pytest.fixture(autouse=True)
def empty_rate_limits():
    cache.clear()
    yield
    cache.clear()


def with_open_call(city):
    index = CallIndexPage.objects.child_of(city.home).get()
    city.open_call = CallForIdeasPageFactory(parent=index, title=f"Offen {city.marker}", is_open=True)
    return city


@pytest.fixture
def kiel(db):
    return with_open_call(build_city("Kiel", "010020000000", "kiel.test"))


@pytest.fixture
def kassel(db):
    return with_open_call(build_city("Kassel", "066110000000", "kassel.test"))


def post(body, origin=None, host="kiel.test", content_type="application/json", path="/graphql/"):
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    return Client().post(path, data=body, content_type=content_type, HTTP_HOST=host, **headers)


def graphql(query, variables=None, origin=None, host="kiel.test"):
    response = post(json.dumps({"query": query, "variables": variables or {}}), origin, host)
    return response, json.loads(response.content)


def idea_variables(call, key):
    return {
        "callId": str(call.pk),
        "title": "Mehr Bänke am Hafen",
        "description": "Am Hafen fehlen Sitzgelegenheiten für ältere Menschen.",
        "email": "anna.beispiel@example.org",
        "consent": True,
        "consentTextVersion": "2026-01",
        "idempotencyKey": key,
    }


def submit(call, origin=None, host="kiel.test", key="key-0000000001", **overrides):
    return graphql(SUBMIT, {"input": {**idea_variables(call, key), **overrides}}, origin, host)


def error_codes(body):
    return [error.get("extensions", {}).get("code") for error in body.get("errors", [])]


def assert_stored(response, body):
    assert response.status_code == 200 and "errors" not in body, body
    assert body["data"]["submitIdea"]["errors"] == [] and body["data"]["submitIdea"]["reference"]


def assert_refused(response, body, code="FORBIDDEN_ORIGIN", status=403):
    assert response.status_code == status, body
    assert error_codes(body) == [code], body
    assert body["data"] == {"submitIdea": None} or body["data"] == {"page": None}, body


def cors_headers(response):
    return {
        name.lower(): value for name, value in response.headers.items() if name.lower().startswith("access-control")
    }


# --- the rule (sites.origins) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, origin",
    [
        ("https://www.Kassel.de/smart/", "https://www.kassel.de"),
        ("https://www.kassel.de:443", "https://www.kassel.de"),
        ("http://localhost:3000/preview", "http://localhost:3000"),
        ("https://beteiligung.münchen.de", "https://beteiligung.xn--mnchen-3ya.de"),
        ("http://[::1]:8080/", "http://[::1]:8080"),
        ("null", None),
        ("ftp://kassel.de", None),
        ("", None),
    ],
)
def test_origins_are_compared_in_the_form_browsers_send(url, origin):
    assert origin_of(url) == origin


def test_frontend_preview_and_listed_origins_belong_to_the_municipality():
    municipality_settings = MunicipalitySettings(
        frontend_base_url="https://www.kiel.de/smart",
        preview_url="https://vorschau.kiel.de/preview",
        additional_origins="https://beteiligung.kiel.de\n\n  http://localhost:5173  \n",
    )
    for origin in ("https://www.kiel.de", "https://vorschau.kiel.de", "https://beteiligung.kiel.de"):
        assert accepts_origin(municipality_settings, origin)
    assert accepts_origin(municipality_settings, "http://localhost:5173")
    for origin in ("http://www.kiel.de", "https://www.kiel.de:8443", "https://kiel.de", "null", FOREIGN):
        assert not accepts_origin(municipality_settings, origin)
    assert not accepts_origin(None, "https://www.kiel.de")


# --- CORS: preflights and reads from any origin ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/graphql/", "/opendata/catalog", "/opendata/010020000000/catalog.jsonld", "/opendata/nowhere"]
)
def test_preflights_of_api_and_open_data_answer_200_for_any_origin(path):
    for origin in (KIEL_FRONTEND, FOREIGN):
        response = Client().options(
            path,
            HTTP_HOST="kiel.test",
            HTTP_ORIGIN=origin,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type,apollographql-client-name,apollographql-client-version",
        )
        assert response.status_code == 200
        headers = cors_headers(response)
        assert headers["access-control-allow-origin"] == "*"
        assert {"GET", "POST"} <= {method.strip() for method in headers["access-control-allow-methods"].split(",")}
        allowed = {header.strip() for header in headers["access-control-allow-headers"].split(",")}
        assert {"content-type", "apollographql-client-name", "apollographql-client-version"} <= allowed
        assert int(headers["access-control-max-age"]) > 0
        assert "access-control-allow-credentials" not in headers


def test_queries_and_open_data_are_readable_from_any_origin_without_credentials_or_cookies(kiel):
    get = Client().get("/graphql/", {"query": READ}, HTTP_HOST="kiel.test", HTTP_ORIGIN=FOREIGN)
    posted, body = graphql(READ, origin=FOREIGN)
    catalogue = Client().get("/opendata/010020000000/catalog.jsonld", HTTP_HOST="kiel.test", HTTP_ORIGIN=FOREIGN)
    for response in (get, posted, catalogue):
        assert response.status_code == 200
        headers = cors_headers(response)
        assert headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in headers
        assert "origin" in response.headers["Vary"].lower()
        assert not response.cookies, response.cookies
    assert json.loads(get.content)["data"] == body["data"] == {"municipality": {"title": "Kiel"}}
    # A client may read the headers it needs for conditional requests, licence links and back-off.
    exposed = {header.strip().lower() for header in cors_headers(catalogue)["access-control-expose-headers"].split(",")}
    assert {"etag", "link", "retry-after"} <= exposed


@pytest.mark.parametrize("path", ["/admin/login/", "/admin/", "/django-admin/login/", "/"])
def test_the_admin_and_everything_else_send_no_cors_headers(path):
    client = Client()
    preflight = client.options(
        path, HTTP_HOST="kiel.test", HTTP_ORIGIN=FOREIGN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    plain = client.get(path, HTTP_HOST="kiel.test", HTTP_ORIGIN=KIEL_FRONTEND)
    assert cors_headers(preflight) == {} and cors_headers(plain) == {}


# --- the origin policy: mutations ------------------------------------------------------------------------------------


def test_an_idea_is_stored_from_the_frontend_or_a_server_and_refused_from_any_other_origin(kiel, kassel):
    for origin in (
        FOREIGN,
        KASSEL_FRONTEND,  # another municipality's frontend
        "null",  # sandboxed frames and file:// pages
        "https://kiel.test:3000",  # the right host with another scheme
        "http://kiel.test:3001",  # or another port
        "http://kiel.test",
    ):
        response, body = submit(kiel.open_call, origin=origin)
        assert_refused(response, body)
        message = body["errors"][0]["message"]
        assert origin not in message and "kiel.test" not in message
        # The page may read the refusal: it carries the CORS headers too.
        assert cors_headers(response)["access-control-allow-origin"] == "*"
    assert IdeaSubmission.objects.count() == 0

    response, body = submit(kiel.open_call, origin=KIEL_FRONTEND)
    assert_stored(response, body)
    assert cors_headers(response)["access-control-allow-origin"] == "*"
    assert not response.cookies
    # Without an Origin header the request comes from a server-side client.
    response, body = submit(kiel.open_call, key="key-0000000002")
    assert_stored(response, body)
    assert list(IdeaSubmission.objects.values_list("home_page_id", flat=True)) == [kiel.home.pk] * 2


def test_the_origin_is_checked_against_the_site_the_mutation_names_not_the_host(kiel, kassel):
    # Kiel's frontend posts to Kassel's site through Kiel's host name: Kassel's origins decide.
    response, body = submit(kassel.open_call, origin=KIEL_FRONTEND, host="kiel.test", site="kassel.test")
    assert_refused(response, body)
    response, body = submit(kiel.open_call, origin=KIEL_FRONTEND, host="unbekannt.test")
    assert response.status_code == 200 and body["data"] == {"submitIdea": None}
    assert "No municipality is served" in body["errors"][0]["message"]
    assert IdeaSubmission.objects.count() == 0

    response, body = submit(kassel.open_call, origin=KASSEL_FRONTEND, host="kiel.test", site="kassel.test")
    assert_stored(response, body)
    assert IdeaSubmission.objects.get().home_page_id == kassel.home.pk


def mutation_body(content_type, idea):
    """The submission as a page could send it without a preflight (form, text) or as a GraphQL document."""
    if content_type == "application/graphql":
        arguments = ", ".join(f"{name}: {json.dumps(value)}" for name, value in idea.items())
        return SUBMIT.replace("($input: SubmitIdeaInput!)", "").replace("$input", "{%s}" % arguments)
    if content_type == "text/plain":
        return json.dumps({"query": SUBMIT, "variables": {"input": idea}})
    return urlencode({"query": SUBMIT, "variables": json.dumps({"input": idea})})


def test_mutations_are_accepted_only_as_json(kiel):
    for content_type in ("application/graphql", "text/plain", "application/x-www-form-urlencoded"):
        for origin in (None, KIEL_FRONTEND):
            body = mutation_body(content_type, idea_variables(kiel.open_call, "key-0000000002"))
            response = post(body, origin, content_type=content_type)
            assert 400 <= response.status_code < 500, (content_type, response.content)
            if content_type == "application/graphql":
                # A GraphQL document is parsed; its mutation is refused by the origin policy's content-type rule.
                assert response.status_code == 415
                assert error_codes(json.loads(response.content)) == ["UNSUPPORTED_MEDIA_TYPE"]
    assert IdeaSubmission.objects.count() == 0


# --- the origin policy: preview tokens -------------------------------------------------------------------------------


def test_a_preview_token_works_only_from_the_municipalitys_own_origins(kiel):
    kiel.draft.title = "Kiel in Vorschau"
    variables = {"token": kiel.draft.create_page_preview().token}

    for origin in (None, KIEL_FRONTEND):
        response, body = graphql(PREVIEW, variables, origin)
        assert response.status_code == 200 and body == {"data": {"page": {"title": kiel.draft.title}}}, body
    for origin in (FOREIGN, KASSEL_FRONTEND, "null"):
        response, body = graphql(PREVIEW, variables, origin)
        assert_refused(response, body)
        assert kiel.draft.title not in json.dumps(body)

    # The preview address may live on an origin of its own.
    MunicipalitySettings.objects.filter(site=kiel.site).update(preview_url="https://vorschau.kiel.test/preview")
    response, body = graphql(PREVIEW, variables, "https://vorschau.kiel.test")
    assert body == {"data": {"page": {"title": kiel.draft.title}}}, body
    # Reading published pages needs no particular origin.
    response, body = graphql("query ($id: ID) { page(id: $id) { title } }", {"id": str(kiel.page.pk)}, FOREIGN)
    assert body == {"data": {"page": {"title": kiel.page.title}}}, body


# --- additional origins in the settings ------------------------------------------------------------------------------


def settings_form(**overrides):
    return {
        "frontend_base_url": KIEL_FRONTEND,
        "preview_url": f"{KIEL_FRONTEND}/preview",
        "additional_origins": "",
        "data_licence": "dl-by-de/2.0",
        **overrides,
    }


def test_moderators_list_additional_origins_which_are_then_accepted(kiel):
    extra = "https://beteiligung.kiel.test"
    response, body = submit(kiel.open_call, origin=extra)
    assert_refused(response, body)

    url = reverse("wagtailsettings:edit", args=["sites", "municipalitysettings", kiel.site.pk])
    response = client_for(kiel.moderator).post(
        url, settings_form(additional_origins=f"{extra}\r\n\r\n  http://localhost:5173 \r\n")
    )
    assert response.status_code == 302
    response, body = submit(kiel.open_call, origin=extra)
    assert_stored(response, body)
    response, body = submit(kiel.open_call, origin="http://localhost:5173", key="key-0000000003")
    assert_stored(response, body)
    assert IdeaSubmission.objects.count() == 2


def test_additional_origins_are_validated_with_a_german_form_error(kiel):
    before = MunicipalitySettings.objects.filter(site=kiel.site).values().get()
    url = reverse("wagtailsettings:edit", args=["sites", "municipalitysettings", kiel.site.pk])
    client = client_for(kiel.moderator)
    for line in (
        "beteiligung.kiel.test",
        "https://beteiligung.kiel.test/ideen",
        "https://beteiligung.kiel.test/",
        "ftp://beteiligung.kiel.test",
        "https://*.kiel.test",
        "https://nutzer@beteiligung.kiel.test",
        "https://beteiligung.kiel.test:99999",
        "https://beteiligung.kiel.test?x=1",
    ):
        response = client.post(url, settings_form(additional_origins=f"https://ok.kiel.test\n{line}"))
        assert response.status_code == 200, line
        page = response.content.decode()
        assert "Keine gültige Herkunft (Origin): „%s“." % line in page, line
        assert "Bitte eine Adresse pro Zeile angeben." in page
        assert MunicipalitySettings.objects.filter(site=kiel.site).values().get() == before
