"""No reference crosses municipalities: the admin offers only the own municipality's objects, refuses the others
with a German error on the field and saves nothing, for editors and superusers alike; `report_cross_references`
finds what the database holds anyway.

Two onboarded municipalities, KielRegion and Kassel, each with a published and a draft field of action, an image and
a document (tests/tenancy.py). Kassel's editor (and a superuser) edits Kassel's pages and tries to link KielRegion's.
"""

import html
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command, execute_from_command_line
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.blocks import RICH_TEXT_FEATURES
from regions.calls.models import CallForIdeasPage, CallIndexPage
from regions.projects.models import ProjectIndexPage, ProjectPage
from regions.team.models import TeamMember, TeamPage
from sites import cross_references
from sites.models import MunicipalitySettings
from tests.tenancy import build_city, client_for

pytestmark = pytest.mark.django_db

HINT = "Bitte nur Inhalte der eigenen Kommune verknüpfen."


@pytest.fixture
def cities(db):
    return build_city("KielRegion", "010020000000", "kiel.test"), build_city("Kassel", "066110000000", "kassel.test")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("plattform", "plattform@example.org", "x")


@pytest.fixture(params=["editor", "superuser"])
def kassel_user(request, cities, superuser):
    """Kassel's editor, and a superuser, who may see everything and still must not link across."""
    return cities[1].editor if request.param == "editor" else superuser


def project_of(city, **fields):
    index = ProjectIndexPage.objects.child_of(city.home).get()
    project = index.add_child(
        instance=ProjectPage(title="Sensorik am Fluss", slug="sensorik", teaser="Messen.", **fields)
    )
    project.fields_of_action.set([city.page])
    project.save_revision().publish()
    project.refresh_from_db()
    return project


def project_form(project, fields_of_action, body=(), image=""):
    data = nested_form_data(
        {
            "title": project.title,
            "slug": project.slug,
            "teaser": project.teaser,
            "kind": project.kind,
            "status": project.status,
            "start_date": "",
            "end_date": "",
            "image": image,
            "body": streamfield(list(body)),
            "partners": inline_formset([]),
        }
    )
    data["fields_of_action"] = [str(pk) for pk in fields_of_action]
    return data


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def snapshot(page):
    """What the database holds of a page: its row's references and its revisions."""
    page = type(page).objects.get(pk=page.pk)
    return {
        "revisions": page.revisions.count(),
        "latest_revision": page.latest_revision_id,
        "references": sorted(
            (ref.path, ref.model.__name__, ref.pk) for ref in cross_references.references_of(page.specific)
        ),
    }


def refused(response, *messages):
    """The response re-renders the edit form with every message (HTML- or JSON-escaped)."""
    assert response.status_code == 200, response.status_code
    body = html.unescape(response.content.decode())
    form = response.context["form"]
    errors = [str(message) for field_errors in form.errors.values() for message in field_errors]
    for formset in getattr(form, "formsets", {}).values():
        for child_errors in formset.errors:
            errors += [str(message) for field_errors in child_errors.values() for message in field_errors]
    for message in messages:
        assert any(message in error for error in errors), (message, errors)
        # Plain in the HTML, or JSON-encoded in the StreamField's block data.
        assert message in body or json.dumps(message)[1:-1] in body, message
    return errors


# --- what the forms offer -------------------------------------------------------------------------------------------


def test_project_form_offers_the_own_fields_of_action_as_checkboxes(cities, kassel_user):
    kiel, kassel = cities
    project = project_of(kassel)
    parent = project.get_parent()
    for url in (edit_url(project), reverse("wagtailadmin_pages:add", args=["projects", "projectpage", parent.pk])):
        body = client_for(kassel_user).get(url).content.decode()
        assert f'type="checkbox" name="fields_of_action" value="{kassel.page.pk}"' in body, url
        assert f'name="fields_of_action" value="{kassel.draft.pk}"' in body, url
        assert f"{kassel.draft.title} (Entwurf)" in body
        assert kiel.page.title not in body and kiel.draft.title not in body, url
        assert f'name="fields_of_action" value="{kiel.page.pk}"' not in body


