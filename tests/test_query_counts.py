"""The number of SQL queries of the main read paths does not grow with the number of blocks or items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.media.factories import ImageFactory
from regions.fields_of_action.factories import FieldOfActionIndexPageFactory, FieldOfActionPageFactory
from regions.projects.factories import ProjectIndexPageFactory, ProjectPageFactory
from sites.factories import ContentPageFactory
from tests.conftest import QUERIES_DIR

pytestmark = pytest.mark.django_db

HOST = "kiel.test"


def count_queries(gql, query, variables=None):
    with CaptureQueriesContext(connection) as captured:
        gql.data(query, variables, host=HOST)
    return len(captured)


def page_with_images(kiel, slug, count):
    images = [ImageFactory(collection_id=kiel.media_collection_id) for _ in range(count)]
    body = [
        ("image", {"image": image, "alt_text": f"Bild {i}", "caption": "", "credit": ""})
        for i, image in enumerate(images)
    ]
    body += [("heading", {"text": f"Abschnitt {i}", "level": "h2"}) for i in range(count)]
    return ContentPageFactory(parent=kiel, slug=slug, body=body)


def test_page_by_path_with_images_is_constant_in_the_number_of_blocks(gql, two_cities):
    kiel, _ = two_cities
    page_with_images(kiel, "wenige", 3)
    page_with_images(kiel, "viele", 30)
    document = (QUERIES_DIR / "page_by_path.graphql").read_text()
    few = count_queries(gql, document, {"path": "/wenige/"})
    many = count_queries(gql, document, {"path": "/viele/"})
    assert few == many == 8


def build_projects(kiel, count):
    field_index = FieldOfActionIndexPageFactory(parent=kiel, slug="handlungsfelder")
    field = FieldOfActionPageFactory(parent=field_index, slug="mobilitaet")
    other = FieldOfActionPageFactory(parent=field_index, slug="quartier")
    project_index = ProjectIndexPageFactory(parent=kiel, slug="projekte")
    for number in range(count):
        project = ProjectPageFactory(parent=project_index, slug=f"projekt-{number}", fields_of_action=[field, other])
        project.partners.create(name=f"Partner {number}")
        project.save()
    return field


@pytest.mark.parametrize("count", [5, 50])
def test_project_list_is_constant_in_the_number_of_projects(gql, two_cities, count):
    kiel, _ = two_cities
    field = build_projects(kiel, count)
    document = (QUERIES_DIR / "projects_of_field_of_action.graphql").read_text()
    with CaptureQueriesContext(connection) as captured:
        projects = gql.data(document, {"fieldOfAction": field.pk, "limit": 100}, host=HOST)["projects"]
    assert len(projects) == count
    assert all(len(project["fieldsOfAction"]) == 2 and project["partners"] for project in projects)
    assert len(captured) == 5


@pytest.mark.parametrize("count", [5, 50])
def test_nested_parent_and_children_are_batched(gql, two_cities, count):
    kiel, _ = two_cities
    build_projects(kiel, count)
    query = """{ pages(contentType: "projects.ProjectPage", limit: 100) {
        title parent { title parent { title } children(limit: 50) { title } } children { title } } }"""
    with CaptureQueriesContext(connection) as captured:
        pages = gql.data(query, host=HOST)["pages"]
    assert len(pages) == count
    assert pages[0]["parent"]["parent"]["title"] == "Kiel"
    assert len(captured) == 10
