from django.conf import settings
from django.views.decorators.csrf import csrf_exempt
from graphene.validation import depth_limit_validator
from graphene_django.views import GraphQLView

from graphql import specified_rules


class PublicGraphQLView(GraphQLView):
    """Read API for frontends and aggregators: standard validation plus a depth limit."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "validation_rules",
            # Passing validation_rules replaces graphql-core's defaults, so they are listed explicitly.
            (*specified_rules, depth_limit_validator(max_depth=settings.GRAPHQL_MAX_DEPTH)),
        )
        kwargs.setdefault("graphiql", settings.GRAPHIQL_ENABLED)
        super().__init__(**kwargs)


graphql_view = csrf_exempt(PublicGraphQLView.as_view())
