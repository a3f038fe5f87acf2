"""`rawValue` of every StreamField block: the block's value as JSON text, in the shape of Wagtail's own API
representation, and with nothing in it that the typed fields would not show.

Grapple returns struct values as Python dicts (which the String type cannot serialise) and rich text as its database
source. Here a struct is a JSON object of its children, a list a JSON array, a stream an array of
{"type", "value", "id"}, rich text the public HTML (links expanded by cms.api.rich_text, so a hidden or foreign target
loses its link), an embed its URL, a decimal a number, a date or time ISO 8601. A chooser (page, image, document,
snippet) is the id of the object it references if that object may go out with the page the block is on: the
publication rule and the same municipality (sites.public.may_go_out), as for the typed fields; otherwise null.
"""

import json
import logging
import math
from datetime import date, datetime, time
from decimal import Decimal

from grapple.registry import registry
from grapple.types.interfaces import StreamFieldInterface
from grapple.types.streamfield import EmbedBlock as GrappleEmbedBlock
from grapple.types.streamfield import StructBlockItem
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock, EmbedValue
from wagtail.images.blocks import ImageBlock
from wagtail.rich_text import RichText

from cms.api.middleware import owner_above
from cms.api.rich_text import rendering_context
from cms.publication import publication_for
from sites.ownership import owners_for
from sites.public import may_go_out

logger = logging.getLogger(__name__)

_JSON_PRIMITIVES = (str, int, float, bool, type(None))


class PublicBlockValues:
    """Turns block values into JSON data, for blocks on a page of municipality `owner` (None: no municipality's)."""

    def __init__(self, request, owner):
        self.request = request
        self.owner = owner
        self.publication = publication_for(request)
        self.owners = owners_for(request)

    def represent(self, block, value):
        if value is None:
            return None
        # Subclasses before their bases: an ImageBlock is a StructBlock, choosers, rich text and embeds field blocks.
        if isinstance(block, ImageBlock):
            return self._image_block(block, value)
        if isinstance(block, blocks.StructBlock):
            return {name: self.represent(child, value.get(name)) for name, child in block.child_blocks.items()}
        if isinstance(block, blocks.ListBlock):
            return [self.represent(block.child_block, item) for item in value]
        if isinstance(block, blocks.StreamBlock):
            return [
                {"type": child.block_type, "value": self.represent(child.block, child.value), "id": child.id}
                for child in value
            ]
        if isinstance(block, blocks.ChooserBlock):
            return self.reference(block, value)
        if isinstance(block, blocks.RichTextBlock):
            return self.rich_text(value)
        if isinstance(block, EmbedBlock):
            return value.url if isinstance(value, EmbedValue) else plain(value)
        if isinstance(block, blocks.StaticBlock):
            return None
        return plain(block.get_prep_value(value))

    def reference(self, block, target):
        if not hasattr(target, "pk"):
            # A bare id, as grapple sometimes passes on; resolved like the typed field does.
            target = block.to_python(target)
        if target is None:
            return None
        return target.pk if may_go_out(target, self.owner, self.publication, self.owners) else None

    def rich_text(self, value):
        source = value.source if isinstance(value, RichText) else str(value)
        # The public link handlers check each target against the page this block is on.
        token = rendering_context.set((self.request, lambda: self.owner))
        try:
            return RichText(source).__html__()
        finally:
            rendering_context.reset(token)

    def _image_block(self, block, image):
        """Wagtail's ImageBlock holds the image itself, with the block's alt text and decorative flag on it."""
        return {
            "image": self.reference(block.child_blocks["image"], image),
            "alt_text": getattr(image, "contextual_alt_text", None),
            "decorative": getattr(image, "decorative", None),
        }


def plain(value):
    """JSON data for a field block's stored value; anything that is not plain data is left out, not stringified."""
    if isinstance(value, (float, Decimal)):
        # JSON has no NaN or infinity.
        return float(value) if math.isfinite(value) else None
    if isinstance(value, _JSON_PRIMITIVES):
        return value
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    logger.warning("rawValue: a block value of type %s is left out.", type(value).__name__)
    return None


def _block_and_value(root):
    """The block and its value from what grapple hands to a block type: a stream child or grapple's item (both with
    `block` and `value`), a StructValue (a struct inside a list, via GraphQLStreamfield) or an EmbedValue."""
    if isinstance(root, blocks.StructValue):
        return root.block, root
    if isinstance(root, EmbedValue):
        return EmbedBlock(), root
    block = getattr(root, "block", None)
    if isinstance(block, blocks.Block):
        return block, root.value
    return None, root


def resolve_raw_value(root, info, **kwargs):
    block, value = _block_and_value(root)
    values = PublicBlockValues(info.context, owner_above(info))
    data = values.represent(block, value) if block is not None else plain(value)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _embed_url(root, info, **kwargs):
    """An embed's `value`: its URL (grapple's resolver fails for an embed inside a struct block)."""
    _block, value = _block_and_value(root)
    return value.url if isinstance(value, EmbedValue) else None


def _as_block_item(resolver, name):
    """A struct block's embed child resolves to a bare EmbedValue, on which grapple's `id`, `blockType` and `field`
    fail; it is handed on as a block item, like every other child."""

    def resolve(root, info, **kwargs):
        value = resolver(root, info, **kwargs)
        if isinstance(value, EmbedValue) and isinstance(getattr(root, "block", None), blocks.StructBlock):
            return StructBlockItem(None, root.block.child_blocks[name], value)
        return value

    return resolve


def _named(field_type):
    while hasattr(field_type, "of_type"):
        field_type = field_type.of_type
    return field_type


def install_block_resolvers():
    """Makes every block type resolve `rawValue` here (the declared type, String!, stays; its content is JSON) and
    gives embeds inside struct blocks working fields."""
    block_types = [StreamFieldInterface, *registry.streamfield_blocks.values()]
    for graphene_type in block_types:
        fields = graphene_type._meta.fields
        if "raw_value" in fields:
            fields["raw_value"].resolver = resolve_raw_value
        for name, field in fields.items():
            resolver = getattr(graphene_type, f"resolve_{name}", None)
            if _named(field.type) is GrappleEmbedBlock and resolver is not None and field.resolver is None:
                field.resolver = _as_block_item(resolver, name)
    GrappleEmbedBlock._meta.fields["value"].resolver = _embed_url
