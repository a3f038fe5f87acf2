"""Editors submit, moderators of the same municipality approve, only then the API shows the page; previews open
the page's own municipality's frontend."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils.text import slugify
from wagtail.models import PageLogEntry, TaskState
from wagtail.test.utils.form_data import nested_form_data, streamfield

from regions.fields_of_action.models import FieldOfActionIndexPage, FieldOfActionPage
from tests.tenancy import build_city, client_for

pytestmark = pytest.mark.django_db

FIELDS_OF_ACTION = "query ($site: String) { municipality(site: $site) { fieldsOfAction { title } } }"


@pytest.fixture
def cities(db):
    return build_city("Kiel", "010020000000", "kiel.test"), build_city("Kassel", "066110000000", "kassel.test")


def page_form(title, **actions):
    return nested_form_data(
        {
            "title": title,
            "slug": slugify(title),
            "teaser": "Vom Redaktionsteam eingereicht.",
            "body": streamfield([]),
            **actions,
        }
    )


def titles(gql, site):
    return [item["title"] for item in gql.data(FIELDS_OF_ACTION, {"site": site})["municipality"]["fieldsOfAction"]]


def test_editor_submits_moderator_of_same_city_approves_then_api_shows_it(cities, gql):
    kiel, kassel = cities
    parent = FieldOfActionIndexPage.objects.child_of(kiel.home).get()
    add_url = reverse("wagtailadmin_pages:add", args=["fields_of_action", "fieldofactionpage", parent.pk])
    editor = client_for(kiel.editor)

    # An editor cannot publish: the publish action only saves a draft.
    editor.post(add_url, page_form("Direkt veröffentlicht?", **{"action-publish": "publish"}))
    assert not FieldOfActionPage.objects.get(title="Direkt veröffentlicht?").live

    response = editor.post(add_url, page_form("Smarte Quartiere", **{"action-submit": "submit"}))
    assert response.status_code == 302
    page = FieldOfActionPage.objects.get(title="Smarte Quartiere")
    assert not page.live
    task_state = TaskState.objects.get(workflow_state__base_content_type__isnull=False, status="in_progress")
    assert "Smarte Quartiere" not in titles(gql, "kiel.test")

    approve_url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    # Neither Kiel's editor nor Kassel's moderator can approve it.
    assert editor.post(approve_url).status_code in (302, 403)
    assert client_for(kassel.moderator).post(approve_url).status_code == 404
    page.refresh_from_db()
    assert not page.live

    response = client_for(kiel.moderator).post(approve_url, {"comment": "Passt."})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert "Smarte Quartiere" in titles(gql, "kiel.test")
    assert "Smarte Quartiere" not in titles(gql, "kassel.test")

    log = list(PageLogEntry.objects.filter(page=page).order_by("timestamp", "pk").values_list("action", "user"))
    assert ("wagtail.create", kiel.editor.pk) in log
    assert ("wagtail.workflow.start", kiel.editor.pk) in log
    assert ("wagtail.workflow.approve", kiel.moderator.pk) in log
    assert ("wagtail.publish", kiel.moderator.pk) in log


def preview_iframe_url(client, page, title):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    assert client.post(url, page_form(title)).json()["is_valid"]
    html = client.get(url).content.decode()
    return unescape(re.search(r'<iframe[^>]+src="([^"]+)"', html).group(1))


def test_each_city_previews_on_its_own_frontend_and_the_token_only_works_there(cities, gql, settings):
    kiel, kassel = cities
    kassel_url = preview_iframe_url(client_for(kassel.editor), kassel.page, "Kassel in Vorschau")
    kiel_url = preview_iframe_url(client_for(kiel.editor), kiel.page, "Kiel in Vorschau")
    assert kassel_url.startswith("http://kassel.test:3000/preview/?")
    assert kiel_url.startswith("http://kiel.test:3000/preview/?")

    token = parse_qs(urlsplit(kassel_url).query)["token"][0]
    query = "query ($token: String) { page(token: $token) { title } }"
    assert gql.data(query, {"token": token}, host="kassel.test") == {"page": {"title": "Kassel in Vorschau"}}
    _status, messages = gql.errors(query, {"token": token}, host="kiel.test")
    assert messages == ["This preview belongs to another municipality's site."]

    settings.PREVIEW_TOKEN_MAX_AGE = -1
    _status, messages = gql.errors(query, {"token": token}, host="kassel.test")
    assert messages == ["The preview token is invalid or has expired."]
