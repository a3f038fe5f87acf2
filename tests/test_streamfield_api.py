"""StreamField blocks in the API: `rawValue` is JSON for every block type and shows only what the typed fields show;
references to hidden objects or to another municipality's objects are null; no error carries a file path or other
internal detail."""

import json
import logging
import os
from datetime import date

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.documents.models import Document
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock as WagtailImageBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Collection, CollectionViewRestriction
from wagtail.rich_text import RichText

from cms.api.errors import INTERNAL_MESSAGE, TOO_DEEP_MESSAGE, format_error
from cms.api.streamfield import PublicBlockValues
from cms.blocks import ContentStreamBlock
from cms.graphql_base.errors import BAD_USER_INPUT, INTERNAL_ERROR
from cms.media.factories import ImageFactory
from graphql import GraphQLError, GraphQLString, located_error
from sites.factories import ContentPageFactory
from sites.ownership import owners_for

pytestmark = pytest.mark.django_db

KIEL, KASSEL = "kiel.test", "kassel.test"

BODY_QUERY = """query ($path: String) { page(urlPath: $path) { ... on ContentPage { body {
  field blockType rawValue
  ... on RichTextBlock { html: value }
  ... on ImageBlock { image { id url rendition(width: 320) { url } srcSet(sizes: [320, 640]) } }
  ... on CallToActionBlock { page { id } }
  ... on DocumentBlock { document { id } }
  ... on VideoEmbedBlock { embed { id field blockType rawValue url embedValue: value } }
  ... on FaqBlock { items { id field blockType rawValue ... on FaqItemBlock { question answer blocks { field } } } }
} } } }"""


@pytest.fixture
def cities(two_cities):
    # Wagtail caches renditions by image id; ids repeat from test to test, the cache would not.
    for cache in caches.all():
        cache.clear()
    return two_cities


def post(query, variables=None, host=KIEL):
    response = Client().post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        HTTP_HOST=host,
    )
    return response.status_code, response.content.decode(), json.loads(response.content)


def body_of(path, host):
    _status, _text, body = post(BODY_QUERY, {"path": path}, host)
    assert "errors" not in body, body["errors"]
    return body["data"]["page"]["body"]


def make_document(collection_id, title, filename):
    return Document.objects.create(
        title=title, collection_id=collection_id, file=ContentFile(b"%PDF-1.4 demo", name=filename)
    )


def private_collection(home):
    private = Collection.objects.get(pk=home.media_collection_id).add_child(name=f"{home.title} intern")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="geheim"
    )
    return private


