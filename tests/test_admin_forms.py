"""Invalid master data and inverted date ranges are form errors in the admin, and nothing is saved."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from regions.projects.factories import ProjectIndexPageFactory
from regions.projects.models import ProjectPage
from sites.models import MunicipalityHomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("redaktion", "redaktion@example.org", "passwort")
    client.force_login(user)
    return client


def home_page_form(**overrides):
    data = {
        "title": "Neue Kommune",
        "slug": "neue-kommune",
        "official_name": "Stadt Neu",
        "regional_key": "066110000001",
        "federal_state": "06",
        "cohort_year": "2021",
        "intro": "",
        "body": streamfield([]),
        "contact_email": "",
        "contact_phone": "",
        "contact_address": "",
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.mark.parametrize(
    "regional_key, message",
    [
        ("06611000000", "besteht aus genau 12 Ziffern"),
        ("06611000000X", "besteht aus genau 12 Ziffern"),
        ("996110000000", "müssen ein Bundesland bezeichnen"),
    ],
)
def test_invalid_regional_key_is_a_form_error(admin_client, regional_key, message):
    root = Page.get_first_root_node()
    response = admin_client.post(
        f"/admin/pages/add/sites/municipalityhomepage/{root.pk}/", home_page_form(regional_key=regional_key)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MunicipalityHomePage.objects.filter(slug="neue-kommune").exists()


def test_valid_home_page_is_created(admin_client):
    root = Page.get_first_root_node()
    response = admin_client.post(f"/admin/pages/add/sites/municipalityhomepage/{root.pk}/", home_page_form())
    assert response.status_code == 302
    assert MunicipalityHomePage.objects.get(slug="neue-kommune").regional_key == "066110000001"


def test_project_ending_before_it_starts_is_a_form_error(admin_client, two_cities):
    kiel, _ = two_cities
    index = ProjectIndexPageFactory(parent=kiel, slug="projekte")
    form = nested_form_data(
        {
            "title": "Rückwärts",
            "slug": "rueckwaerts",
            "teaser": "Ein Projekt mit vertauschten Daten.",
            "kind": "implementation",
            "status": "planned",
            "start_date": "2024-05-01",
            "end_date": "2024-04-30",
            "body": streamfield([]),
            "partners": inline_formset([]),
        }
    )
    response = admin_client.post(f"/admin/pages/add/projects/projectpage/{index.pk}/", form)
    assert response.status_code == 200
    assert "Das Projektende liegt vor dem Beginn." in response.content.decode()
    assert not ProjectPage.objects.filter(slug="rueckwaerts").exists()
