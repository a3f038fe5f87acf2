"""Every page carries a valid schema.org JSON-LD description of what it is."""

import json

import pytest
import rdflib
from wagtail.models import PageViewRestriction

from regions.fields_of_action.models import FieldOfActionPage
from regions.projects.models import ProjectPage

pytestmark = pytest.mark.django_db

QUERY = """
query ($site: String, $path: String) {
  page(site: $site, urlPath: $path) { structuredData children { urlPath structuredData } }
}
"""
SCHEMA = rdflib.Namespace("https://schema.org/")


def described(gql, site, path):
    page = gql.data(QUERY, {"site": site, "path": path})["page"]
    return json.loads(page["structuredData"]), [json.loads(child["structuredData"]) for child in page["children"]]


def as_graph(document):
    """Parses the JSON-LD offline: the remote schema.org context is replaced by the equivalent @vocab."""
    offline = {**document, "@context": {"@vocab": "https://schema.org/"}}
    graph = rdflib.Graph()
    graph.parse(data=json.dumps(offline), format="json-ld")
    return graph


def test_municipality_is_a_government_organization(demo_content, gql):
    home, _children = described(gql, "kassel.localhost", "/")
    assert home["@context"] == "https://schema.org"
    assert home["@type"] == "GovernmentOrganization"
    assert home["name"] == "Stadt Kassel"
    assert home["identifier"] == {"@type": "PropertyValue", "propertyID": "ARS", "value": "066110000000"}
    graph = as_graph(home)
    assert (None, rdflib.RDF.type, SCHEMA.GovernmentOrganization) in graph


def test_projects_are_funded_by_the_programme_grant(demo_content, gql):
    _index, projects = described(gql, "kassel.localhost", "/projekte/")
    assert projects and all(project["@type"] == "Project" for project in projects)
    grant = projects[0]["funding"]
    assert grant["@type"] == "MonetaryGrant"
    assert grant["amount"] == {"@type": "MonetaryAmount", "currency": "EUR", "value": 11_000_000}
    assert projects[0]["parentOrganization"]["name"] == "Stadt Kassel"
    graph = as_graph(projects[0])
    assert (None, SCHEMA.funding, None) in graph and (None, rdflib.RDF.type, SCHEMA.MonetaryGrant) in graph


def test_team_calls_and_programme(demo_content, gql):
    team, _ = described(gql, "kassel.localhost", "/team/")
    assert team["@type"] == "ContactPage"
    contact_points = team["mainEntity"]["contactPoint"]
    assert contact_points and all(point["@type"] == "ContactPoint" and point["contactType"] for point in contact_points)
    assert "member" not in team["mainEntity"]  # the demo team names roles, never people

    _index, calls = described(gql, "kielregion.localhost", "/ideenaufrufe/")
    assert calls and all(call["@type"] == "Event" for call in calls)
    assert any(call.get("startDate") for call in calls)

    home, children = described(gql, "kassel.localhost", "/")
    programme = next(child for child in children if child["@type"] == "MonetaryGrant")
    assert programme["funder"]["@type"] == "GovernmentOrganization"
    for document in [team, *calls, programme, *children]:
        assert len(as_graph(document)) > 0


def test_other_pages_are_web_pages(demo_content, gql):
    impressum, _ = described(gql, "kassel.localhost", "/impressum/")
    assert impressum["@type"] == "WebPage"
    assert impressum["publisher"]["name"] == "Stadt Kassel"


def test_a_project_names_only_public_fields_of_action_of_its_own_municipality(demo_content, gql):
    kassel_fields = FieldOfActionPage.objects.filter(url_path__startswith="/kassel/").order_by("path")
    draft, restricted, public = kassel_fields[0], kassel_fields[1], kassel_fields[2]
    draft.unpublish()
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x")
    foreign = FieldOfActionPage.objects.filter(url_path__startswith="/kielregion/").first()
    project = ProjectPage.objects.filter(url_path__startswith="/kassel/").first()
    # Planted through the ORM, as a database may hold it whatever the admin's forms refuse.
    project.fields_of_action.set([draft, restricted, public, foreign])
    project.save()
    _index, projects = described(gql, "kassel.localhost", "/projekte/")
    keywords = next(item for item in projects if item["name"] == project.title)["keywords"]
    assert keywords == [public.title]
