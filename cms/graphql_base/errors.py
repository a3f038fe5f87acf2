"""Machine-readable codes of GraphQL errors (`extensions.code`), in one place for every app that raises them."""

# A flood of submissions: the view answers HTTP 429 with the error's `retryAfter` as Retry-After.
RATE_LIMITED = "RATE_LIMITED"

# An unexpected exception: logged with its traceback, the client gets a generic message (cms.api.errors).
INTERNAL_ERROR = "INTERNAL_ERROR"
# An argument value that cannot be used (a non-numeric id, say).
BAD_USER_INPUT = "BAD_USER_INPUT"
