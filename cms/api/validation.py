"""What a GraphQL document must pass before it runs: a length and token budget for parsing, the depth and cost limits
of this API (cms/api/cost.py), graphql-core's own rules, and a time budget for the database work of its execution.
docs/api-limits.md describes the limits for client developers."""

import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from graphql.validation.validate import ValidationAbortedError

from cms.api.cost import cost_errors, operation_costs
from cms.graphql_base.errors import QUERY_TIMEOUT, QUERY_TOO_COMPLEX
from graphql import GraphQLError, OverlappingFieldsCanBeMergedRule, parse, specified_rules, validate

# Each error is located in the document, which takes time; a client needs the first few.
MAX_VALIDATION_ERRORS = 20
ABORTED_MESSAGE = (
    "The document is too complex to validate (too many fields of the same name or fragments nested too deeply). "
    "Validation aborted."
)
TIMEOUT_MESSAGE = "The query took too long in the database and was cancelled. Ask for fewer items or try again later."
# PostgreSQL's SQLSTATE of a statement cancelled by statement_timeout.
QUERY_CANCELED = "57014"
# SQLite's result code of a statement interrupted by the progress handler.
SQLITE_INTERRUPT = 9
# How many SQLite virtual machine steps run between two looks at the clock (a few hundred microseconds).
SQLITE_PROGRESS_STEPS = 10_000
SAVEPOINT_STATEMENTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


class BoundedOverlappingFieldsRule(OverlappingFieldsCanBeMergedRule):
    """graphql-core's check that fields of the same response name can be merged compares them in pairs; its own
    budget for that work (500,000 steps) takes seconds. This API's budget is GRAPHQL_MAX_FIELD_COMPARISONS."""

    def __init__(self, context):
        super().__init__(context)
        self.rule_context.remaining_complexity_budget = settings.GRAPHQL_MAX_FIELD_COMPARISONS


SPECIFIED_RULES = tuple(
    BoundedOverlappingFieldsRule if rule is OverlappingFieldsCanBeMergedRule else rule for rule in specified_rules
)


def parse_document(query):
    """The parsed document; raises GraphQLError on a syntax error or a document over the length or token budget."""
    if len(query) > settings.GRAPHQL_MAX_QUERY_LENGTH:
        raise GraphQLError(
            f"The document is {len(query)} characters long, more than the {settings.GRAPHQL_MAX_QUERY_LENGTH} "
            "this API parses.",
            extensions={
                "code": QUERY_TOO_COMPLEX,
                "length": len(query),
                "maxLength": settings.GRAPHQL_MAX_QUERY_LENGTH,
            },
        )
    return parse(query, max_tokens=settings.GRAPHQL_MAX_TOKENS)


@dataclass(frozen=True)
class Validation:
    """A document's validation errors (none: it may run), and the cost of the operations it would run."""

    errors: list
    cost: int


def validate_document(schema, document, variables=None, operation_name=None):
    """Validates `document`. The depth and cost limits of this API (with the variable values the operation runs with)
    come first: their walk is linear in the document and safe on any document (cms/api/cost.py), and an operation over
    budget is refused without the work of graphql-core's rules, which take several times as long on a document of
    many aliases. graphql-core's specified rules come next; a `limit` outside its range is reported only for a document
    that passed them, so that a client sees what is wrong with its document first."""
    costs = operation_costs(schema, document, variables, operation_name)
    cost = sum(measured.cost for measured in costs)
    limit_errors = cost_errors(costs)
    too_complex = [error for error in limit_errors if (error.extensions or {}).get("code") == QUERY_TOO_COMPLEX]
    if too_complex:
        return Validation(too_complex, cost)
    errors = validate(schema, document, SPECIFIED_RULES, max_errors=MAX_VALIDATION_ERRORS)
    if errors:
        # graphql-core appends an abort after MAX_VALIDATION_ERRORS errors ("Too many validation errors"), or when a
        # budget of its own ran out: only the latter is the document's complexity.
        if len(errors) <= MAX_VALIDATION_ERRORS and isinstance(errors[-1], ValidationAbortedError):
            errors[-1] = GraphQLError(ABORTED_MESSAGE, extensions={"code": QUERY_TOO_COMPLEX})
        return Validation(errors, cost)
    return Validation(limit_errors, cost)


