"""Page sizes of the GraphQL API's lists, in one place: every list a client can make long takes `limit` (default
GRAPHQL_DEFAULT_PAGE_SIZE, at most GRAPHQL_MAX_PAGE_SIZE) and `offset`. The cost rule (cms/api/cost.py) reads the
same limits to price a query before it runs, and refuses a limit outside the range before anything resolves; the
check here is the same rule for whoever calls a resolver directly."""

import graphene
from django.conf import settings

from cms.graphql_base.errors import BAD_USER_INPUT
from graphql import GraphQLError

LIMIT_ARGUMENT = "limit"


def pagination_arguments():
    return {
        LIMIT_ARGUMENT: graphene.Int(
            description=f"Number of items, 1 to {settings.GRAPHQL_MAX_PAGE_SIZE}; "
            f"{settings.GRAPHQL_DEFAULT_PAGE_SIZE} if omitted."
        ),
        "offset": graphene.Int(description="Number of items to skip."),
    }


def limit_error(limit):
    """The message for a `limit` outside the allowed range, or None for a valid one (None means the default)."""
    if limit is None or 1 <= limit <= settings.GRAPHQL_MAX_PAGE_SIZE:
        return None
    return f"limit must be between 1 and {settings.GRAPHQL_MAX_PAGE_SIZE}, got {limit}."


def effective_limit(limit):
    """The number of items a list with this `limit` argument returns at most."""
    return settings.GRAPHQL_DEFAULT_PAGE_SIZE if limit is None else limit


def paginate(items, limit=None, offset=None):
    """Slices a queryset or list; a limit above the cap is an error rather than a silent truncation."""
    message = limit_error(limit)
    if message:
        raise GraphQLError(message, extensions={"code": BAD_USER_INPUT})
    offset = offset or 0
    if offset < 0:
        raise GraphQLError(f"offset must not be negative, got {offset}.", extensions={"code": BAD_USER_INPUT})
    return items[offset : offset + effective_limit(limit)]
