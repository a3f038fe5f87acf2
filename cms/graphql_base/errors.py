"""Machine-readable codes of GraphQL errors (`extensions.code`), in one place for every app that raises them."""

# A flood of submissions, or a client's cost budget spent: HTTP 429 with the error's `retryAfter` as Retry-After.
RATE_LIMITED = "RATE_LIMITED"
# The database (or the cache, where it cannot be skipped) is unreachable: HTTP 503 with Retry-After (cms.availability).
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
# The instance runs as many heavy operations as it allows at once (GRAPHQL_HEAVY_CONCURRENCY): HTTP 503 with
# Retry-After; the same operation may succeed a moment later.
SERVER_BUSY = "SERVER_BUSY"
# A submission that cannot be checked now (the rate limit's cache is unreachable): HTTP 503, nothing stored.
TEMPORARILY_UNAVAILABLE = "TEMPORARILY_UNAVAILABLE"

# An unexpected exception: logged with its traceback, the client gets a generic message (cms.api.errors).
INTERNAL_ERROR = "INTERNAL_ERROR"
# An argument value that cannot be used (a non-numeric id, say).
BAD_USER_INPUT = "BAD_USER_INPUT"
# A mutation or preview token from a browser page whose origin is not the municipality's own (sites.origins).
FORBIDDEN_ORIGIN = "FORBIDDEN_ORIGIN"
# A mutation sent with another content type than application/json (docs/cors.md: why mutations need JSON).
UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
# A document over one of the API's budgets (cost, depth, validation work), refused before it runs; `cost` and
# `budget` (or `depth` and `maxDepth`) in the extensions say by how much (docs/api-limits.md).
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
# A database statement of the API ran longer than GRAPHQL_STATEMENT_TIMEOUT_MS and was cancelled.
QUERY_TIMEOUT = "QUERY_TIMEOUT"

# Refusals of the HTTP request itself, before GraphQL sees it (cms/api/views.py; docs/api.md, "Errors"):
# a body that is not one JSON object with a string `query`, undecodable or too deeply nested, a batch (400);
BAD_REQUEST = "BAD_REQUEST"
# another method than GET and POST, or a mutation over GET (405, with Allow);
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
# a body over GRAPHQL_MAX_BODY_BYTES (413), or a query string over it (414).
PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
# The document is not GraphQL (a syntax error, nesting deeper than the parser goes): 400.
GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
# The document does not fit the schema (an unknown field, a fragment cycle, a wrong argument type): 400.
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
