"""Grapple builds its types on graphene-django, which adds every Django model field it can convert
(owner, locked_by, draft_title, file_hash, ...). The public schema shows only what a type declares
in `graphql_fields` or inherits from an interface; everything else is removed before the schema is built."""

from grapple.registry import registry
from grapple.types.documents import DocumentObjectType
from grapple.types.images import ImageObjectType, ImageRenditionObjectType
from wagtail.models import Page

IMAGE_FIELDS = {
    "id",
    "title",
    "url",
    "width",
    "height",
    "aspect_ratio",
    "focal_point_x",
    "focal_point_y",
    "focal_point_width",
    "focal_point_height",
    "rendition",
    "src_set",
    "is_svg",
    "default_alt_text",
    "credit",
    "collection_id",
}
RENDITION_FIELDS = {"id", "url", "width", "height", "filter_spec", "alt"}
DOCUMENT_FIELDS = {"id", "title", "url", "file_size", "created_at"}


def declared_field_names(model):
    names = set()
    for declaration in getattr(model, "graphql_fields", []):
        field = declaration() if callable(declaration) else declaration
        if isinstance(field, tuple):
            field = field[0]
            field = field() if callable(field) else field
        names.add(field.field_name)
    return names


def interface_field_names(graphene_type):
    names = set()
    for interface in graphene_type._meta.interfaces:
        names.update(interface._meta.fields)
    return names


def _keep_only(graphene_type, allowed):
    for name in list(graphene_type._meta.fields):
        if name not in allowed:
            del graphene_type._meta.fields[name]


def prune_generated_types():
    for model, graphene_type in registry.pages.items():
        allowed = interface_field_names(graphene_type)
        if isinstance(model, type) and issubclass(model, Page):
            allowed |= declared_field_names(model)
        _keep_only(graphene_type, allowed)
        for interface in graphene_type._meta.interfaces:
            # grapple declares `id` as nullable on every generated type; the interface promises ID!.
            if "id" in interface._meta.fields:
                graphene_type._meta.fields["id"] = interface._meta.fields["id"]
    for model, graphene_type in [*registry.django_models.items(), *registry.settings.items()]:
        _keep_only(graphene_type, declared_field_names(model) | {"id"})
    for graphene_type in registry.images.values():
        is_rendition = "filter_spec" in graphene_type._meta.fields
        _keep_only(graphene_type, RENDITION_FIELDS if is_rendition else IMAGE_FIELDS)
    for graphene_type in [*registry.documents.values(), DocumentObjectType]:
        _keep_only(graphene_type, DOCUMENT_FIELDS)
    _keep_only(ImageObjectType, IMAGE_FIELDS)
    _keep_only(ImageRenditionObjectType, RENDITION_FIELDS)