def test_raw_value_of_every_content_block_is_json_in_the_shape_of_the_block(cities):
    kiel, _kassel = cities
    image = ImageFactory(collection_id=kiel.media_collection_id, title="Hafen")
    document = make_document(kiel.media_collection_id, "Haushalt", "haushalt.pdf")
    target = ContentPageFactory(parent=kiel, slug="ziel", title="Ziel")
    ContentPageFactory(
        parent=kiel,
        slug="alle-bloecke",
        body=[
            ("heading", {"text": "Überschrift", "level": "h3"}),
            ("paragraph", RichText(f'<p>Mehr dazu: <a linktype="page" id="{target.pk}">Ziel</a></p>')),
            ("image", {"image": image, "alt_text": "Der Hafen", "caption": "Am Morgen", "credit": "Stadt"}),
            ("quote", {"quote": "Ein Zitat", "attribution": "Jemand"}),
            ("call_to_action", {"title": "Mitmachen", "text": "", "link_label": "Los", "page": target, "url": ""}),
            ("key_figure", {"value": "11.50", "unit": "Mio. €", "caption": "Fördermittel"}),
            ("document", {"document": document, "title": "PDF"}),
            ("embed", {"embed": "https://www.youtube.com/watch?v=demo", "caption": "Video"}),
            ("faq", {"title": "FAQ", "items": [{"question": "Wer?", "answer": RichText("<p>Alle.</p>")}]}),
        ],
    )
    body = body_of("/alle-bloecke/", KIEL)
    raw = {block["field"]: json.loads(block["rawValue"]) for block in body}
    assert set(raw) == set(ContentStreamBlock().child_blocks), "a new block type needs a case here"

    paragraph = next(block for block in body if block["field"] == "paragraph")
    # Rich text is the public HTML, the same as the typed value: no linktype or database ids.
    assert raw["paragraph"] == paragraph["html"]
    assert "/ziel/" in raw["paragraph"] and "linktype" not in raw["paragraph"]
    assert raw == {
        "heading": {"text": "Überschrift", "level": "h3"},
        "paragraph": paragraph["html"],
        "image": {"image": image.pk, "alt_text": "Der Hafen", "caption": "Am Morgen", "credit": "Stadt"},
        "quote": {"quote": "Ein Zitat", "attribution": "Jemand"},
        "call_to_action": {"title": "Mitmachen", "text": "", "link_label": "Los", "page": target.pk, "url": ""},
        "key_figure": {"value": 11.5, "unit": "Mio. €", "caption": "Fördermittel"},
        "document": {"document": document.pk, "title": "PDF"},
        "embed": {"embed": "https://www.youtube.com/watch?v=demo", "caption": "Video"},
        "faq": {"title": "FAQ", "items": [{"question": "Wer?", "answer": "<p>Alle.</p>"}]},
    }

    by_field = {block["field"]: block for block in body}
    faq_item = by_field["faq"]["items"][0]
    assert faq_item["blockType"] == "FaqItemBlock"
    # Items of a list block have their ids and answer every interface field, like the blocks of a stream.
    assert faq_item["id"] and faq_item["question"] == "Wer?"
    assert [child["field"] for child in faq_item["blocks"]] == ["question", "answer"]
    assert json.loads(faq_item["rawValue"]) == {"question": "Wer?", "answer": "<p>Alle.</p>"}
    # An embed inside a struct block answers every interface field, and its value is its URL.
    assert by_field["embed"]["embed"] == {
        "id": None,
        "field": "embed",
        "blockType": "EmbedBlock",
        "rawValue": json.dumps("https://www.youtube.com/watch?v=demo"),
        "url": "https://www.youtube.com/watch?v=demo",
        "embedValue": "https://www.youtube.com/watch?v=demo",
    }


class EveryKindBlock(blocks.StreamBlock):
    """Block kinds that ContentStreamBlock does not use (yet), for the representation on its own."""

    text = blocks.CharBlock()
    number = blocks.IntegerBlock()
    amount = blocks.DecimalBlock(decimal_places=2)
    flag = blocks.BooleanBlock(required=False)
    day = blocks.DateBlock()
    choice = blocks.ChoiceBlock(choices=[("a", "A"), ("b", "B")])
    choices = blocks.MultipleChoiceBlock(choices=[("a", "A"), ("b", "B")])
    html = blocks.RawHTMLBlock()
    static = blocks.StaticBlock()
    rich = blocks.RichTextBlock()
    page = blocks.PageChooserBlock()
    image = ImageChooserBlock()
    document = DocumentChooserBlock()
    embed = EmbedBlock()
    picture = WagtailImageBlock()
    names = blocks.ListBlock(blocks.CharBlock())
    nested = blocks.StreamBlock([("line", blocks.CharBlock()), ("target", blocks.PageChooserBlock())])
    pair = blocks.StructBlock([("left", blocks.CharBlock()), ("right", blocks.ListBlock(ImageChooserBlock()))])


