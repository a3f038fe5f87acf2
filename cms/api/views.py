from django.conf import settings
from django.db import transaction
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError

from cms.api.errors import TOO_DEEP_MESSAGE, NumericIdMiddleware, format_error
from cms.api.validation import database_time_budget, parse_document, validate_document
from cms.graphql_base.errors import RATE_LIMITED
from graphql import ExecutionResult, GraphQLError, OperationType, execute, get_operation_ast


class PublicGraphQLView(GraphQLView):
    """Read API for frontends and aggregators: standard validation plus a depth limit, numeric ids, and errors that
    tell clients what they did wrong but nothing about the server (cms.api.errors)."""

    def __init__(self, **kwargs):
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

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        result = self._execute(request, query, variables, operation_name, show_graphiql)
        for error in (result.errors or []) if result else []:
            extensions = getattr(error, "extensions", None) or {}
            if extensions.get("code") == RATE_LIMITED:
                request.rate_limited_retry_after = extensions.get("retryAfter", 60)
        return result

    def _execute(self, request, query, variables, operation_name, show_graphiql):
        """graphene-django's execution with this API's parsing, two-phase validation and database time budget."""
        if not query:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseBadRequest("Must provide query string."))
        schema = self.schema.graphql_schema
        try:
            document = parse_document(query)
        except GraphQLError as error:
            return ExecutionResult(errors=[error])
        operation = get_operation_ast(document, operation_name)
        if request.method.lower() == "get" and operation is not None and operation.operation != OperationType.QUERY:
            if show_graphiql:
                return None
            raise HttpError(
                HttpResponseNotAllowed(
                    ["POST"], f"Can only perform a {operation.operation.value} operation from a POST request."
                )
            )
        errors = validate_document(schema, document)
        if errors:
            return ExecutionResult(data=None, errors=errors)
        options = {
            "root_value": self.get_root_value(request),
            "context_value": self.get_context(request),
            "variable_values": variables,
            "operation_name": operation_name,
            "middleware": self.get_middleware(request),
        }
        try:
            with database_time_budget():
                if operation is not None and operation.operation == OperationType.MUTATION:
                    with transaction.atomic():
                        return execute(schema, document, **options)
                return execute(schema, document, **options)
        except Exception as error:
            return ExecutionResult(errors=[error])

    @staticmethod
    def format_error(error):
        return format_error(error)


graphql_view = csrf_exempt(PublicGraphQLView.as_view())