def test_call_form_offers_a_select_of_the_own_fields_of_action(cities, kassel_user):
    kiel, kassel = cities
    index = CallIndexPage.objects.child_of(kassel.home).get()
    body = (
        client_for(kassel_user)
        .get(reverse("wagtailadmin_pages:add", args=["calls", "callforideaspage", index.pk]))
        .content.decode()
    )
    assert f'<option value="{kassel.page.pk}">{kassel.page.title}</option>' in body
    assert f'<option value="{kassel.draft.pk}">{kassel.draft.title} (Entwurf)</option>' in body
    assert kiel.marker not in body


# --- what the forms refuse ------------------------------------------------------------------------------------------


def test_a_field_of_action_of_another_municipality_is_refused(cities, kassel_user):
    kiel, kassel = cities
    project = project_of(kassel)
    before = snapshot(project)
    for foreign in (kiel.page, kiel.draft):
        response = client_for(kassel_user).post(edit_url(project), project_form(project, [kassel.page.pk, foreign.pk]))
        refused(response, f"Handlungsfelder: Diese Auswahl gehört nicht zur eigenen Kommune. {HINT}")
        assert foreign.title not in response.content.decode()
    assert snapshot(project) == before
    assert list(ProjectPage.objects.get(pk=project.pk).fields_of_action.values_list("pk", flat=True)) == [
        kassel.page.pk
    ]


def test_a_call_with_a_field_of_action_of_another_municipality_is_not_created(cities, kassel_user):
    kiel, kassel = cities
    index = CallIndexPage.objects.child_of(kassel.home).get()
    data = nested_form_data(
        {
            "title": "Ideen für den Fluss",
            "slug": "ideen-fluss",
            "description": "Was tun?",
            "funding_pot": "regular",
            "field_of_action": kiel.page.pk,
            "body": streamfield([]),
        }
    )
    response = client_for(kassel_user).post(
        reverse("wagtailadmin_pages:add", args=["calls", "callforideaspage", index.pk]), data
    )
    refused(response, f"Handlungsfeld: Diese Auswahl gehört nicht zur eigenen Kommune. {HINT}")
    assert not CallForIdeasPage.objects.filter(slug="ideen-fluss").exists()


def test_an_image_field_of_another_municipality_is_refused(cities, kassel_user):
    kiel, kassel = cities
    project = project_of(kassel)
    before = snapshot(project)
    response = client_for(kassel_user).post(
        edit_url(project), project_form(project, [kassel.page.pk], image=kiel.image.pk)
    )
    refused(response, f"Bild: Diese Auswahl gehört nicht zur eigenen Kommune. {HINT}")
    # Re-shown with the value it had: Wagtail's chooser would show the refused image's title and preview.
    assert kiel.image.title not in response.content.decode()
    assert snapshot(project) == before


def image_block(image):
    return ("image", {"image": image.pk, "alt_text": "Ein Bild", "caption": "", "credit": ""})


def test_a_streamfield_image_of_another_municipality_is_refused(cities, kassel_user):
    kiel, kassel = cities
    project = project_of(kassel)
    before = snapshot(project)
    response = client_for(kassel_user).post(
        edit_url(project),
        project_form(project, [kassel.page.pk], body=[image_block(kassel.image), image_block(kiel.image)]),
    )
    if kassel_user.is_superuser:
        refused(response, f"Inhalt: „{kiel.image.title}“ gehört zu einer anderen Kommune (KielRegion). {HINT}")
    else:
        # The editor learns which field, not what another municipality's image is called.
        refused(response, f"Inhalt: Eine Verknüpfung führt zu Inhalten einer anderen Kommune. {HINT}")
        assert kiel.image.title not in response.content.decode()
    assert snapshot(project) == before


