from django.conf import settings
from django.views.decorators.csrf import csrf_exempt
from graphene.validation import depth_limit_validator
from graphene_django.views import GraphQLView

from graphql import specified_rules
from regions.ideas.api import RATE_LIMITED


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

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        retry_after = getattr(request, "rate_limited_retry_after", None)
        if retry_after is not None:
            # A flood is refused as HTTP 429, so that clients and proxies back off without parsing the body.
            response.status_code = 429
            response["Retry-After"] = str(retry_after)
        return response

    def execute_graphql_request(self, request, *args, **kwargs):
        result = super().execute_graphql_request(request, *args, **kwargs)
        for error in (result.errors or []) if result else []:
            extensions = getattr(error, "extensions", None) or {}
            if extensions.get("code") == RATE_LIMITED:
                request.rate_limited_retry_after = extensions.get("retryAfter", 60)
        return result


graphql_view = csrf_exempt(PublicGraphQLView.as_view())
