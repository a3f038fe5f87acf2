"""Grapple field declarations that grapple itself lacks: typed lists and fields with arguments."""

import graphene
from django.apps import apps
from grapple.models import GraphQLField
from grapple.registry import registry


def page_type(model_label):
    """A lazy reference to the GraphQL type grapple generates for a page model, e.g. "calls.CallForIdeasPage"."""
    return lambda: registry.pages[apps.get_model(model_label)]


def django_type(model_label):
    return lambda: registry.django_models[apps.get_model(model_label)]


def settings_type(model_label):
    return lambda: registry.settings[apps.get_model(model_label)]


def GraphQLList(field_name, item_type, *, description, source=None, **arguments):
    """A non-null list of non-null items whose resolver is the model method `source(info, **arguments)`."""

    def mixin():
        field = GraphQLField(field_name, item_type, description=description, source=source or field_name)

        def wrap(field_type):
            return graphene.List(graphene.NonNull(field_type), required=True, description=description, **arguments)

        return field, wrap

    return mixin


def GraphQLTyped(field_name, field_type, *, description, required=False, source=None, **arguments):
    """A single field of any graphene type, optionally with arguments passed to the model method."""

    def mixin():
        field = GraphQLField(field_name, field_type, description=description, source=source or field_name)

        def wrap(resolved_type):
            if required:
                resolved_type = graphene.NonNull(resolved_type)
            return graphene.Field(resolved_type, description=description, **arguments)

        return field, wrap

    return mixin
