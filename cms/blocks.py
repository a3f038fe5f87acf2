"""StreamField blocks shared by every page type. Each block tells editors what it is for."""

from django.core.exceptions import ValidationError
from grapple.helpers import register_streamfield_block
from grapple.models import (
    GraphQLDocument,
    GraphQLEmbed,
    GraphQLFloat,
    GraphQLImage,
    GraphQLPage,
    GraphQLRichText,
    GraphQLStreamfield,
    GraphQLString,
)
from grapple.types.streamfield import StructBlockItem
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "h3", "h4", "ol", "ul", "link", "document-link"]


@register_streamfield_block
class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Text", max_length=200)
    level = blocks.ChoiceBlock(
        label="Ebene",
        choices=[("h2", "Überschrift 2"), ("h3", "Überschrift 3"), ("h4", "Überschrift 4")],
        default="h2",
    )

    graphql_fields = [GraphQLString("text", required=True), GraphQLString("level", required=True)]

    class Meta:
        icon = "title"
        label = "Überschrift"
        description = "Zwischenüberschrift, die den Text gliedert."


@register_streamfield_block
class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="Bild")
    alt_text = blocks.CharBlock(
        label="Alternativtext",
        max_length=255,
        help_text="Pflicht: beschreibt das Bild für Screenreader.",
    )
    caption = blocks.CharBlock(label="Bildunterschrift", required=False, max_length=255)
    credit = blocks.CharBlock(label="Bildnachweis", required=False, max_length=255)

    graphql_fields = [
        GraphQLImage("image"),
        GraphQLString("alt_text", required=True),
        GraphQLString("caption"),
        GraphQLString("credit"),
    ]

    class Meta:
        icon = "image"
        label = "Bild"
        description = "Ein Bild mit Alternativtext, Bildunterschrift und Bildnachweis."


@register_streamfield_block
class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label="Zitat")
    attribution = blocks.CharBlock(label="Quelle", required=False, max_length=255)

    graphql_fields = [GraphQLString("quote", required=True), GraphQLString("attribution")]

    class Meta:
        icon = "openquote"
        label = "Zitat"
        description = "Ein hervorgehobenes Zitat mit Quelle."


@register_streamfield_block
class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Titel", max_length=120)
    text = blocks.TextBlock(label="Text", required=False)
    link_label = blocks.CharBlock(label="Linktext", max_length=60)
    page = blocks.PageChooserBlock(label="Interne Seite", required=False)
    url = blocks.URLBlock(label="Externe Adresse", required=False)

    graphql_fields = [
        GraphQLString("title", required=True),
        GraphQLString("text"),
        GraphQLString("link_label", required=True),
        GraphQLPage("page"),
        GraphQLString("url"),
    ]

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = "Bitte genau ein Ziel angeben: eine interne Seite oder eine externe Adresse."
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(message), "url": ValidationError(message)}
            )
        return value

    class Meta:
        icon = "link"
        label = "Handlungsaufruf"
        description = "Ein auffälliger Kasten, der zu einer Seite oder Adresse führt, z. B. „Jetzt Idee einreichen“."


@register_streamfield_block
class KeyFigureBlock(blocks.StructBlock):
    value = blocks.DecimalBlock(label="Zahl", decimal_places=2)
    unit = blocks.CharBlock(label="Einheit", required=False, max_length=30, help_text="z. B. „Mio. €“ oder „Jahre“")
    caption = blocks.CharBlock(label="Beschriftung", max_length=120)

    graphql_fields = [
        GraphQLFloat("value", required=True),
        GraphQLString("unit"),
        GraphQLString("caption", required=True),
    ]

    class Meta:
        icon = "pick"
        label = "Kennzahl"
        description = "Eine Zahl mit Einheit und Beschriftung, z. B. „11 Mio. € Fördermittel“."


@register_streamfield_block
class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Dokument")
    title = blocks.CharBlock(label="Titel", required=False, max_length=255)

    graphql_fields = [GraphQLDocument("document"), GraphQLString("title")]

    class Meta:
        icon = "doc-full"
        label = "Dokument zum Herunterladen"
        description = "Ein Dokument (z. B. PDF) zum Herunterladen."


@register_streamfield_block
class VideoEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(label="Adresse des Inhalts")
    caption = blocks.CharBlock(label="Beschreibung", required=False, max_length=255)

    graphql_fields = [GraphQLEmbed("embed"), GraphQLString("caption")]

    class Meta:
        icon = "media"
        label = "Eingebetteter Inhalt"
        description = "Ein Video oder eine Karte von einem externen Dienst (z. B. YouTube, PeerTube)."


@register_streamfield_block
class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label="Frage", max_length=255)
    answer = blocks.RichTextBlock(label="Antwort", features=RICH_TEXT_FEATURES)

    graphql_fields = [GraphQLString("question", required=True), GraphQLRichText("answer", required=True)]

    class Meta:
        icon = "help"
        label = "Frage und Antwort"
        description = "Eine Frage mit ihrer Antwort."


@register_streamfield_block
class FaqBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Titel", required=False, max_length=120)
    items = blocks.ListBlock(FaqItemBlock(), label="Fragen")

    graphql_fields = [GraphQLString("title"), GraphQLStreamfield("items", required=True, source="item_blocks")]

    def item_blocks(self, info, values, **kwargs):
        """The questions as blocks with their ids: grapple hands on a list's raw struct values, which have none."""
        item_block = self.child_blocks["items"].child_block
        return [StructBlockItem(item.id, item_block, item.value) for item in values["items"].bound_blocks]

    class Meta:
        icon = "list-ul"
        label = "Häufige Fragen"
        description = "Ein aufklappbares Akkordeon mit Fragen und Antworten."


class ContentStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label="Text",
        features=RICH_TEXT_FEATURES,
        description="Fließtext mit einfachen Auszeichnungen und Links.",
        icon="pilcrow",
    )
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    key_figure = KeyFigureBlock()
    document = DocumentBlock()
    embed = VideoEmbedBlock()
    faq = FaqBlock()
