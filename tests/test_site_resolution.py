"""A query names its municipality; an unknown or ambiguous one is an error, never another city's content."""

import pytest
from wagtail.models import Site

from regions.fields_of_action.factories import FieldOfActionIndexPageFactory, FieldOfActionPageFactory
from sites.factories import ContentPageFactory

pytestmark = pytest.mark.django_db

HOME = "query ($site: String) { municipality(site: $site) { officialName } }"


def test_request_hostname_selects_the_municipality(gql, two_cities):
    assert gql.data(HOME, host="kiel.test")["municipality"]["officialName"] == "Kiel"
    assert gql.data(HOME, host="kassel.test:8000")["municipality"]["officialName"] == "Kassel"


def test_unknown_site_argument_is_an_error_not_a_fallback(gql, two_cities):
    Site.objects.filter(hostname="kiel.test").update(is_default_site=True)
    status, messages = gql.errors(HOME, {"site": "hamburg.test"}, host="kiel.test")
    assert status == 200
    assert messages == ['Unknown site "hamburg.test". Use the hostname of a municipality\'s site.']


def test_unknown_request_host_without_site_argument_is_an_error(gql, two_cities):
    Site.objects.filter(hostname="kiel.test").update(is_default_site=True)
    _status, messages = gql.errors(HOME, host="api.example.org")
    assert "No municipality is served" in messages[0]


def test_every_root_field_that_lists_content_refuses_an_unknown_site(gql, two_cities):
    for field in (
        'pages(site: "x.test") { id }',
        'search(site: "x.test", query: "a") { id }',
        'projects(site: "x.test") { id }',
        'callsForIdeas(site: "x.test") { id }',
        'images(site: "x.test") { id }',
        'documents(site: "x.test") { id }',
        'siteSettings(site: "x.test") { frontendBaseUrl }',
        'page(site: "x.test", urlPath: "/") { id }',
    ):
        _status, messages = gql.errors("{ %s }" % field)
        assert messages == ['Unknown site "x.test". Use the hostname of a municipality\'s site.'], field


def test_same_hostname_on_two_ports_needs_the_port(gql, two_cities):
    kiel, _kassel = two_cities
    Site.objects.create(hostname="kiel.test", port=8080, root_page=kiel, site_name="Kiel (Port 8080)")
    _status, messages = gql.errors(HOME, {"site": "kiel.test"})
    assert "matches several sites" in messages[0]
    assert gql.data(HOME, {"site": "kiel.test:8080"})["municipality"]["officialName"] == "Kiel"


def test_slug_lookup_is_scoped_to_the_site(gql, two_cities):
    kiel, kassel = two_cities
    ContentPageFactory(parent=kiel, title="Impressum Kiel", slug="impressum")
    ContentPageFactory(parent=kassel, title="Impressum Kassel", slug="impressum")
    query = '{ page(slug: "impressum") { title } }'
    assert gql.data(query, host="kiel.test")["page"]["title"] == "Impressum Kiel"
    assert gql.data(query, host="kassel.test")["page"]["title"] == "Impressum Kassel"


def test_ambiguous_slug_within_one_site_is_an_error(gql, two_cities):
    kiel, _kassel = two_cities
    first_index = FieldOfActionIndexPageFactory(parent=kiel, slug="handlungsfelder")
    FieldOfActionPageFactory(parent=first_index, slug="mobilitaet")
    ContentPageFactory(parent=kiel, slug="mobilitaet-info")
    info_page = ContentPageFactory(parent=kiel, slug="info")
    ContentPageFactory(parent=info_page, slug="mobilitaet")
    _status, messages = gql.errors('{ page(slug: "mobilitaet") { title } }', host="kiel.test")
    assert messages == ['Several pages of this site have the slug "mobilitaet"; query by urlPath instead.']


def test_lists_contain_only_the_named_site(gql, two_cities):
    kiel, kassel = two_cities
    ContentPageFactory(parent=kiel, title="Nur Kiel")
    ContentPageFactory(parent=kassel, title="Nur Kassel")
    kiel_titles = {page["title"] for page in gql.data("{ pages(limit: 100) { title } }", host="kiel.test")["pages"]}
    assert "Nur Kiel" in kiel_titles
    assert "Nur Kassel" not in kiel_titles
    assert "Kassel" not in kiel_titles


def test_page_id_of_another_city_is_not_found_on_this_city(gql, two_cities):
    kiel, _kassel = two_cities
    assert gql.data("query ($id: ID) { page(id: $id) { title } }", {"id": kiel.pk}, host="kassel.test")["page"] is None