def test_every_block_kind_has_a_json_representation_that_hides_foreign_references(cities):
    kiel, kassel = cities
    own_image = ImageFactory(collection_id=kiel.media_collection_id)
    foreign_image = ImageFactory(collection_id=kassel.media_collection_id)
    own_page = ContentPageFactory(parent=kiel, slug="eigen")
    foreign_page = ContentPageFactory(parent=kassel, slug="fremd")
    document = make_document(kiel.media_collection_id, "Satzung", "satzung.pdf")
    block = EveryKindBlock()
    raw = [
        {"type": "text", "value": "Hallo", "id": "1"},
        {"type": "number", "value": 7, "id": "2"},
        {"type": "amount", "value": "2.50", "id": "3"},
        {"type": "flag", "value": True, "id": "4"},
        {"type": "day", "value": "2024-05-01", "id": "5"},
        {"type": "choice", "value": "b", "id": "6"},
        {"type": "choices", "value": ["a", "b"], "id": "7"},
        {"type": "html", "value": "<b>roh</b>", "id": "8"},
        {"type": "static", "value": None, "id": "9"},
        {"type": "rich", "value": f'<p><a linktype="page" id="{foreign_page.pk}">fremd</a></p>', "id": "10"},
        {"type": "page", "value": own_page.pk, "id": "11"},
        {"type": "page", "value": foreign_page.pk, "id": "12"},
        {"type": "image", "value": foreign_image.pk, "id": "13"},
        {"type": "document", "value": document.pk, "id": "14"},
        {"type": "embed", "value": "https://example.org/video", "id": "15"},
        {"type": "picture", "value": {"image": own_image.pk, "alt_text": "Alt", "decorative": False}, "id": "16"},
        {"type": "names", "value": ["x", "y"], "id": "17"},
        {
            "type": "nested",
            "value": [
                {"type": "line", "value": "z", "id": "a"},
                {"type": "target", "value": foreign_page.pk, "id": "b"},
            ],
            "id": "18",
        },
        {"type": "pair", "value": {"left": "l", "right": [own_image.pk, foreign_image.pk]}, "id": "19"},
    ]
    request = RequestFactory().get("/graphql/", HTTP_HOST=KIEL)
    values = PublicBlockValues(request, owners_for(request).of(kiel))
    data = json.loads(json.dumps(values.represent(block, block.to_python(raw))))
    assert [item["id"] for item in data] == [str(n) for n in range(1, 20)]
    assert [item["value"] for item in data] == [
        "Hallo",
        7,
        2.5,
        True,
        date(2024, 5, 1).isoformat(),
        "b",
        ["a", "b"],
        "<b>roh</b>",
        None,
        "<p><a>fremd</a></p>",
        own_page.pk,
        None,
        None,
        document.pk,
        "https://example.org/video",
        {"image": own_image.pk, "alt_text": "Alt", "decorative": False},
        ["x", "y"],
        [{"type": "line", "value": "z", "id": "a"}, {"type": "target", "value": None, "id": "b"}],
        {"left": "l", "right": [own_image.pk, None]},
    ]


def test_hidden_and_foreign_references_are_null_everywhere_in_a_block(cities):
    kiel, kassel = cities
    kiel_image = ImageFactory(
        collection_id=kiel.media_collection_id, title="Kieler Förde Titel", file__filename="kiel-foerde.jpg"
    )
    kiel_document = make_document(kiel.media_collection_id, "Kieler Protokoll", "kiel-protokoll.pdf")
    kiel_page = ContentPageFactory(parent=kiel, slug="kieler-seite", title="Kieler Seite")
    restricted_image = ImageFactory(
        collection=private_collection(kassel), title="Internes Kasseler Bild", file__filename="kassel-intern.jpg"
    )
    public_image = ImageFactory(collection_id=kassel.media_collection_id, title="Kassel öffentlich")
    link_text = (
        f'<p><a linktype="page" id="{kiel_page.pk}">Seite</a> <a linktype="document" id="{kiel_document.pk}">Datei</a>'
        f'</p><embed embedtype="image" id="{kiel_image.pk}" format="fullwidth" alt="Bild"/>'
    )
    ContentPageFactory(
        parent=kassel,
        slug="verweise",
        body=[
            ("image", {"image": kiel_image, "alt_text": "a", "caption": "", "credit": ""}),
            ("image", {"image": restricted_image, "alt_text": "b", "caption": "", "credit": ""}),
            ("image", {"image": public_image, "alt_text": "c", "caption": "", "credit": ""}),
            ("document", {"document": kiel_document, "title": "Download"}),
            ("call_to_action", {"title": "T", "text": "", "link_label": "L", "page": kiel_page, "url": ""}),
            ("paragraph", RichText(link_text)),
        ],
    )
    _status, text, body = post(BODY_QUERY, {"path": "/verweise/"}, KASSEL)
    assert "errors" not in body, body["errors"]
    blocks_ = body["data"]["page"]["body"]
    images = [block["image"] for block in blocks_ if block["field"] == "image"]
    assert [image and image["id"] for image in images] == [None, None, str(public_image.pk)]
    raw_images = [json.loads(block["rawValue"])["image"] for block in blocks_ if block["field"] == "image"]
    assert raw_images == [None, None, public_image.pk]
    document_block = next(block for block in blocks_ if block["field"] == "document")
    assert document_block["document"] is None
    assert json.loads(document_block["rawValue"]) == {"document": None, "title": "Download"}
    cta = next(block for block in blocks_ if block["field"] == "call_to_action")
    assert cta["page"] is None
    assert json.loads(cta["rawValue"])["page"] is None
    for secret in (
        "Kieler Förde Titel",
        "kiel-foerde",
        "Kieler Protokoll",
        "kiel-protokoll",
        "kieler-seite",
        "Internes Kasseler Bild",
        "kassel-intern",
        "linktype",
    ):
        assert secret not in text, secret

    # The root fields agree: Kassel's site does not hand out Kiel's image or document, Kiel's does.
    for field, item in (("image", kiel_image), ("document", kiel_document)):
        query = "query ($id: ID!) { %s(id: $id) { id } }" % field
        assert post(query, {"id": item.pk}, KASSEL)[2]["data"][field] is None
        assert post(query, {"id": item.pk}, KIEL)[2]["data"][field] == {"id": str(item.pk)}
    assert post("{ image(id: %d) { id } }" % restricted_image.pk, host=KASSEL)[2]["data"]["image"] is None


