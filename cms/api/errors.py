"""What a client learns from an error: the messages our code writes for it, and nothing from inside.

GraphQL errors that this project raises on purpose (an unknown site, a page size outside the cap, a rate limit) and the
errors of the request itself (syntax, validation, variables) keep their message. Any other exception that ends up in a
response (a missing file, a database error, a value graphql-core cannot serialise, a bug) would carry its text, file
paths and all; it is logged with its traceback and the client gets a generic message with `extensions.code`.
"""

import logging
import re

from django.core.exceptions import ValidationError
from graphene_django.views import HttpError

from cms.graphql_base.errors import BAD_USER_INPUT, INTERNAL_ERROR
from graphql import GraphQLError, GraphQLID, get_named_type

logger = logging.getLogger(__name__)


INTERNAL_MESSAGE = "Internal error. It has been logged; please try again later or contact the operator."
BAD_INPUT_MESSAGE = "Invalid argument value."
TOO_DEEP_MESSAGE = "The request is nested too deeply."

# Top-level packages of this project: a GraphQLError raised in them was written for clients.
OWN_PACKAGES = ("cms", "sites", "regions")

_NUMERIC_ID = re.compile(r"\d{1,18}")


def _raised_in_own_code(error):
    traceback = error.__traceback__
    if traceback is None:
        return False
    while traceback.tb_next is not None:
        traceback = traceback.tb_next
    module = traceback.tb_frame.f_globals.get("__name__", "")
    return module.split(".", 1)[0] in OWN_PACKAGES


def _replaced(error, message, code):
    formatted = dict(error.formatted) if isinstance(error, GraphQLError) else {}
    formatted["message"] = message
    formatted["extensions"] = {"code": code}
    return formatted


def format_error(error):
    """The response entry of one error; see the module docstring."""
    if isinstance(error, HttpError):
        # graphene-django's own answers to a malformed request ("Must provide query string.").
        return {"message": str(error)}
    if isinstance(error, RecursionError):
        # Raised before execution, while a request's JSON or variables were read.
        return _replaced(error, TOO_DEEP_MESSAGE, BAD_USER_INPUT)
    if not isinstance(error, GraphQLError):
        logger.error("GraphQL request failed", exc_info=error)
        return _replaced(error, INTERNAL_MESSAGE, INTERNAL_ERROR)
    original = error.original_error
    if error.path is None or original is None:
        # Syntax, validation and variable errors, which come before any field runs: about the request as sent.
        return error.formatted
    if isinstance(original, GraphQLError) and _raised_in_own_code(original):
        return error.formatted
    if isinstance(original, ValidationError):
        logger.info("GraphQL field %s: invalid input: %s", error.path, original)
        return _replaced(error, BAD_INPUT_MESSAGE, BAD_USER_INPUT)
    logger.error("GraphQL field %s failed", error.path, exc_info=original)
    return _replaced(error, INTERNAL_MESSAGE, INTERNAL_ERROR)


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
                if any(item is not None and not _NUMERIC_ID.fullmatch(str(item)) for item in values):
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
