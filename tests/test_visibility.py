"""Drafts, expired and view-restricted pages and media in restricted collections never leave the API,
whatever field leads to them. Preview tokens are the only door to drafts."""

import datetime

import pytest
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction
from wagtail.rich_text import RichText

from cms.media.factories import ImageFactory
from regions.fields_of_action.factories import FieldOfActionIndexPageFactory, FieldOfActionPageFactory
from sites.factories import ContentPageFactory

pytestmark = pytest.mark.django_db

HOST = "kiel.test"


@pytest.fixture
def kiel(two_cities):
    return two_cities[0]


@pytest.fixture
def index(kiel):
    return FieldOfActionIndexPageFactory(parent=kiel, slug="handlungsfelder", title="Handlungsfelder")


def make_draft(page):
    page.unpublish()
    page.refresh_from_db()
    return page


def make_private(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="geheim")
    return page


def make_expired(page):
    # Still live: the scheduler has not run yet, but the expiry time has passed.
    type(page).objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    page.refresh_from_db()
    return page


HIDERS = {"draft": make_draft, "private": make_private, "expired": make_expired}


def every_path_to(gql, page, query_word):
    """What each entry point returns for a page: by path, id, slug, in lists, children, search."""
    url = "/handlungsfelder/" + page.slug + "/"
    return {
        "by_path": gql.data('{ page(urlPath: "%s") { id } }' % url, host=HOST)["page"],
        "by_id": gql.data("{ page(id: %d) { id } }" % page.pk, host=HOST)["page"],
        "by_slug": gql.data('{ page(slug: "%s") { id } }' % page.slug, host=HOST)["page"],
        "pages": [p["id"] for p in gql.data("{ pages(limit: 100) { id } }", host=HOST)["pages"]],
        "children": [
            p["id"]
            for p in gql.data('{ page(urlPath: "/handlungsfelder/") { children { id } } }', host=HOST)["page"][
                "children"
            ]
        ],
        "search": [p["id"] for p in gql.data('{ search(query: "%s") { id } }' % query_word, host=HOST)["search"]],
        "municipality": [
            p["id"]
            for p in gql.data("{ municipality { fieldsOfAction { id } } }", host=HOST)["municipality"]["fieldsOfAction"]
        ],
        "aggregator": [
            p["id"]
            for m in gql.data("{ municipalities { fieldsOfAction { id } } }", host=HOST)["municipalities"]
            for p in m["fieldsOfAction"]
        ],
    }


@pytest.mark.parametrize("hide", sorted(HIDERS))
def test_hidden_page_is_unreachable_from_every_entry_point(gql, index, hide):
    visible = FieldOfActionPageFactory(parent=index, title="Küstenschutz Sichtbar", slug="sichtbar")
    hidden = FieldOfActionPageFactory(parent=index, title="Küstenschutz Verborgen", slug="verborgen")
    before = every_path_to(gql, hidden, "Küstenschutz")
    assert before["by_path"] == {"id": str(hidden.pk)}
    assert str(hidden.pk) in before["search"]

    HIDERS[hide](hidden)
    after = every_path_to(gql, hidden, "Küstenschutz")
    assert after["by_path"] is None
    assert after["by_id"] is None
    assert after["by_slug"] is None
    for listing in ("pages", "children", "search", "municipality", "aggregator"):
        assert str(hidden.pk) not in after[listing], listing
        assert str(visible.pk) in after[listing], listing


def test_descendants_of_a_private_page_are_hidden_too(gql, kiel, index):
    child = FieldOfActionPageFactory(parent=index, slug="unter-privat")
    make_private(index)
    assert gql.data('{ page(urlPath: "/handlungsfelder/unter-privat/") { id } }', host=HOST)["page"] is None
    assert str(child.pk) not in [p["id"] for p in gql.data("{ pages(limit: 100) { id } }", host=HOST)["pages"]]