def test_an_editor_is_told_which_cross_reference_the_page_already_had(cities):
    """Content from before this rule: the editor sees the other municipality's image in the form anyway, so the
    error names it, and the posted body is shown again for them to remove it."""
    kiel, kassel = cities
    project = project_of(kassel)
    project.body = [("image", {"image": kiel.image, "alt_text": "Alt", "caption": "", "credit": ""})]
    project.save_revision()
    before = snapshot(project)
    response = client_for(kassel.editor).post(
        edit_url(project), project_form(project, [kassel.page.pk], body=[image_block(kiel.image)])
    )
    refused(response, f"Inhalt: „{kiel.image.title}“ gehört zu einer anderen Kommune (KielRegion). {HINT}")
    assert snapshot(project) == before


def paragraph(html):
    return ("paragraph", rich_text(html, features=RICH_TEXT_FEATURES))


@pytest.mark.parametrize(
    "block",
    [
        lambda kiel: paragraph(f'<p>Siehe <a linktype="page" id="{kiel.page.pk}">dort</a>.</p>'),
        lambda kiel: paragraph(f'<p>Siehe <a linktype="document" id="{kiel.document.pk}">PDF</a>.</p>'),
        lambda kiel: (
            "call_to_action",
            {"title": "Mehr", "text": "", "link_label": "Los", "page": kiel.draft.pk, "url": ""},
        ),
        lambda kiel: (
            "faq",
            {
                "title": "Fragen",
                "items": {
                    "count": "1",
                    "0": {
                        "value": {
                            "question": "Wo?",
                            "answer": rich_text(
                                f'<p><a linktype="page" id="{kiel.page.pk}">Da</a></p>', features=RICH_TEXT_FEATURES
                            ),
                        },
                        "deleted": "",
                        "order": "0",
                    },
                },
            },
        ),
        lambda kiel: ("document", {"document": kiel.document.pk, "title": ""}),
    ],
    ids=["rich-text-page-link", "rich-text-document-link", "page-chooser-block", "nested-rich-text", "document-block"],
)
def test_links_in_the_body_to_another_municipality_are_refused(cities, kassel_user, block):
    kiel, kassel = cities
    project = project_of(kassel)
    before = snapshot(project)
    response = client_for(kassel_user).post(
        edit_url(project), project_form(project, [kassel.page.pk], body=[block(kiel)])
    )
    if kassel_user.is_superuser:
        errors = refused(response, "gehört zu einer anderen Kommune (KielRegion). " + HINT)
        assert any(error.startswith("Inhalt: „GeheimKielRegion") for error in errors), errors
    else:
        refused(response, f"Inhalt: Eine Verknüpfung führt zu Inhalten einer anderen Kommune. {HINT}")
        assert kiel.marker not in response.content.decode()
    assert snapshot(project) == before


def test_own_references_are_saved(cities, kassel_user):
    """The refusals above are about the other municipality, not about references as such."""
    _kiel, kassel = cities
    project = project_of(kassel)
    body = [
        image_block(kassel.image),
        paragraph(
            f'<p><a linktype="page" id="{kassel.draft.pk}">Entwurf</a> und '
            f'<a linktype="document" id="{kassel.document.pk}">PDF</a></p>'
        ),
    ]
    data = project_form(project, [kassel.page.pk, kassel.draft.pk], body=body, image=kassel.image.pk)
    response = client_for(kassel_user).post(edit_url(project), data)
    assert response.status_code == 302, response.context["form"].errors
    draft = ProjectPage.objects.get(pk=project.pk).get_latest_revision_as_object()
    assert sorted(page.pk for page in draft.fields_of_action.all()) == sorted([kassel.page.pk, kassel.draft.pk])
    assert draft.image_id == kassel.image.pk
    assert cross_references.crossings_of(draft) == []


