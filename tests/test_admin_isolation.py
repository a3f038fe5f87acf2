"""Editors and moderators of one municipality have zero access to another municipality's objects in the admin.

The permission matrix covers, for an editor, a moderator and an anonymous user of each of two municipalities,
every admin view that takes a page, image, document or site settings object, opened for the other
municipality's object with GET and with POST. Listings, search, choosers and reports must not even name the
other municipality's content.
"""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from regions.fields_of_action.models import FieldOfActionPage
from tests.tenancy import build_city, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def cities(db):
    kiel = build_city("Kiel", "010020000000", "kiel.test")
    kassel = build_city("Kassel", "066110000000", "kassel.test")
    return {"kiel": kiel, "kassel": kassel}


def page_urls(city):
    page, revision = city.page, city.page.latest_revision
    page_views = [
        "wagtailadmin_pages:edit",
        "wagtailadmin_pages:delete",
        "wagtailadmin_pages:unpublish",
        "wagtailadmin_pages:copy",
        "wagtailadmin_pages:revisions_index",
        "wagtailadmin_pages:history",
        "wagtailadmin_pages:workflow_history",
        "wagtailadmin_pages:view_draft",
        "wagtailadmin_pages:preview_on_edit",
        "wagtailadmin_pages:lock",
        "wagtailadmin_pages:unlock",
        "wagtailadmin_pages:usage",
        "wagtailadmin_pages:set_privacy",
        "wagtailadmin_pages:convert_alias",
    ]
    urls = [reverse(name, args=[page.pk]) for name in page_views]
    urls += [
        reverse("wagtailadmin_explore", args=[page.get_parent().pk]),
        reverse("wagtailadmin_pages:add_subpage", args=[page.get_parent().pk]),
        reverse("wagtailadmin_pages:add", args=["fields_of_action", "fieldofactionpage", page.get_parent().pk]),
        reverse("wagtailadmin_pages:move", args=[page.pk]),
        reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk]),
        reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, revision.pk]),
        reverse("wagtailadmin_pages:edit", args=[city.draft.pk]),
        reverse("wagtailadmin_pages:view_draft", args=[city.draft.pk]),
        reverse("wagtailadmin_choose_page_child", args=[page.get_parent().pk]),
        reverse("wagtailadmin_api:pages:detail", args=[page.pk]),
        reverse("wagtailadmin_explore", args=[city.home.pk]),
    ]
    return urls


def media_urls(city):
    image, document = city.image.pk, city.document.pk
    return [
        reverse("wagtailimages:edit", args=[image]),
        reverse("wagtailimages:delete", args=[image]),
        reverse("wagtailimages:url_generator", args=[image]),
        reverse("wagtailimages:preview", args=[image, "original"]),
        reverse("wagtailimages:image_usage", args=[image]),
        reverse("wagtailimages:edit_multiple", args=[image]),
        reverse("wagtailimages:delete_multiple", args=[image]),
        reverse("wagtailimages_chooser:chosen", args=[image]),
        reverse("wagtailimages_chooser:select_format", args=[image]),
        reverse("wagtailadmin_api:images:detail", args=[image]),
        reverse("wagtaildocs:edit", args=[document]),
        reverse("wagtaildocs:delete", args=[document]),
        reverse("wagtaildocs:document_usage", args=[document]),
        reverse("wagtaildocs:edit_multiple", args=[document]),
        reverse("wagtaildocs:delete_multiple", args=[document]),
        reverse("wagtaildocs_chooser:chosen", args=[document]),
        reverse("wagtailadmin_api:documents:detail", args=[document]),
    ]


def settings_urls(city):
    return [
        reverse("wagtailsettings:edit", args=["sites", "municipalitysettings", city.site.pk]),
        reverse("wagtailsettings:preview_on_edit", args=["sites", "municipalitysettings", city.site.pk]),
    ]


def all_object_urls(city):
    return page_urls(city) + media_urls(city) + settings_urls(city)


PAIRS = [("kiel", "kassel"), ("kassel", "kiel")]
ROLES = ["editor", "moderator", "anonymous"]