@contextmanager
def database_time_budget():
    """Bounds every SQL statement of one API request to GRAPHQL_STATEMENT_TIMEOUT_MS. A statement over it is
    cancelled and its field answers a GraphQLError with `extensions.code` QUERY_TIMEOUT (no SQL, no driver text); the
    statements after it in the same request fail the same way without reaching the database.

    PostgreSQL: `statement_timeout` for this request's transaction only (SET LOCAL), so nothing leaks to the next
    request on a persistent connection. SQLite: a progress handler interrupts a statement that runs past its deadline
    (while it computes its first row, which for a sorted or aggregated query is all of its work)."""
    timeout_ms = settings.GRAPHQL_STATEMENT_TIMEOUT_MS
    if timeout_ms <= 0 or connection.vendor not in ("postgresql", "sqlite"):
        yield
        return
    guard = _StatementGuard(timeout_ms)
    with ExitStack() as stack:
        if connection.vendor == "postgresql":
            stack.enter_context(_postgres_statement_timeout(timeout_ms, guard))
        else:
            stack.enter_context(_sqlite_statement_deadline(guard))
        stack.enter_context(connection.execute_wrapper(guard))
        yield


class _StatementGuard:
    """Django execute wrapper: turns a cancelled statement into the API's QUERY_TIMEOUT error."""

    def __init__(self, timeout_ms):
        self.timeout = timeout_ms / 1000
        self.deadline = None
        self.interrupted = False
        self.timed_out = False

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(SAVEPOINT_STATEMENTS):
            # Transaction control: a rollback to a savepoint is what recovers from the cancelled statement.
            return execute(sql, params, many, context)
        if self.timed_out:
            raise self.error()
        self.deadline = time.monotonic() + self.timeout
        try:
            return execute(sql, params, many, context)
        except DatabaseError as error:
            if not self._cancelled(error):
                raise
            self.timed_out = True
        finally:
            self.deadline = None
        # Outside the except block, so that the driver's message is no part of the error's context.
        raise self.error()

    def _cancelled(self, error):
        cause = error.__cause__
        if getattr(cause, "pgcode", None) == QUERY_CANCELED:
            return True
        return self.interrupted and getattr(cause, "sqlite_errorcode", None) == SQLITE_INTERRUPT

    def sqlite_progress(self):
        """Nonzero interrupts the running statement."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.interrupted = True
            return 1
        return 0

    def error(self):
        return GraphQLError(
            TIMEOUT_MESSAGE, extensions={"code": QUERY_TIMEOUT, "timeoutMs": round(self.timeout * 1000)}
        )


@contextmanager
def _postgres_statement_timeout(timeout_ms, guard):
    # Settings are changed through the driver's cursor, so that they do not count as the API's queries in Django's
    # query log (tests/test_query_counts.py counts those).
    nested = connection.in_atomic_block
    with ExitStack() as stack:
        if not nested:
            # SET LOCAL lasts until this transaction ends, whatever happens in between.
            stack.enter_context(transaction.atomic())
        connection.ensure_connection()
        previous = None
        with connection.connection.cursor() as cursor:
            if nested:
                cursor.execute("SHOW statement_timeout")
                previous = cursor.fetchone()[0]
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(timeout_ms)])
        try:
            yield
        finally:
            if guard.timed_out:
                # The transaction is aborted; rolling it back also ends the setting. Inside a transaction of the
                # caller (a test's), the caller rolls back.
                if not nested:
                    transaction.set_rollback(True)
            elif nested:
                with connection.connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])


@contextmanager
def _sqlite_statement_deadline(guard):
    connection.ensure_connection()
    raw = connection.connection
    raw.set_progress_handler(guard.sqlite_progress, SQLITE_PROGRESS_STEPS)
    try:
        yield
    finally:
        raw.set_progress_handler(None, 0)
