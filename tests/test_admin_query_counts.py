"""An editor's admin does not get slower with every municipality the instance hosts.

The explorer, the page chooser and the image chooser run the same number of SQL queries with 5 and with 50
municipalities present; the figures are in docs/tenancy.md.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regions.fields_of_action.models import FieldOfActionIndexPage
from sites.factories import make_regional_key
from tests.tenancy import build_city, client_for, onboard

pytestmark = pytest.mark.django_db


def editor_views(city):
    foa_index = FieldOfActionIndexPage.objects.child_of(city.home).get()
    return {
        "explorer (home page)": reverse("wagtailadmin_explore", args=[city.home.pk]),
        "explorer (fields of action)": reverse("wagtailadmin_explore", args=[foa_index.pk]),
        "page chooser": reverse("wagtailadmin_choose_page"),
        "image chooser": reverse("wagtailimages_chooser:choose"),
        "image listing": reverse("wagtailimages:index"),
    }


def measure(client, urls):
    counts = {}
    for name, url in urls.items():
        client.get(url)  # warm per-process caches (content types, site root paths) before counting
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries)
    return counts


def add_municipalities(start, count):
    for n in range(start, start + count):
        onboard(f"Musterstadt {n}", make_regional_key(n), f"musterstadt-{n}.test")


def test_editor_admin_query_count_does_not_grow_with_the_number_of_municipalities():
    city = build_city("Kiel", "010020000000", "kiel.test")
    add_municipalities(1, 4)
    client = client_for(city.editor)
    urls = editor_views(city)
    with_5 = measure(client, urls)

    add_municipalities(5, 45)
    with_50 = measure(client, urls)
    print(f"\nSQL queries with 5 municipalities: {with_5}\nwith 50: {with_50}")
    assert with_50 == with_5
    assert max(with_50.values()) <= 60