def test_an_unpublished_section_hides_its_live_subpages(gql, kiel):
    section = ContentPageFactory(parent=kiel, slug="bereich", title="Bereich")
    leaf = ContentPageFactory(parent=section, slug="seite", title="Seite")
    query = '{ page(urlPath: "/bereich/seite/") { parent { id } ancestors { id } } }'
    assert gql.data(query, host=HOST)["page"]["parent"] == {"id": str(section.pk)}
    make_draft(section)
    # The leaf is still live, but the publication rule hides everything below an unpublished section.
    assert type(leaf).objects.get(pk=leaf.pk).live
    assert gql.data(query, host=HOST)["page"] is None
    listed = [page["id"] for page in gql.data("{ pages(limit: 100) { id } }", host=HOST)["pages"]]
    assert str(leaf.pk) not in listed and str(section.pk) not in listed


def test_page_chooser_block_does_not_lead_to_a_draft(gql, kiel):
    target = ContentPageFactory(parent=kiel, slug="ziel", title="Ziel")
    ContentPageFactory(
        parent=kiel,
        slug="mit-link",
        body=[("call_to_action", {"title": "Mehr", "text": "", "link_label": "Los", "page": target, "url": ""})],
    )
    query = (
        '{ page(urlPath: "/mit-link/") { ... on ContentPage { body { ... on CallToActionBlock { page { id } } } } } }'
    )
    assert gql.data(query, host=HOST)["page"]["body"][0]["page"] == {"id": str(target.pk)}
    make_draft(target)
    assert gql.data(query, host=HOST)["page"]["body"][0]["page"] is None


def test_rich_text_link_to_a_draft_loses_its_target(gql, kiel):
    target = ContentPageFactory(parent=kiel, slug="ziel", title="Ziel")
    html = f'<p>Siehe <a linktype="page" id="{target.pk}">hier</a></p>'
    ContentPageFactory(parent=kiel, slug="text", body=[("paragraph", RichText(html))])
    query = '{ page(urlPath: "/text/") { ... on ContentPage { body { ... on RichTextBlock { value } } } } }'
    assert "href=" in gql.data(query, host=HOST)["page"]["body"][0]["value"]
    make_draft(target)
    value = gql.data(query, host=HOST)["page"]["body"][0]["value"]
    assert "href=" not in value
    assert "ziel" not in value


@pytest.fixture
def private_subcollection(kiel):
    city_collection = Collection.objects.get(pk=kiel.media_collection_id)
    private = city_collection.add_child(name="Intern")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="geheim"
    )
    return private.add_child(name="Intern / Entwürfe")


def test_image_in_a_subcollection_of_a_private_collection_is_never_returned(gql, kiel, private_subcollection):
    public_image = ImageFactory(collection_id=kiel.media_collection_id, title="Öffentlich")
    secret_image = ImageFactory(collection=private_subcollection, title="Geheim")
    kiel.logo = secret_image
    kiel.save_revision().publish()
    ContentPageFactory(
        parent=kiel,
        slug="bilder",
        body=[
            ("image", {"image": public_image, "alt_text": "a", "caption": "", "credit": ""}),
            ("image", {"image": secret_image, "alt_text": "b", "caption": "", "credit": ""}),
        ],
    )
    listed = [image["id"] for image in gql.data("{ images(limit: 100) { id } }", host=HOST)["images"]]
    assert listed == [str(public_image.pk)]
    assert gql.data("{ image(id: %d) { id } }" % secret_image.pk, host=HOST)["image"] is None
    assert gql.data("{ municipality { logo { id } } }", host=HOST)["municipality"]["logo"] is None
    query = '{ page(urlPath: "/bilder/") { ... on ContentPage { body { ... on ImageBlock { image { id } } } } } }'
    blocks = gql.data(query, host=HOST)["page"]["body"]
    assert [block["image"] for block in blocks] == [{"id": str(public_image.pk)}, None]


def test_document_in_a_private_collection_is_never_returned(gql, kiel, private_subcollection):
    secret = Document.objects.create(title="Vertraulich", collection=private_subcollection)
    ContentPageFactory(parent=kiel, slug="downloads", body=[("document", {"document": secret, "title": "PDF"})])
    assert gql.data("{ documents { id } }", host=HOST)["documents"] == []
    query = (
        '{ page(urlPath: "/downloads/") { ... on ContentPage { body { ... on DocumentBlock { document { id } } } } } }'
    )
    assert gql.data(query, host=HOST)["page"]["body"][0]["document"] is None


