"""Open data under /opendata/: DCAT-AP.de catalogues and bulk exports (docs/opendata.md)."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from rdflib.namespace import DCAT, DCTERMS, RDF
from wagtail.models import PageViewRestriction

from cms.opendata.datasets import KINDS, columns_of
from cms.opendata.dcat import HYDRA, build_catalogue, serialise
from regions.calls.models import CallForIdeasPage
from regions.fields_of_action.models import FieldOfActionIndexPage, FieldOfActionPage
from regions.ideas.factories import IdeaSubmissionFactory
from regions.ideas.models import IdeaStatus
from regions.projects.models import ProjectIndexPage, ProjectPage
from sites.models import MunicipalityHomePage, MunicipalitySettings

KASSEL = "066110000000"
KIEL = "010020000000"
RDF_FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}
CONTENT_TYPES = {
    "ttl": "text/turtle; charset=utf-8",
    "rdf": "application/rdf+xml; charset=utf-8",
    "jsonld": "application/ld+json",
}
VALIDATOR = Path(settings.BASE_DIR).parent / "shared" / "opendata" / "dcat-ap-de" / "validate.py"


@pytest.fixture
def client():
    return Client()


def graph_of(response, ending):
    assert response.status_code == 200, response.content[:300]
    return rdflib.Graph().parse(data=response.content, format=RDF_FORMATS[ending])


def datasets_in(graph):
    return {str(node) for node in graph.subjects(RDF.type, DCAT.Dataset)}


def all_urls():
    yield "/opendata/catalog"
    for key in (KASSEL, KIEL):
        yield f"/opendata/{key}/catalog"
        for ending in RDF_FORMATS:
            yield f"/opendata/{key}/catalog.{ending}"
    for ending in RDF_FORMATS:
        yield f"/opendata/catalog.{ending}"
    for kind in KINDS:
        for ending in ("csv", "json"):
            yield f"/opendata/{kind.slug}.{ending}"
            for key in (KASSEL, KIEL):
                yield f"/opendata/{key}/{kind.slug}.{ending}"


def kassel_projects():
    return ProjectIndexPage.objects.descendant_of(MunicipalityHomePage.objects.get(regional_key=KASSEL)).get()


# Catalogue formats


@pytest.mark.parametrize("ending", RDF_FORMATS)
def test_catalogue_format_by_ending(demo_content, client, ending):
    response = client.get(f"/opendata/catalog.{ending}")
    assert response["Content-Type"] == CONTENT_TYPES[ending]
    graph = graph_of(response, ending)
    assert len(datasets_in(graph)) == 2 * len(KINDS)
    municipal = graph_of(client.get(f"/opendata/{KASSEL}/catalog.{ending}"), ending)
    assert len(datasets_in(municipal)) == len(KINDS)
    assert all(f"/opendata/{KASSEL}/datasets/" in iri for iri in datasets_in(municipal))


@pytest.mark.parametrize(
    "accept, ending",
    [
        ("text/turtle", "ttl"),
        ("application/rdf+xml", "rdf"),
        ("application/ld+json", "jsonld"),
        ("application/ld+json;q=0.5, application/rdf+xml", "rdf"),
        ("text/html,*/*;q=0.8", "ttl"),
        (None, "ttl"),
    ],
)
def test_catalogue_format_by_accept(demo_content, client, accept, ending):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = client.get(f"/opendata/{KIEL}/catalog", **headers)
    assert response["Content-Type"] == CONTENT_TYPES[ending]
    assert "Accept" in response["Vary"]
    assert len(datasets_in(graph_of(response, ending))) == len(KINDS)


def test_catalogue_has_the_dcat_ap_de_essentials(demo_content, client):
    graph = graph_of(client.get(f"/opendata/{KASSEL}/catalog.ttl"), "ttl")
    dataset = rdflib.URIRef(f"{settings.OPENDATA_BASE_URL}/opendata/{KASSEL}/datasets/projects")
    spatial = rdflib.URIRef(f"http://dcat-ap.de/def/politicalGeocoding/regionalKey/{KASSEL}")
    assert (dataset, DCTERMS.spatial, spatial) in graph
    level = rdflib.URIRef("http://dcat-ap.de/def/politicalGeocoding/Level/municipality")
    assert (dataset, rdflib.URIRef("http://dcat-ap.de/def/dcatde/politicalGeocodingLevelURI"), level) in graph
    assert graph.value(dataset, DCTERMS.issued) is not None
    assert graph.value(dataset, DCTERMS.modified) is not None
    publisher = graph.value(dataset, DCTERMS.publisher)
    assert str(graph.value(publisher, rdflib.FOAF.name)) == "Stadt Kassel"
    formats = {str(graph.value(d, DCTERMS.format)).rsplit("/", 1)[1] for d in graph.objects(dataset, DCAT.distribution)}
    assert formats == {"CSV", "JSON"}
    access_urls = {str(graph.value(d, DCAT.accessURL)) for d in graph.objects(dataset, DCAT.distribution)}
    assert "https://kassel.localhost/graphql/" in access_urls
    assert f"{settings.OPENDATA_BASE_URL}/opendata/{KASSEL}/projects.csv" in access_urls


# Paging


@override_settings(OPENDATA_CATALOG_PAGE_SIZE=5)
def test_catalogue_paging_links(demo_content, client):
    seen = set()
    url = "/opendata/catalog.ttl"
    for number in (1, 2, 3):
        graph = graph_of(client.get(url, {"page": number}), "ttl")
        page = rdflib.URIRef(f"{settings.OPENDATA_BASE_URL}{url}?page={number}")
        assert (page, RDF.type, HYDRA.PagedCollection) in graph
        assert graph.value(page, HYDRA.totalItems).toPython() == 12
        assert graph.value(page, HYDRA.itemsPerPage).toPython() == 5
        assert str(graph.value(page, HYDRA.first)).endswith("?page=1")
        assert str(graph.value(page, HYDRA.last)).endswith("?page=3")
        next_page, previous = graph.value(page, HYDRA.next), graph.value(page, HYDRA.previous)
        assert (str(next_page) if next_page else None) == (
            f"{settings.OPENDATA_BASE_URL}{url}?page={number + 1}" if number < 3 else None
        )
        assert (previous is not None) == (number > 1)
        datasets = datasets_in(graph)
        assert len(datasets) == (5 if number < 3 else 2)
        assert not datasets & seen
        seen |= datasets
    assert len(seen) == 12
    assert client.get(url, {"page": 4}).status_code == 404
    assert client.get(url, {"page": "x"}).status_code == 404


# Stable identities and licences


def test_dataset_iris_are_stable_across_edits(demo_content, client):
    before = datasets_in(graph_of(client.get("/opendata/catalog.ttl"), "ttl"))
    project = ProjectPage.objects.live().descendant_of(kassel_projects()).first()
    project.title = "Umbenanntes Projekt"
    project.save_revision().publish()
    after = datasets_in(graph_of(client.get("/opendata/catalog.ttl"), "ttl"))
    assert before == after
    expected = {
        f"{settings.OPENDATA_BASE_URL}/opendata/{key}/datasets/{kind.slug}" for key in (KASSEL, KIEL) for kind in KINDS
    }
    assert after == expected
    assert "Umbenanntes Projekt" in client.get(f"/opendata/{KASSEL}/projects.csv").content.decode()


@override_settings(OPENDATA_BASE_URL="https://daten.example.org")
def test_dataset_iris_follow_the_base_url_setting(demo_content, client):
    datasets = datasets_in(graph_of(client.get(f"/opendata/{KIEL}/catalog.ttl"), "ttl"))
    assert f"https://daten.example.org/opendata/{KIEL}/datasets/team" in datasets


def test_licence_is_configurable_per_municipality(demo_content, client):
    kassel_settings = MunicipalitySettings.objects.get(site__hostname="kassel.localhost")
    kassel_settings.data_licence = "cc-by/4.0"
    kassel_settings.save()
    graph = graph_of(client.get("/opendata/catalog.ttl"), "ttl")
    by_key = {}
    for distribution in graph.subjects(RDF.type, DCAT.Distribution):
        key = str(distribution).split("/opendata/")[1][:12]
        by_key.setdefault(key, set()).add(str(graph.value(distribution, DCTERMS.license)))
    assert by_key == {
        KASSEL: {"http://dcat-ap.de/def/licenses/cc-by/4.0"},
        KIEL: {"http://dcat-ap.de/def/licenses/dl-by-de/2.0"},
    }
    response = client.get(f"/opendata/{KASSEL}/projects.csv")
    assert response["Link"] == '<http://dcat-ap.de/def/licenses/cc-by/4.0>; rel="license"'
    assert json.loads(client.get(f"/opendata/{KIEL}/projects.json").content)["license"] == (
        "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    )
    both = json.loads(client.get("/opendata/projects.json").content)
    assert both["license"] is None and len(both["licenses"]) == 2
    assert {item["licence"] for item in both["items"]} == set(both["licenses"])


# Not found


@pytest.mark.parametrize(
    "url",
    [
        "/opendata/999999999999/catalog",
        "/opendata/999999999999/catalog.ttl",
        "/opendata/999999999999/projects.csv",
        "/opendata/kassel/catalog",
        "/opendata/catalog.xml",
        f"/opendata/{KASSEL}/catalog.pdf",
        f"/opendata/{KASSEL}/projects.xml",
        f"/opendata/{KASSEL}/secrets.csv",
        "/opendata/secrets.json",
        "/opendata/a/b/c",
    ],
)
def test_unknown_things_are_plain_404s(demo_content, client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
    assert b"<html" not in response.content.lower()


# Exports


def test_csv_export_content_and_headers(demo_content, client):
    response = client.get(f"/opendata/{KASSEL}/projects.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["ETag"] and response["Last-Modified"]
    assert response["Link"] == '<http://dcat-ap.de/def/licenses/dl-by-de/2.0>; rel="license"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    kind = next(kind for kind in KINDS if kind.slug == "projects")
    assert rows[0] == columns_of(kind)
    public = ProjectPage.objects.live().public().descendant_of(kassel_projects())
    assert sorted(row[rows[0].index("title")] for row in rows[1:]) == sorted(page.title for page in public)
    assert {row[0] for row in rows[1:]} == {KASSEL}
    assert {row[-2] for row in rows[1:]} == {"http://dcat-ap.de/def/licenses/dl-by-de/2.0"}


def test_json_export_content_and_headers(demo_content, client):
    response = client.get("/opendata/fields-of-action.json")
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["license"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    assert {item["regional_key"] for item in document["items"]} == {KASSEL, KIEL}
    assert document["count"] == len(document["items"]) > 0
    assert set(document["items"][0]) == set(document["columns"])


@pytest.mark.parametrize("ending", ["csv", "json"])
def test_exports_answer_conditional_requests(demo_content, client, ending):
    url = f"/opendata/{KIEL}/projects.{ending}"
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    catalogue = client.get(f"/opendata/{KIEL}/catalog.ttl")
    assert client.get(f"/opendata/{KIEL}/catalog.ttl", HTTP_IF_NONE_MATCH=catalogue["ETag"]).status_code == 304


def test_etag_changes_when_content_is_removed(demo_content, client):
    url = f"/opendata/{KASSEL}/projects.json"
    before = client.get(url)
    ProjectPage.objects.live().descendant_of(kassel_projects()).first().unpublish()
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert json.loads(after.content)["count"] == json.loads(before.content)["count"] - 1


def test_team_export_has_only_public_contact_fields(demo_content, client):
    document = json.loads(client.get(f"/opendata/{KIEL}/team.json").content)
    assert document["items"]
    assert set(document["columns"]) == {
        "regional_key",
        "municipality",
        "role",
        "unit",
        "name",
        "email",
        "phone",
        "licence",
        "licence_name",
    }


# Nothing private, ever


def test_no_draft_private_or_personal_data_anywhere(demo_content, client):
    index = kassel_projects()
    draft = index.add_child(instance=ProjectPage(title="GEHEIM-Entwurf", teaser="GEHEIM-Entwurf", live=False))
    draft.save_revision()
    private = index.add_child(instance=ProjectPage(title="GEHEIM-Privat", teaser="GEHEIM-Privat"))
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    call = CallForIdeasPage.objects.live().descendant_of(index.get_parent()).first()
    published = IdeaSubmissionFactory(
        call=call,
        status=IdeaStatus.PUBLISHED,
        email="GEHEIM-mail@example.org",
        name="GEHEIM-Name",
        client_address="203.0.113.99",
        consent_text_version="GEHEIM-Consent",
        moderator_note="GEHEIM-Notiz",
    )
    IdeaSubmissionFactory(call=call, status=IdeaStatus.ACCEPTED, title="GEHEIM-Unveröffentlicht")

    bodies = [client.get(url).content.decode("utf-8") for url in all_urls()]
    everything = "\n".join(bodies)
    for secret in ("GEHEIM", "203.0.113.99", published.idempotency_key, "consent", "moderator"):
        assert secret not in everything, secret
    assert published.reference in everything
    ideas = json.loads(client.get(f"/opendata/{KASSEL}/ideas.json").content)["items"]
    assert [idea["reference"] for idea in ideas] == [published.reference]
    assert ideas[0]["author"] == published.pseudonym


# References stay inside one municipality


def field_of_action_links_of(project):
    # The rows of the project-to-field-of-action table itself, so that a link made through the ORM is seen as stored.
    through = ProjectPage._meta.get_field("fields_of_action").remote_field.through
    return through, set(through.objects.filter(projectpage=project).values_list("fieldofactionpage_id", flat=True))


def export_row(client, url, slug):
    response = client.get(url)
    assert response.status_code == 200
    if url.endswith(".json"):
        return next(item for item in json.loads(response.content)["items"] if item["slug"] == slug)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    return next(row for row in rows if row["slug"] == slug)


def test_project_lists_neither_foreign_nor_hidden_fields_of_action(demo_content, client):
    kassel = MunicipalityHomePage.objects.get(regional_key=KASSEL)
    kiel = MunicipalityHomePage.objects.get(regional_key=KIEL)
    kassel_slugs = set(FieldOfActionPage.objects.descendant_of(kassel).values_list("slug", flat=True))
    kiel_field = FieldOfActionPage.objects.live().descendant_of(kiel).exclude(slug__in=kassel_slugs).first()
    assert kiel_field is not None
    draft = (
        FieldOfActionIndexPage.objects.child_of(kassel)
        .get()
        .add_child(instance=FieldOfActionPage(title="Entwurfsfeld", slug="entwurfsfeld", teaser="Entwurf", live=False))
    )
    own = FieldOfActionPage.objects.live().descendant_of(kassel).order_by("path").first()
    project = ProjectPage.objects.live().descendant_of(kassel_projects()).order_by("path").first()
    through, linked = field_of_action_links_of(project)
    through.objects.filter(projectpage=project).delete()
    # Straight into the link table, past the admin form that would refuse both targets.
    through.objects.bulk_create(
        [through(projectpage=project, fieldofactionpage=field) for field in (own, kiel_field, draft)]
    )
    assert field_of_action_links_of(project)[1] == {own.pk, kiel_field.pk, draft.pk}

    json_row = export_row(client, f"/opendata/{KASSEL}/projects.json", project.slug)
    assert json_row["fields_of_action"] == [own.slug]
    csv_row = export_row(client, f"/opendata/{KASSEL}/projects.csv", project.slug)
    assert csv_row["fields_of_action"] == own.slug
    # The instance-wide export holds the same row, though KielRegion's field of action is public there.
    assert export_row(client, "/opendata/projects.json", project.slug)["fields_of_action"] == [own.slug]
    assert export_row(client, "/opendata/projects.csv", project.slug)["fields_of_action"] == own.slug


def test_call_and_idea_drop_a_field_of_action_of_another_municipality(demo_content, client):
    kassel = MunicipalityHomePage.objects.get(regional_key=KASSEL)
    kiel_field = (
        FieldOfActionPage.objects.live().descendant_of(MunicipalityHomePage.objects.get(regional_key=KIEL)).first()
    )
    own = FieldOfActionPage.objects.live().descendant_of(kassel).order_by("path").first()
    call = CallForIdeasPage.objects.live().descendant_of(kassel).order_by("path").first()
    CallForIdeasPage.objects.filter(pk=call.pk).update(field_of_action=kiel_field)
    foreign = IdeaSubmissionFactory(call=call, status=IdeaStatus.PUBLISHED, field_of_action=kiel_field)
    local = IdeaSubmissionFactory(call=call, status=IdeaStatus.PUBLISHED, field_of_action=own)

    for ending in ("csv", "json"):
        call_row = export_row(client, f"/opendata/{KASSEL}/calls-for-ideas.{ending}", call.slug)
        assert call_row["field_of_action"] == ""
    ideas = json.loads(client.get(f"/opendata/{KASSEL}/ideas.json").content)["items"]
    by_reference = {idea["reference"]: idea["field_of_action"] for idea in ideas}
    assert by_reference[foreign.reference] == ""
    assert by_reference[local.reference] == own.slug
    rows = list(csv.DictReader(io.StringIO(client.get("/opendata/ideas.csv").content.decode("utf-8"))))
    assert {row["reference"]: row["field_of_action"] for row in rows}[foreign.reference] == ""


# Command, validator, query counts


@pytest.mark.parametrize("ending", RDF_FORMATS)
def test_export_catalogue_command(demo_content, tmp_path, ending):
    target = tmp_path / f"catalog.{ending}"
    call_command("export_catalogue", "--format", ending, "--output", str(target))
    assert len(datasets_in(rdflib.Graph().parse(target, format=RDF_FORMATS[ending]))) == 12
    call_command("export_catalogue", "--municipality", KIEL, "--format", ending, "--output", str(target))
    assert len(datasets_in(rdflib.Graph().parse(target, format=RDF_FORMATS[ending]))) == 6


# CI enforces the validator in .ci/run on the demo catalogues; this test only runs where ../shared is checked out.
@pytest.mark.skipif(not VALIDATOR.exists(), reason="../shared/opendata/dcat-ap-de/validate.py not present")
def test_demo_catalogues_pass_the_dcat_ap_de_validator(demo_content, tmp_path):
    files = []
    for key in (None, KASSEL, KIEL):
        for ending in RDF_FORMATS:
            target = tmp_path / f"{key or 'instance'}.{ending}"
            target.write_bytes(serialise(build_catalogue(regional_key=key, page_size=0).graph, ending))
            files.append(target)
    for target in files:
        result = subprocess.run([sys.executable, str(VALIDATOR), str(target)], capture_output=True, text=True)
        assert result.returncode == 0, f"{target.name}: {result.stdout[-3000:]}"


def _onboard_with_projects(count, first=0, projects=3):
    from regions.projects.factories import ProjectPageFactory
    from tests.tenancy import onboard

    for number in range(first, first + count):
        municipality = onboard(f"Bench {number}", f"09{number:010d}", f"bench{number}.test")
        index = ProjectIndexPage.objects.child_of(municipality.home_page).get()
        for _ in range(projects):
            ProjectPageFactory(parent=index)


def _queries(callable_):
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


def test_catalogue_and_exports_use_a_bounded_number_of_queries(db, client):
    _onboard_with_projects(5)
    few = {
        "catalogue": _queries(lambda: client.get("/opendata/catalog.ttl")),
        "unpaged": _queries(lambda: build_catalogue(page_size=0)),
        "export": _queries(lambda: client.get("/opendata/projects.csv")),
    }
    _onboard_with_projects(15, first=5)
    many = {
        "catalogue": _queries(lambda: client.get("/opendata/catalog.ttl")),
        "unpaged": _queries(lambda: build_catalogue(page_size=0)),
        "export": _queries(lambda: client.get("/opendata/projects.csv")),
    }
    assert many == few, (few, many)
    assert max(many.values()) <= 15, many