def test_missing_image_file_gives_no_rendition_and_no_path(cities, caplog):
    kiel, _kassel = cities
    image = ImageFactory(collection_id=kiel.media_collection_id, title="Verschwunden")
    ContentPageFactory(
        parent=kiel, slug="bild", body=[("image", {"image": image, "alt_text": "a", "caption": "", "credit": ""})]
    )
    os.remove(image.file.path)
    caplog.set_level(logging.WARNING, logger="cms.api")
    _status, text, body = post(BODY_QUERY, {"path": "/bild/"}, KIEL)
    assert "errors" not in body, body["errors"]
    block = body["data"]["page"]["body"][0]
    assert block["image"]["id"] == str(image.pk)
    assert block["image"]["rendition"] is None
    assert block["image"]["srcSet"] is None
    assert json.loads(block["rawValue"])["image"] == image.pk
    _status, root_text, root = post('{ images { id rendition(fill: "320x320") { url } } }', host=KIEL)
    assert "errors" not in root and root["data"]["images"] == [{"id": str(image.pk), "rendition": None}]
    for response in (text, root_text):
        assert str(settings.MEDIA_ROOT) not in response
        assert "No such file" not in response and "Errno" not in response
    # The operator learns which file is missing.
    assert any(image.file.name in record.getMessage() for record in caplog.records)


def test_unexpected_exception_is_a_generic_error_and_is_logged(cities, caplog):
    kiel, _kassel = cities
    image = ImageFactory(collection_id=kiel.media_collection_id)
    with open(image.file.path, "wb") as broken:
        broken.write(b"this is not an image")
    caplog.set_level(logging.ERROR, logger="cms.api")
    _status, text, body = post("{ images { id rendition(width: 320) { url } } }", host=KIEL)
    [error] = body["errors"]
    assert error["message"] == INTERNAL_MESSAGE
    assert error["extensions"]["code"] == INTERNAL_ERROR and error["extensions"]["errorId"]
    assert error["path"] == ["images", 0, "rendition"]
    assert body["data"]["images"] == [{"id": str(image.pk), "rendition": None}]
    assert "image format" not in text.lower() and str(settings.MEDIA_ROOT) not in text
    logged = [record for record in caplog.records if record.exc_info]
    assert logged and "image format" in str(logged[0].exc_info[1]).lower()


