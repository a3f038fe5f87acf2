"""Adding, renaming and removing a municipality: all of it in one transaction, or nothing and a clear error."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
)
from wagtail.test.utils.form_data import nested_form_data, streamfield

from regions.fields_of_action.models import FieldOfActionIndexPage, FieldOfActionPage
from sites.models import Municipality, MunicipalityHomePage, MunicipalitySettings
from tests.tenancy import build_city, client_for, user_in

pytestmark = pytest.mark.django_db

ULM = [
    "--name=Smart City Ulm",
    "--official-name=Stadt Ulm",
    "--regional-key=084210000000",
    "--hostname=ulm.localhost",
    "--cohort-year=2019",
    "--frontend-url=http://ulm.localhost:3000",
]


def counts():
    return {
        "pages": Page.objects.count(),
        "sites": Site.objects.count(),
        "collections": Collection.objects.count(),
        "groups": Group.objects.count(),
        "workflows": Workflow.objects.count(),
        "settings": MunicipalitySettings.objects.count(),
        "municipalities": Municipality.objects.count(),
        "page_permissions": GroupPagePermission.objects.count(),
        "collection_permissions": GroupCollectionPermission.objects.count(),
    }


def add(*arguments):
    out = io.StringIO()
    call_command("add_municipality", *arguments, stdout=out)
    return out.getvalue()


def test_a_third_municipality_is_editable_by_its_editors_and_queryable_at_once(demo_content, gql):
    assert "Created „Smart City Ulm“" in add(*ULM)

    ulm = Municipality.objects.get(home_page__regional_key="084210000000")
    home = ulm.home_page
    assert home.live and home.federal_state == "08"
    assert [child.title for child in home.get_children()] == [
        "Handlungsfelder",
        "Projekte",
        "Team",
        "Ideenaufrufe",
        "Impressum",
        "Datenschutz",
        "Barrierefreiheit",
    ]
    assert Collection.objects.get(pk=home.media_collection_id).name == "Smart City Ulm"
    assert ulm.editors_group.name == "Smart City Ulm – Redaktion"
    assert home.get_workflow() == ulm.workflow

    # Queryable in the API at once, through its own hostname.
    data = gql.data("{ municipality { officialName regionalKey fieldsOfAction { title } } }", host="ulm.localhost")
    assert data["municipality"] == {"officialName": "Stadt Ulm", "regionalKey": "084210000000", "fieldsOfAction": []}

    # Editable by its own editor: the admin's real create form below the fields-of-action index.
    editor = user_in(ulm.editors_group, "ulm-redaktion")
    parent = FieldOfActionIndexPage.objects.child_of(home).get()
    client = client_for(editor)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["fields_of_action", "fieldofactionpage", parent.pk]),
        nested_form_data(
            {
                "title": "Digitale Verwaltung",
                "slug": "digitale-verwaltung",
                "teaser": "Anträge online stellen.",
                "body": streamfield([]),
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = FieldOfActionPage.objects.child_of(parent).get()
    assert created.owner == editor and not created.live
    # ...and by nobody else's: KielRegion's demo editor group has no permission below Ulm.
    kiel = Municipality.objects.get(home_page__regional_key="010020000000")
    kiel_editor = user_in(kiel.editors_group, "kiel-redaktion-test")
    assert client_for(kiel_editor).get(reverse("wagtailadmin_pages:edit", args=[created.pk])).status_code == 404


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"--hostname": "kassel.localhost"}, "hostname", "bereits vergeben"),
        ({"--hostname": "https://ulm.de/"}, "hostname", "kein gültiger Hostname"),
        ({"--hostname": "ulm_stadt.de"}, "hostname", "kein gültiger Hostname"),
        ({"--regional-key": "08421000"}, "regional_key", "genau 12 Ziffern"),
        ({"--regional-key": "994210000000"}, "regional_key", "Bundesland"),
        ({"--regional-key": "066110000000"}, "regional_key", "gehört bereits"),
        ({"--slug": "kassel"}, "slug", "bereits von einer anderen Kommune"),
        ({"--name": "Smart Kassel"}, "name", "bereits Benutzergruppen"),
        ({"--cohort-year": "1999"}, "cohort_year", "größer oder gleich 2019"),
    ],
)
def test_bad_input_creates_nothing_and_says_why(demo_content, change, field, message):
    arguments = [argument for argument in ULM if argument.split("=")[0] not in change]
    arguments += [f"{key}={value}" for key, value in change.items()]
    before = counts()
    with pytest.raises(CommandError) as error:
        add(*arguments)
    assert "Nothing was created" in str(error.value)
    assert field in str(error.value) and message in str(error.value)
    assert counts() == before


def test_rename_changes_every_name_and_keeps_the_tree(demo_content, gql):
    add(*ULM)
    call_command("rename_municipality", "084210000000", "--name=Smart Ulm", "--hostname=smart-ulm.localhost")
    ulm = Municipality.objects.get(home_page__regional_key="084210000000")
    assert ulm.home_page.title == "Smart Ulm"
    assert ulm.editors_group.name == "Smart Ulm – Redaktion"
    assert ulm.workflow.name == "Freigabe Smart Ulm"
    assert Collection.objects.get(pk=ulm.home_page.media_collection_id).name == "Smart Ulm"
    assert gql.data("{ municipality { title } }", host="smart-ulm.localhost") == {
        "municipality": {"title": "Smart Ulm"}
    }
    with pytest.raises(CommandError, match="bereits vergeben"):
        call_command("rename_municipality", "084210000000", "--hostname=kassel.localhost")
    ulm.home_page.save_revision()  # an unpublished draft must not be published by a rename
    with pytest.raises(CommandError, match="unveröffentlichte Änderungen"):
        call_command("rename_municipality", "084210000000", "--name=Ulm")
    with pytest.raises(CommandError, match="Keine Kommune"):
        call_command("rename_municipality", "999999999999", "--name=X")


def test_remove_deletes_everything_of_one_municipality_only(demo_content, monkeypatch):
    before = counts()
    add(*ULM)
    ulm = Municipality.objects.get(home_page__regional_key="084210000000")
    user = user_in(ulm.editors_group, "ulm-redaktion")
    monkeypatch.setattr("builtins.input", lambda prompt: "nein")
    with pytest.raises(CommandError, match="did not match"):
        call_command("remove_municipality", "ulm.localhost")
    assert counts() != before
    out = io.StringIO()
    call_command("remove_municipality", "ulm.localhost", "--yes", stdout=out)
    assert "ulm-redaktion" in out.getvalue()
    assert counts() == before
    user.refresh_from_db()
    assert not user.groups.exists()
    assert MunicipalityHomePage.objects.count() == 2


def test_kommunen_admin_is_for_superusers_and_reports_clashes_as_form_errors(demo_content, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x")
    client = Client()
    client.force_login(admin)
    assert client.get(reverse("sites_municipalities:index")).status_code == 200
    form = {
        "name": "Smart City Ulm",
        "official_name": "Stadt Ulm",
        "regional_key": "084210000000",
        "cohort_year": "2019",
        "hostname": "kassel.localhost",
        "port": "80",
    }
    before = counts()
    response = client.post(reverse("sites_municipalities:add"), form)
    assert response.status_code == 200
    assert "Der Hostname kassel.localhost:80 ist bereits vergeben." in response.content.decode()
    assert counts() == before

    response = client.post(reverse("sites_municipalities:add"), {**form, "hostname": "ulm.localhost"})
    assert response.status_code == 302
    ulm = Municipality.objects.get(home_page__regional_key="084210000000")
    rename = {"name": "Smart Ulm", "official_name": "Stadt Ulm", "slug": "kassel", "hostname": "ulm.localhost"}
    response = client.post(reverse("sites_municipalities:rename", args=[ulm.pk]), rename)
    assert "wird bereits von einer anderen Kommune genutzt" in response.content.decode()
    response = client.post(reverse("sites_municipalities:rename", args=[ulm.pk]), {**rename, "slug": "ulm"})
    assert response.status_code == 302
    assert MunicipalityHomePage.objects.get(regional_key="084210000000").url_path == "/ulm/"
    response = client.post(reverse("sites_municipalities:remove", args=[ulm.pk]), {"confirmation": "falsch"})
    assert response.status_code == 200 and Municipality.objects.filter(pk=ulm.pk).exists()
    response = client.post(reverse("sites_municipalities:remove", args=[ulm.pk]), {"confirmation": "084210000000"})
    assert response.status_code == 302 and not Municipality.objects.filter(pk=ulm.pk).exists()


def test_kommunen_admin_is_refused_to_municipality_staff(db):
    city = build_city("Kiel", "010020000000", "kiel.test")
    for user in (city.editor, city.moderator):
        client = client_for(user)
        # Wagtail answers a refused admin view with a redirect to the dashboard and an error message.
        for response in (
            client.get(reverse("sites_municipalities:index")),
            client.post(reverse("sites_municipalities:remove", args=[city.municipality.pk])),
        ):
            assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
        assert b"kommunen" not in client.get(reverse("wagtailadmin_home")).content
    assert Municipality.objects.filter(pk=city.municipality.pk).exists()


def test_no_group_grants_access_to_every_municipality(db):
    from wagtail.models import GroupPagePermission

    assert not GroupPagePermission.objects.filter(page__depth=1).exists()
    assert not GroupCollectionPermission.objects.filter(collection__depth=1).exists()


def test_an_account_assigned_to_no_municipality_is_a_form_error(db, django_user_model):
    city = build_city("Kiel", "010020000000", "kiel.test")
    admin = django_user_model.objects.create_superuser("root", password="x")
    client = client_for(admin)
    form = {
        "username": "neu",
        "email": "redaktion@kiel.example",
        # Wagtail requires both names; an account named after its role invents no person.
        "first_name": "Redaktion",
        "last_name": "Kiel",
        "password1": "ein-langes-Passwort-2026",
        "password2": "ein-langes-Passwort-2026",
        "is_active": "on",
    }
    response = client.post(reverse("wagtailusers_users:add"), form)
    assert response.status_code == 200
    assert "keiner Kommune zugeordnet" in response.content.decode()
    assert not django_user_model.objects.filter(username="neu").exists()

    response = client.post(reverse("wagtailusers_users:add"), {**form, "groups": [city.municipality.editors_group.pk]})
    assert response.status_code == 302
    assert django_user_model.objects.get(username="neu").groups.get() == city.municipality.editors_group

    response = client.post(
        reverse("wagtailusers_users:edit", args=[city.editor.pk]),
        {
            "username": city.editor.username,
            "email": "redaktion@kiel.example",
            "first_name": "Redaktion",
            "last_name": "Kiel",
            "is_active": "on",
        },
    )
    assert "keiner Kommune zugeordnet" in response.content.decode()
    assert city.editor.groups.exists()