@pytest.mark.parametrize("own, other", PAIRS)
@pytest.mark.parametrize("role", ROLES)
def test_no_access_to_the_other_municipalitys_objects(cities, own, other, role):
    user = None if role == "anonymous" else getattr(cities[own], role)
    client = client_for(user)
    target = cities[other]
    refused = []
    for url in all_object_urls(target):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if role == "anonymous":
                # The admin sends anonymous users to its login form and shows them nothing else.
                allowed = response.status_code == 302 and "/admin/login/" in response["Location"]
            else:
                allowed = response.status_code in (403, 404) and target.marker not in response.content.decode()
            if not allowed:
                refused.append((method.upper(), url, response.status_code))
    assert refused == []

    # Nothing of the other municipality changed, whatever was posted.
    target.page.refresh_from_db()
    assert target.page.live and not target.page.locked
    assert FieldOfActionPage.objects.filter(pk=target.draft.pk).exists()
    assert type(target.image).objects.filter(pk=target.image.pk).exists()
    assert type(target.document).objects.filter(pk=target.document.pk).exists()
    assert not PageLogEntry.objects.filter(page=target.page, user=user).exists() if user else True


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_own_objects_stay_accessible(cities, role):
    """The matrix above is meaningful only if the same views work for the own municipality."""
    city = cities["kiel"]
    client = client_for(getattr(city, role))
    for url in [
        reverse("wagtailadmin_pages:edit", args=[city.page.pk]),
        reverse("wagtailadmin_pages:revisions_view", args=[city.page.pk, city.page.latest_revision_id]),
        reverse("wagtailadmin_pages:history", args=[city.page.pk]),
        reverse("wagtailadmin_explore", args=[city.home.pk]),
        reverse("wagtailimages:edit", args=[city.image.pk]),
        reverse("wagtaildocs:edit", args=[city.document.pk]),
        reverse("wagtailimages_chooser:chosen", args=[city.image.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_only_moderators_edit_settings_and_only_their_own_site(cities):
    kiel, kassel = cities["kiel"], cities["kassel"]
    url = reverse("wagtailsettings:edit", args=["sites", "municipalitysettings", kiel.site.pk])
    assert client_for(kiel.moderator).get(url).status_code == 200
    response = client_for(kiel.moderator).post(
        url,
        {
            "frontend_base_url": "https://kiel.example",
            "preview_url": "https://kiel.example/preview",
            "data_licence": "dl-by-de/2.0",
        },
    )
    assert response.status_code == 302
    assert kiel.settings.frontend_base_url == "https://kiel.example"
    assert client_for(kiel.editor).get(url).status_code in (302, 403)
    response = client_for(kiel.moderator).post(
        reverse("wagtailsettings:edit", args=["sites", "municipalitysettings", kassel.site.pk]),
        {"frontend_base_url": "https://evil.example"},
    )
    assert response.status_code == 404
    assert kassel.settings.frontend_base_url == "http://kassel.test:3000"


LISTINGS = [
    ("wagtailadmin_home", {}),
    ("wagtailadmin_explore_root", {}),
    ("wagtailadmin_pages:search", {"q": "Geheim"}),
    ("wagtailadmin_choose_page", {}),
    ("wagtailadmin_choose_page_search", {"q": "Geheim"}),
    ("wagtailimages:index", {}),
    ("wagtailimages:index", {"q": "Geheim"}),
    ("wagtailimages_chooser:choose", {}),
    ("wagtailimages_chooser:choose_results", {"q": "Geheim"}),
    ("wagtaildocs:index", {}),
    ("wagtaildocs:index", {"q": "Geheim"}),
    ("wagtaildocs_chooser:choose", {}),
    ("wagtaildocs_chooser:choose_results", {"q": "Geheim"}),
    ("wagtailadmin_reports:aging_pages", {}),
    ("wagtailadmin_reports:locked_pages", {}),
    ("wagtailadmin_reports:site_history", {}),
    ("wagtailadmin_reports:workflow", {}),
    ("wagtailadmin_reports:workflow_tasks", {}),
    ("wagtailadmin_reports:page_types_usage", {}),
    ("wagtailadmin_api:pages:listing", {"child_of": "root", "for_explorer": "1"}),
    ("wagtailadmin_api:pages:listing", {"search": "Geheim"}),
    ("wagtailadmin_api:images:listing", {}),
    ("wagtailadmin_api:documents:listing", {}),
    ("wagtailsettings:edit", {"app_name": "sites", "model_name": "municipalitysettings"}),
]


@pytest.mark.parametrize("own, other", PAIRS)
@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_listings_search_choosers_and_reports_name_only_own_content(cities, own, other, role):
    client = client_for(getattr(cities[own], role))
    # Every city has an edit in its history, so that the history reports have something to leak.
    for city in cities.values():
        city.page.save_revision(user=city.editor, log_action=True)
    leaks, own_seen = [], 0
    for name, listed_params in LISTINGS:
        params = dict(listed_params)
        kwargs = {key: params.pop(key) for key in ("app_name", "model_name") if key in params}
        response = client.get(reverse(name, kwargs=kwargs or None), params, follow=True)
        body = response.content.decode()
        if response.status_code not in (200, 403) or cities[other].marker in body:
            leaks.append((name, params, response.status_code))
        own_seen += cities[own].marker in body
    assert leaks == []
    assert own_seen >= 8, "the listings must show the user's own content"
