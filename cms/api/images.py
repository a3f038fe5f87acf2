"""Renditions for the API: an image whose file is missing on disk has no rendition (null) instead of an error that
names the storage path, and a rendition outside the allow list is a client error that says which ones exist."""

import logging

from grapple.registry import registry
from grapple.settings import grapple_settings
from grapple.types.images import ImageObjectType, rendition_allowed
from wagtail.images.models import SourceImageIOError

from cms.graphql_base.errors import BAD_USER_INPUT
from graphql import GraphQLError

logger = logging.getLogger(__name__)


def _missing_file(image):
    logger.warning("Image %s: its file %r cannot be opened; the API leaves renditions out.", image.pk, image.file.name)


def resolve_rendition(image, info, **kwargs):
    spec = "|".join(f"{key}-{value}" for key, value in kwargs.items() if key != "preserve_svg")
    if not rendition_allowed(spec):
        allowed = ", ".join(grapple_settings.ALLOWED_IMAGE_FILTERS or ())
        raise GraphQLError(
            f'Invalid filter specs "{spec}". Allowed renditions: {allowed}.', extensions={"code": BAD_USER_INPUT}
        )
    try:
        return ImageObjectType.resolve_rendition(image, info, **kwargs)
    except SourceImageIOError:
        _missing_file(image)
        return None


def resolve_src_set(image, info, sizes=None, **kwargs):
    if not sizes:
        raise GraphQLError("srcSet needs sizes, e.g. srcSet(sizes: [320, 640]).", extensions={"code": BAD_USER_INPUT})
    try:
        return ImageObjectType.resolve_src_set(image, info, sizes, **kwargs)
    except SourceImageIOError:
        _missing_file(image)
        return None


def install_rendition_fallbacks():
    for graphene_type in {ImageObjectType, *registry.images.values()}:
        fields = graphene_type._meta.fields
        if "rendition" in fields:
            fields["rendition"].resolver = resolve_rendition
        if "src_set" in fields:
            fields["src_set"].resolver = resolve_src_set