@pytest.mark.parametrize("field", ["page", "image", "document"])
def test_invalid_id_is_bad_user_input_without_database_text(cities, field):
    for query, variables in (
        ('{ %s(id: "abc") { id } }' % field, None),
        ("query ($id: ID!) { %s(id: $id) { id } }" % field, {"id": "1 OR 1=1"}),
    ):
        _status, text, body = post(query, variables)
        [error] = body["errors"]
        assert error["extensions"] == {"code": BAD_USER_INPUT}
        assert error["message"] == 'The argument "id" must be a numeric id.'
        assert error["path"] == [field]
        assert body["data"] == {field: None}
        assert "expected a number" not in text and "Field 'id'" not in text
    # A well-formed id that matches nothing is no error, even beyond the range of the id column.
    for unknown in ("999999", "999999999999999999"):
        _status, _text, body = post("query ($id: ID!) { %s(id: $id) { id } }" % field, {"id": unknown})
        assert body == {"data": {field: None}}


def test_errors_our_code_raises_keep_their_message(cities):
    _status, _text, body = post('{ pages(site: "unbekannt.example") { id } }')
    assert body["errors"][0]["message"].startswith("Unknown site")
    _status, _text, body = post("{ pages(limit: 0) { id } }")
    assert body["errors"][0]["message"] == "limit must be between 1 and 100, got 0."
    kiel, _kassel = cities
    ImageFactory(collection_id=kiel.media_collection_id)
    _status, _text, body = post("{ images { rendition(width: 1234) { url } } }")
    [error] = body["errors"]
    assert error["message"].startswith('Invalid filter specs "width-1234". Allowed renditions: original, width-320')
    assert error["extensions"] == {"code": BAD_USER_INPUT}


def test_a_value_graphql_cannot_serialise_is_reported_without_the_value():
    try:
        GraphQLString.serialize({"file": "/srv/media/original_images/geheim.jpg"})
    except GraphQLError as raised:
        error = located_error(raised, None, ["page", "body", 0, "rawValue"])
    formatted = format_error(error)
    assert formatted["message"] == INTERNAL_MESSAGE
    assert formatted["extensions"]["code"] == INTERNAL_ERROR and formatted["extensions"]["errorId"]
    assert "geheim" not in json.dumps(formatted)


def test_request_nested_deeper_than_the_json_decoder_goes_is_400(cities):
    body = '{"query": "{ pages { id } }", "variables": {"v": ' + "[" * 60_000 + "]" * 60_000 + "}}"
    response = Client().post("/graphql/", data=body, content_type="application/json", HTTP_HOST=KIEL)
    assert response.status_code == 400
    assert json.loads(response.content)["errors"][0]["message"] == TOO_DEEP_MESSAGE


def test_raw_value_queries_do_not_grow_with_the_number_of_chooser_references(cities):
    # Choosers are loaded per stream and checked against the request's snapshots. (Links in rich text are expanded
    # per rich text value, by Wagtail's handlers, for `value` and `rawValue` alike.)
    kiel, _kassel = cities
    targets = [ContentPageFactory(parent=kiel, slug=f"ziel-{n}") for n in range(6)]
    images = [ImageFactory(collection_id=kiel.media_collection_id) for _ in range(6)]

    def page_with(count, slug):
        body = []
        for target, image in zip(targets[:count], images[:count], strict=True):
            body.append(("call_to_action", {"title": "T", "text": "", "link_label": "L", "page": target, "url": ""}))
            body.append(("image", {"image": image, "alt_text": "a", "caption": "", "credit": ""}))
        ContentPageFactory(parent=kiel, slug=slug, body=body)

    page_with(1, "eins")
    page_with(6, "sechs")
    query = '{ page(urlPath: "/%s/") { ... on ContentPage { body { rawValue } } } }'
    counts = {}
    for slug in ("eins", "sechs"):
        with CaptureQueriesContext(connection) as captured:
            _status, _text, body = post(query % slug)
        assert "errors" not in body
        raw = [json.loads(block["rawValue"]) for block in body["data"]["page"]["body"]]
        assert all(value for value in raw)
        counts[slug] = len(captured)
    assert counts["sechs"] == counts["eins"], counts
