import graphene
from django.conf import settings

from graphql import GraphQLError


def pagination_arguments():
    return {
        "limit": graphene.Int(description=f"Number of items, 1 to {settings.GRAPHQL_MAX_PAGE_SIZE}."),
        "offset": graphene.Int(description="Number of items to skip."),
    }


def paginate(items, limit=None, offset=None):
    """Slices a queryset or list; a limit above the cap is an error rather than a silent truncation."""
    limit = settings.GRAPHQL_DEFAULT_PAGE_SIZE if limit is None else limit
    offset = offset or 0
    if limit < 1 or limit > settings.GRAPHQL_MAX_PAGE_SIZE:
        raise GraphQLError(f"limit must be between 1 and {settings.GRAPHQL_MAX_PAGE_SIZE}, got {limit}.")
    if offset < 0:
        raise GraphQLError(f"offset must not be negative, got {offset}.")
    return items[offset : offset + limit]