def test_a_team_members_photo_of_another_municipality_is_refused(cities, kassel_user):
    kiel, kassel = cities
    team = TeamPage.objects.child_of(kassel.home).get()
    before = snapshot(team)
    data = nested_form_data(
        {
            "title": team.title,
            "slug": team.slug,
            "intro": "",
            "members": inline_formset(
                [
                    {
                        "role": "Projektleitung",
                        "unit": "",
                        "name": "",
                        "photo": kassel.image.pk,
                        "email": "",
                        "phone": "",
                    },
                    {"role": "Redaktion", "unit": "", "name": "", "photo": kiel.image.pk, "email": "", "phone": ""},
                ]
            ),
        }
    )
    response = client_for(kassel_user).post(edit_url(team), data)
    expected = (
        f"Foto: „{kiel.image.title}“ gehört zu einer anderen Kommune (KielRegion). {HINT}"
        if kassel_user.is_superuser
        else f"Foto: Eine Verknüpfung führt zu Inhalten einer anderen Kommune. {HINT}"
    )
    refused(response, expected)
    if not kassel_user.is_superuser:
        assert kiel.image.title not in response.content.decode()
    assert snapshot(team) == before
    assert not TeamMember.objects.filter(page=team).exists()


def settings_form(**pages):
    data = {
        "frontend_base_url": "https://kassel.example",
        "preview_url": "",
        "imprint_page": "",
        "privacy_page": "",
        "accessibility_page": "",
        "data_licence": "dl-by-de/2.0",
    }
    data.update({name: page.pk for name, page in pages.items()})
    return data


@pytest.mark.parametrize("role", ["moderator", "superuser"])
def test_an_imprint_page_of_another_municipality_is_refused(cities, superuser, role):
    kiel, kassel = cities
    user = superuser if role == "superuser" else kassel.moderator
    before = MunicipalitySettings.objects.filter(pk=kassel.settings.pk).values().get()
    url = reverse("wagtailsettings:edit", args=["sites", "municipalitysettings", kassel.site.pk])
    response = client_for(user).post(url, settings_form(imprint_page=kiel.page))
    refused(response, f"Impressum: Diese Auswahl gehört nicht zur eigenen Kommune. {HINT}")
    assert MunicipalitySettings.objects.filter(pk=kassel.settings.pk).values().get() == before

    own = Page.objects.get(pk=before["imprint_page_id"])
    response = client_for(user).post(url, settings_form(imprint_page=own))
    assert response.status_code == 302
    assert kassel.settings.frontend_base_url == "https://kassel.example"


# --- choosers -------------------------------------------------------------------------------------------------------


CHOOSERS = ["wagtailadmin_choose_page", "wagtailimages_chooser:choose", "wagtaildocs_chooser:choose"]


def chooser_shows(body, city, chooser):
    """Whether a chooser's listing shows `city`: its home page (page chooser, at the tree root) or its media."""
    return (city.home.title if chooser == "wagtailadmin_choose_page" else city.marker) in body


@pytest.mark.parametrize("chooser", CHOOSERS)
def test_a_superusers_choosers_offer_the_edited_pages_municipality(cities, superuser, chooser):
    kiel, kassel = cities
    project = project_of(kassel)
    client = client_for(superuser)

    def listing(referer=None):
        headers = {"HTTP_REFERER": f"http://testserver{referer}"} if referer else {}
        return json.loads(client.get(reverse(chooser), **headers).content)["html"]

    for referer in (
        edit_url(project),
        reverse("wagtailadmin_pages:add", args=["projects", "projectpage", project.get_parent().pk]),
        reverse("wagtailsettings:edit", args=["sites", "municipalitysettings", kassel.site.pk]),
    ):
        body = listing(referer)
        assert chooser_shows(body, kassel, chooser) and not chooser_shows(body, kiel, chooser), referer
    # Opened from a page of KielRegion, the same chooser offers KielRegion's objects, not Kassel's.
    body = listing(edit_url(kiel.page))
    assert chooser_shows(body, kiel, chooser) and not chooser_shows(body, kassel, chooser)
    # Without a Referer a superuser's chooser is not narrowed; saving still refuses what crosses.
    body = listing()
    assert chooser_shows(body, kiel, chooser) and chooser_shows(body, kassel, chooser)


