"""The HTTP side of the GraphQL API: which requests it takes, and the answer to every one it does not.

A query comes as GET (parameters in the URL; a `Content-Type: application/json` header, which Apollo Client sends on
GET too, is ignored) or as POST with an `application/json` or `application/graphql` body. Anything else is refused
with a 4xx status and a JSON body in the shape of a GraphQL response, `{"errors": [{"message", "extensions":
{"code"}}]}`, before GraphQL sees it: other methods (405), other content types such as form and multipart bodies (415),
a body over GRAPHQL_MAX_BODY_BYTES (413), undecodable or too deeply nested JSON, parameters of the wrong type, batches
(400), a mutation over GET (405). API responses set no cookie and do not vary by cookie: the API knows no sessions.
"""

import json

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig, SuspiciousOperation
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView

from cms.api.errors import (
    INTERNAL_MESSAGE,
    TOO_DEEP_MESSAGE,
    NumericIdMiddleware,
    RequestError,
    format_error,
    internal_error,
    is_internal,
    with_default_code,
)
from cms.api.throttle import ClientBudget, heavy_operation_slot
from cms.api.validation import database_time_budget, parse_document, validate_document
from cms.availability import raise_for_outage
from cms.graphql_base.errors import (
    BAD_REQUEST,
    BAD_USER_INPUT,
    GRAPHQL_PARSE_FAILED,
    GRAPHQL_VALIDATION_FAILED,
    INTERNAL_ERROR,
    METHOD_NOT_ALLOWED,
    PAYLOAD_TOO_LARGE,
    RATE_LIMITED,
    UNSUPPORTED_MEDIA_TYPE,
)
from graphql import BREAK, ExecutionResult, GraphQLError, OperationType, Visitor, execute, get_operation_ast, visit

ALLOWED_METHODS = "GET, POST, OPTIONS"
BODY_CONTENT_TYPES = ("application/json", "application/graphql")
JSON_CONTENT_TYPE = "application/json"
NUL_MESSAGE = "Strings must not contain the NUL character (U+0000)."


def _bad_request(message):
    return RequestError(400, message, BAD_REQUEST)


def _decoded_json(text, invalid_message):
    try:
        return json.loads(text)
    except RecursionError as error:
        # JSON nested deeper than Python's decoder recurses.
        raise _bad_request(TOO_DEEP_MESSAGE) from error
    except ValueError as error:
        raise _bad_request(invalid_message) from error


