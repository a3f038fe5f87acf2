"""Grapple field declarations that grapple itself lacks: typed lists, fields with arguments, and fields that one app
contributes to another app's model (a concept adds its pages to the municipality's home page, say)."""

import graphene
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from grapple.models import GraphQLField
from grapple.registry import registry

from cms.graphql_base.pagination import paginate, pagination_arguments


def page_type(model_label):
    """A lazy reference to the GraphQL type grapple generates for a page model, e.g. "calls.CallForIdeasPage"."""
    return lambda: registry.pages[apps.get_model(model_label)]


def django_type(model_label):
    return lambda: registry.django_models[apps.get_model(model_label)]


def settings_type(model_label):
    return lambda: registry.settings[apps.get_model(model_label)]


def GraphQLList(field_name, item_type, *, description, source=None, resolver=None, **arguments):
    """A non-null list of non-null items, paginated with `limit` and `offset` (cms.graphql_base.pagination). It is
    resolved by `resolver(instance, info, **arguments)` if given, else by the model method
    `source(info, **arguments)`; either returns the whole list (or a queryset), which is sliced here."""

    def mixin():
        field = GraphQLField(field_name, item_type, description=description, source=source or field_name)

        def wrap(field_type):
            return graphene.List(
                graphene.NonNull(field_type),
                required=True,
                description=description,
                resolver=_paginated(resolver or _model_method(source or field_name)),
                **arguments,
                **pagination_arguments(),
            )

        return field, wrap

    return mixin


def _model_method(name):
    def resolve(instance, info, **arguments):
        return getattr(instance, name)(info, **arguments)

    return resolve


def _paginated(resolve):
    def resolve_page(instance, info, limit=None, offset=None, **arguments):
        return paginate(resolve(instance, info, **arguments), limit, offset)

    return resolve_page


def GraphQLTyped(field_name, field_type, *, description, required=False, source=None, resolver=None, **arguments):
    """A single field of any graphene type, optionally with arguments, resolved like `GraphQLList`."""

    def mixin():
        field = GraphQLField(field_name, field_type, description=description, source=source or field_name)

        def wrap(resolved_type):
            if required:
                resolved_type = graphene.NonNull(resolved_type)
            return graphene.Field(resolved_type, description=description, resolver=resolver, **arguments)

        return field, wrap

    return mixin


def contribute_field(model, declaration):
    """Adds a field declaration to another model's GraphQL type.

    Grapple reads `graphql_fields` in its AppConfig.ready(); contributing apps call this from their models module or
    from a ready() that runs earlier (an app listed before grapple in INSTALLED_APPS)."""
    if model in registry.pages or model in registry.django_models or model in registry.settings:
        raise ImproperlyConfigured(
            f"{model.__name__} gets a GraphQL field after grapple built its types: contribute it earlier."
        )
    if "graphql_fields" not in model.__dict__:
        model.graphql_fields = list(getattr(model, "graphql_fields", []))
    model.graphql_fields.append(declaration)