# --- moving and copying into another municipality --------------------------------------------------------------------


def test_a_page_with_references_is_not_moved_or_copied_into_another_municipality(cities, superuser):
    kiel, kassel = cities
    project = project_of(kassel, image=kassel.image)
    kiel_index = ProjectIndexPage.objects.child_of(kiel.home).get()
    client = client_for(superuser)
    response = client.post(reverse("wagtailadmin_pages:move_confirm", args=[project.pk, kiel_index.pk]), follow=True)
    assert "würden diese Seiten Inhalte einer anderen Kommune verknüpfen" in response.content.decode()
    project.refresh_from_db()
    assert project.get_parent().pk != kiel_index.pk

    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[project.pk]),
        {"new_title": "Kopie", "new_slug": "kopie", "new_parent_page": kiel_index.pk, "publish_copies": ""},
        follow=True,
    )
    assert "würden diese Seiten Inhalte einer anderen Kommune verknüpfen" in response.content.decode()
    assert not Page.objects.filter(slug="kopie").exists()


# --- code that writes without the forms -----------------------------------------------------------------------------


def test_validate_refuses_what_orm_callers_would_save(cities):
    kiel, kassel = cities
    project = project_of(kassel)
    project.fields_of_action.add(kiel.page)
    project.image = kiel.image
    with pytest.raises(ValidationError) as refusal:
        cross_references.validate(project)
    assert set(refusal.value.message_dict) == {"fields_of_action", "image"}
    assert refusal.value.message_dict["image"] == [
        f"Bild: „{kiel.image.title}“ gehört zu einer anderen Kommune (KielRegion). {HINT}"
    ]
    project.fields_of_action.set([kassel.page])
    project.image = kassel.image
    cross_references.validate(project)


# --- the report -----------------------------------------------------------------------------------------------------


def report():
    """(exit code, lines written, error message) of the command."""
    out = io.StringIO()
    try:
        call_command("report_cross_references", stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue().splitlines(), str(error)
    return 0, out.getvalue().splitlines(), ""


def test_the_report_finds_cross_references_planted_with_the_orm(cities):
    kiel, kassel = cities
    assert report() == (0, ["No reference crosses municipalities."], "")

    # Planted past the forms: the database row of a project, the settings, a team member, and a draft revision.
    project = project_of(kassel)
    project.fields_of_action.add(kiel.page)
    project.save()
    MunicipalitySettings.objects.filter(pk=kassel.settings.pk).update(imprint_page=kiel.draft)
    team = TeamPage.objects.child_of(kassel.home).get()
    TeamMember.objects.create(page=team, role="Redaktion", photo=kiel.image)
    draft = kiel.page.specific
    draft.body = [("document", {"document": kassel.document, "title": ""})]
    draft.save_revision()

    code, lines, message = report()
    assert (code, message) == (1, "4 references cross municipalities.")
    output = "\n".join(lines)
    assert any(
        f"page {project.pk}" in line
        and "fields_of_action" in line
        and f"page {kiel.page.pk}" in line
        and "(KielRegion)" in line
        for line in lines
    ), output
    assert any(
        "MunicipalitySettings" in line and "imprint_page" in line and f"page {kiel.draft.pk}" in line for line in lines
    )
    assert any("members.photo" in line and f"image {kiel.image.pk}" in line for line in lines), output
    assert any(
        f"page {kiel.page.pk}" in line and "draft revision" in line and f"document {kassel.document.pk}" in line
        for line in lines
    ), output
    assert len(lines) == 4, output

    # The command line exits with 1, which checks and cron jobs see.
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "report_cross_references"])
    assert exit_.value.code == 1