def _contains_nul(value):
    """Whether a decoded JSON value has U+0000 in a string; iterative, as JSON may nest as deep as its decoder goes."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class _NulInStringValues(Visitor):
    found = False

    def enter_string_value(self, node, *_args):
        if "\x00" in node.value:
            self.found = True
            return BREAK
        return None


def _refuse_nul(document, variables):
    """No database stores U+0000 in text (PostgreSQL refuses it, SQLite's full-text search chokes on it) and no
    legitimate text contains it: a request that sends it, as "\\u0000" in a string, is refused as a whole."""
    finder = _NulInStringValues()
    visit(document, finder)
    if finder.found or _contains_nul(variables):
        raise RequestError(400, NUL_MESSAGE, BAD_USER_INPUT)


class PublicGraphQLView(GraphQLView):
    """Read API for frontends and aggregators: standard validation plus this API's limits, numeric ids, and errors that
    tell clients what they did wrong but nothing about the server (cms.api.errors)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("graphiql", settings.GRAPHIQL_ENABLED)
        super().__init__(**kwargs)
        if isinstance(self.middleware, list):
            # The last middleware runs first: ids are checked before anything else resolves.
            self.middleware = [*self.middleware, NumericIdMiddleware()]

    def dispatch(self, request, *args, **kwargs):
        # Not GraphQLView.dispatch: it is decorated with ensure_csrf_cookie, and the API sets no cookie.
        if request.method == "GET" and self.graphiql and self.can_display_graphiql(request, {}):
            return super().dispatch(request, *args, **kwargs)
        try:
            return self._respond(request)
        except RequestError as error:
            return self._json_response({"errors": [error.formatted]}, error.status, error.headers)
        except Exception as exception:
            # An outage of the database or the cache is answered 503 by cms.availability's middleware.
            raise_for_outage([exception])
            error_id = internal_error(exception, "GraphQL request failed")
            error = {"message": INTERNAL_MESSAGE, "extensions": {"code": INTERNAL_ERROR, "errorId": error_id}}
            return self._json_response({"errors": [error]}, 500)

    def _respond(self, request):
        if request.method == "OPTIONS":
            # A plain OPTIONS; django-cors-headers answers CORS preflights before they reach the view.
            return HttpResponse(status=204, headers={"Allow": ALLOWED_METHODS})
        if request.method not in ("GET", "POST"):
            raise RequestError(
                405, "GraphQL only supports GET and POST requests.", METHOD_NOT_ALLOWED, {"Allow": ALLOWED_METHODS}
            )
        budget = ClientBudget(request)
        budget.refuse_if_spent()
        params = self._url_parameters(request) if request.method == "GET" else self._body_parameters(request)
        query, variables, operation_name = self._checked_parameters(params)
        result = self._execute(request, budget, query, variables, operation_name)
        raise_for_outage(result.errors)
        return self._result_response(result)

    @staticmethod
    def _url_parameters(request):
        if len(request.META.get("QUERY_STRING", "")) > settings.GRAPHQL_MAX_BODY_BYTES:
            raise RequestError(
                414, f"The query string is larger than {settings.GRAPHQL_MAX_BODY_BYTES} bytes.", PAYLOAD_TOO_LARGE
            )
        try:
            parameters = request.GET
        except SuspiciousOperation as error:
            # More parameters than DATA_UPLOAD_MAX_NUMBER_FIELDS.
            raise _bad_request("The query string has too many parameters.") from error
        return {name: parameters.get(name) for name in ("query", "variables", "operationName")}

    @staticmethod
    def _body_parameters(request):
        content_type = GraphQLView.get_content_type(request)
        if content_type not in BODY_CONTENT_TYPES:
            # Form and multipart bodies included: any web page could send those from a visitor's browser.
            raise RequestError(
                415,
                "Send the request as application/json (or a query as application/graphql), or as GET.",
                UNSUPPORTED_MEDIA_TYPE,
                {"Accept-Post": ", ".join(BODY_CONTENT_TYPES)},
            )
        try:
            text = PublicGraphQLView._body(request).decode("utf-8")
        except UnicodeDecodeError as error:
            raise _bad_request("The request body is not valid UTF-8.") from error
        if content_type == "application/graphql":
            return {"query": text}
        data = _decoded_json(text, "POST body sent invalid JSON.")
        if isinstance(data, list):
            raise _bad_request("Batched requests are not supported; send one operation per request.")
        if not isinstance(data, dict):
            raise _bad_request("The request body must be a JSON object with a query.")
        return data

    @staticmethod
    def _body(request):
        limit = settings.GRAPHQL_MAX_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError as error:
            raise _bad_request("The Content-Length header is not a number.") from error
        too_large = RequestError(413, f"The request body is larger than {limit} bytes.", PAYLOAD_TOO_LARGE)
        if length < 0:
            raise _bad_request("The Content-Length header is not a number.")
        if length > limit:
            raise too_large
        try:
            body = request.body
        except RequestDataTooBig as error:
            raise too_large from error
        if len(body) > limit:
            raise too_large
        return body

    @staticmethod
    def _checked_parameters(params):
        query = params.get("query")
        if query is None or query == "":
            raise _bad_request("Must provide query string.")
        if not isinstance(query, str):
            raise _bad_request("query must be a string.")
        variables = params.get("variables")
        if isinstance(variables, str):
            # GET sends variables as JSON text; some clients do so in a JSON body, too.
            variables = _decoded_json(variables, "Variables are invalid JSON.") if variables.strip() else None
        if variables is not None and not isinstance(variables, dict):
            raise _bad_request("variables must be a JSON object.")
        operation_name = params.get("operationName")
        if operation_name in ("", "null"):
            operation_name = None
        if operation_name is not None and not isinstance(operation_name, str):
            raise _bad_request("operationName must be a string.")
        return query, variables, operation_name

    def _execute(self, request, budget, query, variables, operation_name):
        """Parsing, validation, the client's budget, and execution within the database time budget (in a slot for
        heavy operations if it is one)."""
        schema = self.schema.graphql_schema
        try:
            document = parse_document(query)
        except GraphQLError as error:
            return ExecutionResult(errors=with_default_code([error], GRAPHQL_PARSE_FAILED))
        except RecursionError as error:
            raise RequestError(400, TOO_DEEP_MESSAGE, GRAPHQL_PARSE_FAILED) from error
        _refuse_nul(document, variables)
        operation = get_operation_ast(document, operation_name)
        if request.method == "GET" and operation is not None and operation.operation != OperationType.QUERY:
            raise RequestError(
                405,
                f"Can only perform a {operation.operation.value} operation from a POST request.",
                METHOD_NOT_ALLOWED,
                {"Allow": "POST"},
            )
        try:
            validation = validate_document(schema, document, variables=variables, operation_name=operation_name)
        except RecursionError as error:
            raise RequestError(400, TOO_DEEP_MESSAGE, GRAPHQL_VALIDATION_FAILED) from error
        if validation.errors:
            return ExecutionResult(data=None, errors=with_default_code(validation.errors, GRAPHQL_VALIDATION_FAILED))
        budget.charge(validation.cost)
        options = {
            "root_value": self.get_root_value(request),
            "context_value": self.get_context(request),
            "variable_values": variables,
            "operation_name": operation_name,
            "middleware": self.get_middleware(request),
        }
        # A RequestError of the slot (SERVER_BUSY) is answered as such, outside the execution's error handling.
        with heavy_operation_slot(validation.cost):
            try:
                with database_time_budget():
                    if operation is not None and operation.operation == OperationType.MUTATION:
                        with transaction.atomic():
                            result = execute(schema, document, **options)
                            if result.errors:
                                # A mutation that failed anywhere leaves nothing half-written.
                                transaction.set_rollback(True)
                            return result
                    return execute(schema, document, **options)
            except Exception as error:
                return ExecutionResult(errors=[error])

    def _result_response(self, result):
        errors = result.errors or []
        formatted = [self.format_error(error) for error in errors]
        body = {"errors": formatted} if formatted else {}
        # Errors without a path stopped the request before any field ran: nothing to answer with `data`.
        before_execution = [entry for error, entry in zip(errors, formatted, strict=True) if not _path_of(error)]
        if before_execution:
            status = 500 if any(is_internal(entry) for entry in before_execution) else 400
        else:
            body["data"] = result.data
            status = 200
        headers = {}
        for entry in formatted:
            extensions = entry.get("extensions") or {}
            if extensions.get("code") == RATE_LIMITED:
                # A flood is refused as HTTP 429, so that clients and proxies back off without parsing the body.
                status = 429
                headers["Retry-After"] = str(extensions.get("retryAfter", 60))
        return self._json_response(body, status, headers)

    @staticmethod
    def _json_response(body, status, headers=None):
        return HttpResponse(
            json.dumps(body, separators=(",", ":")), status=status, content_type=JSON_CONTENT_TYPE, headers=headers
        )

    @staticmethod
    def format_error(error):
        return format_error(error)


def _path_of(error):
    return getattr(error, "path", None)


graphql_view = csrf_exempt(PublicGraphQLView.as_view())


def bad_request(request, exception):
    """Django's answer to a request it refuses before any view runs (a Host header outside ALLOWED_HOSTS, say): on the
    API a JSON error like the view's own, elsewhere Django's page."""
    if not request.path.startswith(reverse("graphql")):
        return defaults.bad_request(request, exception)
    if isinstance(exception, DisallowedHost):
        message = "This host name is not served here."
    else:
        message = "The request cannot be read."
    return PublicGraphQLView._json_response({"errors": [RequestError(400, message, BAD_REQUEST).formatted]}, 400)
