import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from tests.browser import BrowserOptions, headless_chromium

QUERIES_DIR = Path(__file__).resolve().parent.parent / "graphql" / "queries"


class GraphQLClient:
    """Posts GraphQL documents through Django's full request stack, as a frontend would."""

    def __init__(self, client):
        self.client = client

    def post(self, query, variables=None, host="kassel.localhost"):
        response = self.client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            HTTP_HOST=host,
        )
        return response.status_code, json.loads(response.content)

    def data(self, query, variables=None, host="kassel.localhost"):
        """The `data` of a response that must have no errors."""
        status, body = self.post(query, variables, host)
        assert status == 200, body
        assert "errors" not in body, body["errors"]
        return body["data"]

    def errors(self, query, variables=None, host="kassel.localhost"):
        status, body = self.post(query, variables, host)
        assert body.get("errors"), body
        return status, [error["message"] for error in body["errors"]]

    def document(self, name, variables=None, host="kassel.localhost"):
        return self.data((QUERIES_DIR / name).read_text(encoding="utf-8"), variables, host)


@pytest.fixture
def gql():
    return GraphQLClient(Client())


@pytest.fixture
def demo_content(db):
    call_command("load_demo_content", verbosity=0)


@pytest.fixture
def two_cities(db):
    """Two municipalities built with factories, each with a Site of its own."""
    from sites.factories import create_municipality

    kiel = create_municipality(
        hostname="kiel.test", regional_key="010020000000", federal_state="01", title="Kiel", official_name="Kiel"
    )
    kassel = create_municipality(
        hostname="kassel.test", regional_key="066110000000", federal_state="06", title="Kassel", official_name="Kassel"
    )
    return kiel, kassel


@pytest.fixture
def live_tree(live_server, transactional_db):
    """A live server over a database whose Wagtail tree roots exist.

    Transactional tests flush every table, including the locale, root collection and root page that Wagtail's
    migrations create; tests that serve over a real socket need them back.
    """
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code="de")
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root", slug="root"))
    return live_server


@pytest.fixture
def browser_options():
    """How the `browser` fixture starts Chromium; a browser test module overrides this fixture for other needs."""
    return BrowserOptions()


@pytest.fixture
def browser(request, browser_options, monkeypatch):
    """Headless Chromium (tests/browser.py) for a test marked `browser`."""
    if request.node.get_closest_marker("browser") is None:
        pytest.fail("A test that uses the browser must be marked `browser`: `make test` leaves those out without one.")
    # The network is closed: Selenium Manager must never try to download a driver or a browser.
    monkeypatch.setenv("SE_OFFLINE", "true")
    with headless_chromium(browser_options) as driver:
        yield driver
