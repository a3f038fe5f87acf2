"""The filter menus of the admin's listings name only the own municipality's accounts, Site, workflow and tasks.

KielRegion's and Kassel's staff (with full names) create, edit, lock and submit pages; then every listing with filter
menus that Kassel's editor and moderator can open is read: the page explorer ("Owner", "Edited by", "Site"), the
reports (locked pages, aging pages, site history, workflows, workflow tasks) and a page's history. None may name
KielRegion's accounts, Site, workflow or task; each must still offer Kassel's own.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.text import slugify
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, streamfield

from regions.fields_of_action.models import FieldOfActionIndexPage, FieldOfActionPage
from tests.tenancy import build_city, client_for

pytestmark = pytest.mark.django_db

STAFF_NAMES = {
    "KielRegion": ("Kora", "Kielmann"),
    "Kassel": ("Kasimir", "Kasselberg"),
}


def work(city, name):
    """Full names for the staff; the editor creates a page (owner) and submits it (requested by), edits the
    published field of action (edited by) and locks the draft (locked by)."""
    first, last = STAFF_NAMES[name]
    for user, role in ((city.editor, "Redaktion"), (city.moderator, "Freigabe")):
        user.first_name, user.last_name = first, f"{last} ({role})"
        user.save()
    editor = client_for(city.editor)
    parent = FieldOfActionIndexPage.objects.child_of(city.home).get()
    title = f"Eingereicht von {first}"
    response = editor.post(
        reverse("wagtailadmin_pages:add", args=["fields_of_action", "fieldofactionpage", parent.pk]),
        nested_form_data(
            {"title": title, "slug": slugify(title), "teaser": "Neu.", "body": streamfield([]), "action-submit": "1"}
        ),
    )
    assert response.status_code == 302
    submitted = FieldOfActionPage.objects.get(title=title)
    assert submitted.owner == city.editor
    assert WorkflowState.objects.filter(base_content_type__isnull=False, requested_by=city.editor).exists()
    page = city.page
    response = editor.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        nested_form_data({"title": page.title, "slug": page.slug, "teaser": "Geändert.", "body": streamfield([])}),
    )
    assert response.status_code == 302
    client_for(city.moderator).post(reverse("wagtailadmin_pages:lock", args=[city.draft.pk]))
    assert Page.objects.get(pk=city.draft.pk).locked_by == city.moderator


@pytest.fixture
def cities(db):
    kiel = build_city("KielRegion", "010020000000", "kiel.test")
    kassel = build_city("Kassel", "066110000000", "kassel.test")
    work(kiel, "KielRegion")
    work(kassel, "Kassel")
    return kiel, kassel


def listings(city):
    """(URL, what of the own municipality its filter menus must offer)."""
    page = city.page
    editor_name = f"{city.editor.first_name} {city.editor.last_name}"
    moderator_name = f"{city.moderator.first_name} {city.moderator.last_name}"
    return [
        # The explorer's root sends a scoped user to their home page.
        (reverse("wagtailadmin_explore_root"), []),
        (reverse("wagtailadmin_explore", args=[city.home.pk]), [editor_name, ">\n Kassel</label>"]),
        (reverse("wagtailadmin_explore_results", args=[city.home.pk]), []),
        (reverse("wagtailadmin_pages:search"), []),
        (reverse("wagtailadmin_reports:locked_pages"), [city.moderator.username]),
        (reverse("wagtailadmin_reports:locked_pages_results"), []),
        (reverse("wagtailadmin_reports:aging_pages"), []),
        (reverse("wagtailadmin_reports:site_history"), [editor_name, moderator_name]),
        (reverse("wagtailadmin_reports:site_history_results"), []),
        (reverse("wagtailadmin_reports:workflow"), ["Freigabe Kassel", city.editor.username]),
        (reverse("wagtailadmin_reports:workflow_results"), []),
        (reverse("wagtailadmin_reports:workflow_tasks"), ["Freigabe Kassel", "Freigabe durch „Kassel – Freigabe“"]),
        (reverse("wagtailadmin_reports:workflow_tasks_results"), []),
        (reverse("wagtailadmin_pages:history", args=[page.pk]), [editor_name]),
        (reverse("wagtailadmin_pages:workflow_history", args=[page.pk]), []),
        (reverse("wagtailadmin_home"), []),
    ]


def secrets_of(city, name):
    first, last = STAFF_NAMES[name]
    return [
        name,  # Site, workflow, task and group names, the marker of its content
        city.site.hostname,
        city.editor.username,
        city.moderator.username,
        first,
        last,
    ]


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_filter_menus_name_only_the_own_municipality(cities, role):
    kiel, kassel = cities
    client = client_for(getattr(kassel, role))
    secrets = secrets_of(kiel, "KielRegion")
    leaks, missing = [], []
    for url, own in listings(kassel):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        body = response.content.decode()
        leaks += [(url, secret) for secret in secrets if secret.lower() in body.lower()]
        # The locked pages report is the moderators'; an editor is sent to the dashboard.
        if not response.redirect_chain:
            missing += [(url, item) for item in own if item not in body]
    assert leaks == []
    assert missing == []


def test_a_choice_of_another_municipality_passed_by_hand_names_nothing(cities):
    kiel, kassel = cities
    client = client_for(kassel.editor)
    params = {"owner": kiel.editor.pk, "edited_by": kiel.editor.pk, "site": kiel.site.pk}
    body = client.get(reverse("wagtailadmin_explore", args=[kassel.home.pk]), params).content.decode()
    for secret in secrets_of(kiel, "KielRegion"):
        assert secret.lower() not in body.lower(), secret
    workflow = {"workflow": kiel.municipality.workflow_id}
    body = client.get(reverse("wagtailadmin_reports:workflow"), workflow, follow=True).content
    assert b"KielRegion" not in body


def test_superusers_are_named_and_see_every_municipality(cities):
    """Superusers run the platform for every municipality: their edits show in Kassel's listings, so Kassel's
    editor can filter by them; a superuser's own menus are not narrowed."""
    kiel, kassel = cities
    admin = get_user_model().objects.create_superuser(
        "plattform", "plattform@example.org", "x", first_name="Petra", last_name="Plattform"
    )
    kiel.page.save_revision(user=admin, log_action=True)
    body = client_for(kassel.editor).get(reverse("wagtailadmin_explore", args=[kassel.home.pk])).content.decode()
    assert "Petra Plattform" in body
    body = client_for(admin).get(reverse("wagtailadmin_explore_root")).content.decode()
    assert "Kora Kielmann" in body and "Kasimir Kasselberg" in body
    body = client_for(admin).get(reverse("wagtailadmin_reports:workflow")).content.decode()
    assert "Freigabe KielRegion" in body and "Freigabe Kassel" in body
