"""What a client learns from an error: the messages our code writes for it, and nothing from inside.

GraphQL errors that this project raises on purpose (an unknown site, a page size outside the cap, a rate limit) and the
errors of the request itself (HTTP framing, syntax, validation, variables) keep their message and carry a stable
`extensions.code`. Any other exception that ends up in a response (a missing file, a database error, a value
graphql-core cannot serialise, a bug) would carry its text, file paths and all; it is logged with its traceback under a
random error id, and the client gets a generic message with `extensions.code` INTERNAL_ERROR and that `errorId`, which
an operator finds in the log.
"""

import logging
import uuid

from django.core.exceptions import ValidationError

from cms.graphql_base.errors import BAD_USER_INPUT, INTERNAL_ERROR
from cms.ids import is_database_id
from graphql import GraphQLError, GraphQLID, get_named_type

logger = logging.getLogger(__name__)


INTERNAL_MESSAGE = "Internal error. It has been logged; please try again later or contact the operator."
BAD_INPUT_MESSAGE = "Invalid argument value."
TOO_DEEP_MESSAGE = "The request is nested too deeply."

# Top-level packages of this project: a GraphQLError raised in them was written for clients.
OWN_PACKAGES = ("cms", "sites", "regions")


class RequestError(Exception):
    """An HTTP request the API refuses before GraphQL sees it: answered with `status` and one GraphQL error."""

    def __init__(self, status, message, code, headers=None, extensions=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or {}
        self.extensions = extensions or {}

    @property
    def formatted(self):
        return {"message": self.message, "extensions": {"code": self.code, **self.extensions}}


def with_default_code(errors, code):
    """`errors` (GraphQLErrors about the request) with `code` as `extensions.code` where they have none yet; codes that
    a rule set itself (QUERY_TOO_COMPLEX, say) are kept."""
    for error in errors:
        if not (error.extensions or {}).get("code"):
            error.extensions = {**(error.extensions or {}), "code": code}
    return errors


def new_error_id():
    """A random id that ties a client's error to its traceback in the log."""
    return uuid.uuid4().hex


def internal_error(exception, context):
    """Logs `exception` with its traceback under a new error id; returns the id."""
    error_id = new_error_id()
    logger.error("%s [errorId=%s]", context, error_id, exc_info=exception)
    return error_id


def _raised_in_own_code(error):
    traceback = error.__traceback__
    if traceback is None:
        return False
    while traceback.tb_next is not None:
        traceback = traceback.tb_next
    module = traceback.tb_frame.f_globals.get("__name__", "")
    return module.split(".", 1)[0] in OWN_PACKAGES


def _replaced(error, message, code, error_id=None):
    formatted = dict(error.formatted) if isinstance(error, GraphQLError) else {}
    formatted["message"] = message
    formatted["extensions"] = {"code": code} if error_id is None else {"code": code, "errorId": error_id}
    return formatted


def _with_code(formatted, code):
    extensions = formatted.get("extensions") or {}
    if not extensions.get("code"):
        formatted["extensions"] = {**extensions, "code": code}
    return formatted


def is_internal(formatted):
    return formatted.get("extensions", {}).get("code") == INTERNAL_ERROR


def format_error(error):
    """The response entry of one error; see the module docstring."""
    if isinstance(error, RequestError):
        return error.formatted
    if isinstance(error, RecursionError):
        # Raised while a request's document or variables were read: a limit of the request, not a failure.
        return _replaced(error, TOO_DEEP_MESSAGE, BAD_USER_INPUT)
    if not isinstance(error, GraphQLError):
        return _replaced(error, INTERNAL_MESSAGE, INTERNAL_ERROR, internal_error(error, "GraphQL request failed"))
    original = error.original_error
    if error.path is None:
        # Syntax, validation and variable errors, which come before any field runs: about the request as sent. Their
        # messages are graphql-core's (values shown through its bounded `inspect`); a coercion that failed with some
        # other exception (a scalar's parser) would append that exception's text, so only the request part is kept.
        cause = _innermost_cause(error)
        if cause is not None and not isinstance(cause, GraphQLError):
            logger.info("GraphQL request: invalid input: %s", error.message)
            return _replaced(error, _request_part(error.message, cause), BAD_USER_INPUT)
        return _with_code(error.formatted, BAD_USER_INPUT)
    if original is None:
        # graphql-core's own field errors (a null for a non-null field): they name schema fields only.
        return error.formatted
    if isinstance(original, GraphQLError) and _raised_in_own_code(original):
        # Our resolvers raise GraphQLError for what a client asked wrongly (an unknown site, an ambiguous slug).
        return _with_code(error.formatted, BAD_USER_INPUT)
    if isinstance(original, RecursionError):
        return _replaced(error, TOO_DEEP_MESSAGE, BAD_USER_INPUT)
    if isinstance(original, ValidationError):
        logger.info("GraphQL field %s: invalid input: %s", error.path, original)
        return _replaced(error, BAD_INPUT_MESSAGE, BAD_USER_INPUT)
    error_id = internal_error(original, f"GraphQL field {'.'.join(map(str, error.path))} failed")
    return _replaced(error, INTERNAL_MESSAGE, INTERNAL_ERROR, error_id)


def _innermost_cause(error):
    """The exception at the end of a chain of GraphQLErrors, each the `original_error` of the one before."""
    cause = error.original_error
    while isinstance(cause, GraphQLError) and cause.original_error is not None:
        cause = cause.original_error
    return cause


def _request_part(message, cause):
    """graphql-core's part of a coercion message, without the text of the exception a scalar's parser raised, which
    graphql-core appends ("Variable '$day' got invalid value 'x'; Expected type 'Date'. <text>")."""
    detail = str(cause)
    if detail and message.endswith(detail):
        message = message[: -len(detail)]
    return message.rstrip("; ").rstrip(".") + "."


class NumericIdMiddleware:
    """Every `ID` argument of this API is a database id: anything else is refused before a resolver runs, rather than
    surfacing as a database error."""

    def __init__(self):
        self._id_arguments = {}

    def resolve(self, next, root, info, **kwargs):
        if kwargs:
            for out_name, name in self._id_arguments_of(info):
                value = kwargs.get(out_name)
                values = value if isinstance(value, (list, tuple)) else [value]
                if any(item is not None and not is_database_id(item) for item in values):
                    raise GraphQLError(
                        f'The argument "{name}" must be a numeric id.', extensions={"code": BAD_USER_INPUT}
                    )
        return next(root, info, **kwargs)

    def _id_arguments_of(self, info):
        """(Python name, GraphQL name) of the field's ID arguments, looked up once per field of the schema."""
        key = (info.parent_type.name, info.field_name)
        if key not in self._id_arguments:
            arguments = info.parent_type.fields[info.field_name].args
            self._id_arguments[key] = [
                (argument.out_name or name, name)
                for name, argument in arguments.items()
                if get_named_type(argument.type) is GraphQLID
            ]
        return self._id_arguments[key]
