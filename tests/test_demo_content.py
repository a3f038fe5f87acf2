import pytest
from django.core.management import call_command
from wagtail.models import Collection, Page, Site

from regions.programme.models import ProgrammePage
from sites.models import MunicipalityHomePage

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "pages": sorted(Page.objects.values_list("id", "path", "title", "live", "latest_revision_id")),
        "sites": sorted(Site.objects.values_list("id", "hostname", "port", "root_page_id")),
        "collections": sorted(Collection.objects.values_list("id", "name")),
    }


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo_content", verbosity=0)
    first = snapshot()
    call_command("load_demo_content", verbosity=0)
    assert snapshot() == first


def test_demo_has_both_municipalities_with_seed_facts():
    call_command("load_demo_content", verbosity=0)
    homes = {home.regional_key: home for home in MunicipalityHomePage.objects.all()}
    assert set(homes) == {"010020000000", "066110000000"}
    assert {site.hostname for site in Site.objects.filter(root_page__in=homes.values())} == {
        "kielregion.localhost",
        "kassel.localhost",
    }
    kassel_programme = ProgrammePage.objects.descendant_of(homes["066110000000"]).get()
    assert kassel_programme.federal_funding_eur == 11_000_000
    assert str(kassel_programme.council_decision_date) == "2020-05-11"
