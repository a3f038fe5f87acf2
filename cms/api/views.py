from django.conf import settings
from django.http import HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from graphene.validation import depth_limit_validator
from graphene_django.views import GraphQLView, HttpError

from cms.api.errors import TOO_DEEP_MESSAGE, NumericIdMiddleware, format_error
from cms.graphql_base.errors import RATE_LIMITED
from graphql import specified_rules


class PublicGraphQLView(GraphQLView):
    """Read API for frontends and aggregators: standard validation plus a depth limit, numeric ids, and errors that
    tell clients what they did wrong but nothing about the server (cms.api.errors)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "validation_rules",
            # Passing validation_rules replaces graphql-core's defaults, so they are listed explicitly.
            (*specified_rules, depth_limit_validator(max_depth=settings.GRAPHQL_MAX_DEPTH)),
        )
        kwargs.setdefault("graphiql", settings.GRAPHIQL_ENABLED)
        super().__init__(**kwargs)
        if isinstance(self.middleware, list):
            # The last middleware runs first: ids are checked before anything else resolves.
            self.middleware = [*self.middleware, NumericIdMiddleware()]

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        retry_after = getattr(request, "rate_limited_retry_after", None)
        if retry_after is not None:
            # A flood is refused as HTTP 429, so that clients and proxies back off without parsing the body.
            response.status_code = 429
            response["Retry-After"] = str(retry_after)
        return response

    def parse_body(self, request):
        try:
            return super().parse_body(request)
        except RecursionError as error:
            # JSON nested deeper than Python's decoder recurses; otherwise a server error page.
            raise HttpError(HttpResponseBadRequest(TOO_DEEP_MESSAGE)) from error

    def execute_graphql_request(self, request, *args, **kwargs):
        result = super().execute_graphql_request(request, *args, **kwargs)
        for error in (result.errors or []) if result else []:
            extensions = getattr(error, "extensions", None) or {}
            if extensions.get("code") == RATE_LIMITED:
                request.rate_limited_retry_after = extensions.get("retryAfter", 60)
        return result

    @staticmethod
    def format_error(error):
        return format_error(error)


graphql_view = csrf_exempt(PublicGraphQLView.as_view())