def test_rich_text_links_and_embeds_of_restricted_media_lose_their_target(gql, kiel, private_subcollection):
    secret_document = Document.objects.create(title="Vertraulich", collection=private_subcollection)
    secret_image = ImageFactory(collection=private_subcollection, title="Geheimbild")
    html = (
        f'<p><a linktype="document" id="{secret_document.pk}">Bericht</a></p>'
        f'<embed embedtype="image" id="{secret_image.pk}" format="fullwidth" alt="Bild"/>'
    )
    ContentPageFactory(parent=kiel, slug="text", body=[("paragraph", RichText(html))])
    query = '{ page(urlPath: "/text/") { ... on ContentPage { body { ... on RichTextBlock { value } } } } }'
    value = gql.data(query, host=HOST)["page"]["body"][0]["value"]
    assert "href=" not in value and "/documents/" not in value and str(secret_document.pk) not in value
    assert "src=" not in value and "Geheimbild" not in value


def test_rich_text_links_into_another_city_lose_their_target(gql, two_cities):
    kiel, kassel = two_cities
    foreign_page = ContentPageFactory(parent=kassel, slug="kassel-seite", title="Kasseler Seite")
    foreign_document = Document.objects.create(title="Kasseler PDF", collection_id=kassel.media_collection_id)
    html = (
        f'<p><a linktype="page" id="{foreign_page.pk}">Seite</a> '
        f'<a linktype="document" id="{foreign_document.pk}">PDF</a></p>'
    )
    ContentPageFactory(parent=kiel, slug="text", body=[("paragraph", RichText(html))])
    query = '{ page(urlPath: "/text/") { ... on ContentPage { body { ... on RichTextBlock { value } } } } }'
    value = gql.data(query, host=HOST)["page"]["body"][0]["value"]
    assert "href=" not in value and "kassel" not in value.lower()


def test_images_of_another_city_are_not_listed(gql, two_cities):
    kiel, kassel = two_cities
    ImageFactory(collection_id=kassel.media_collection_id, title="Kassel-Bild")
    assert gql.data("{ images { id } }", host=HOST)["images"] == []


def test_draft_is_reachable_only_with_a_preview_token(gql, kiel, rf):
    page = ContentPageFactory(parent=kiel, slug="entwurf", title="Entwurf")
    make_draft(page)
    page.title = "Entwurf mit Änderung"
    preview = page.create_page_preview()
    query = "query ($token: String) { page(token: $token) { title } }"
    assert gql.data(query, {"token": preview.token}, host=HOST)["page"]["title"] == "Entwurf mit Änderung"
    _status, messages = gql.errors(query, {"token": preview.token}, host="kassel.test")
    assert messages == ["This preview belongs to another municipality's site."]
    _status, messages = gql.errors(query, {"token": preview.token + "x"}, host=HOST)
    assert messages == ["The preview token is invalid or has expired."]


def test_expired_preview_token_is_refused(gql, kiel, settings):
    page = ContentPageFactory(parent=kiel, slug="entwurf", title="Entwurf")
    preview = page.create_page_preview()
    settings.PREVIEW_TOKEN_MAX_AGE = -1
    _status, messages = gql.errors("query ($t: String) { page(token: $t) { title } }", {"t": preview.token}, host=HOST)
    assert messages == ["The preview token is invalid or has expired."]


def test_preview_opens_the_frontend_of_the_pages_own_city(two_cities, rf):
    from sites.models import MunicipalitySettings

    kiel, kassel = two_cities
    for home, url in ((kiel, "https://kiel.example/preview"), (kassel, "https://kassel.example/preview")):
        settings = MunicipalitySettings.for_site(home.get_site())
        settings.preview_url = url
        settings.save()
    kassel_page = ContentPageFactory(parent=kassel, slug="seite")
    # The admin runs on one hostname for all cities; the request's host must not decide.
    admin_request = rf.get("/admin/", HTTP_HOST="kiel.test")
    assert kassel_page.get_preview_url(admin_request, "tok").startswith("https://kassel.example/preview/?")
