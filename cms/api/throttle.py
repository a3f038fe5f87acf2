"""What the API lets one client ask of the server over time, and how much heavy work it runs at once
(docs/api-limits.md, "Load"). The cost budget of one operation (cms/api/cost.py) bounds each request; these two bound
what many requests do together.

Budget per client: every operation's cost is counted against its client (cms.throttling.client_key of the address
cms.security.addresses sees) in windows of GRAPHQL_CLIENT_BUDGET_WINDOW seconds. A client whose budget is spent is
refused before its request is even read, so that refusing a flood costs the server almost nothing; an operation that
would overspend it is refused after validation, before it runs. Both answer HTTP 429 RATE_LIMITED with Retry-After at
the end of the window. Networks in GRAPHQL_BUDGET_EXEMPT_NETWORKS (a frontend that renders on its own server) count
nothing.

Heavy operations: an operation that costs at least GRAPHQL_HEAVY_COST takes one of GRAPHQL_HEAVY_CONCURRENCY slots in
the shared cache while it runs; with none free it is answered 503 SERVER_BUSY with Retry-After at once. Many clients
together, each within its budget, can thus not take every worker and CPU from the small queries that frontends send.

While the cache cannot be reached, neither is enforced: reads go on (docs/operations.md, "Outages").
"""

import ipaddress
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache

from cms.api.errors import RequestError
from cms.availability import CacheUnavailableError
from cms.graphql_base.errors import RATE_LIMITED, SERVER_BUSY
from cms.security.addresses import client_address
from cms.throttling import client_key, count_in_window, current_count

BUDGET_MESSAGE = (
    "This client has used up its query budget of {budget} cost units per {window} seconds. Try again in {retry_after} "
    "seconds, or ask for less per query (docs/api-limits.md)."
)
BUSY_MESSAGE = "The server is running as many expensive queries as it can. Try again in a moment."
BUSY_RETRY_AFTER_SECONDS = 1
SLOT_KEY = "api:heavy-operation-slot:{}"


class ClientBudget:
    """The cost budget of the client that sent `request`."""

    def __init__(self, request):
        address = client_address(request)
        self.enabled = settings.GRAPHQL_CLIENT_COST_BUDGET > 0 and not _is_exempt(address)
        self.key = f"api-cost:{client_key(address)}"

    def refuse_if_spent(self):
        """Raises RequestError (429) if the budget of the current window is spent; reads nothing else."""
        if not self.enabled:
            return
        counted = current_count(self.key, settings.GRAPHQL_CLIENT_BUDGET_WINDOW)
        if counted.count >= settings.GRAPHQL_CLIENT_COST_BUDGET:
            raise self._refusal(counted.retry_after)

    def charge(self, cost):
        """Counts an operation of `cost`; raises RequestError (429) if it overspends the budget. The first operation of
        a window always runs: the budget is never below what the cost limit admits for one operation."""
        if not self.enabled or cost <= 0:
            return
        try:
            counted = count_in_window(self.key, settings.GRAPHQL_CLIENT_BUDGET_WINDOW, cost)
        except CacheUnavailableError:
            return
        if counted.count > settings.GRAPHQL_CLIENT_COST_BUDGET and counted.count > cost:
            raise self._refusal(counted.retry_after)

    @staticmethod
    def _refusal(retry_after):
        message = BUDGET_MESSAGE.format(
            budget=settings.GRAPHQL_CLIENT_COST_BUDGET,
            window=settings.GRAPHQL_CLIENT_BUDGET_WINDOW,
            retry_after=retry_after,
        )
        return RequestError(429, message, RATE_LIMITED, {"Retry-After": str(retry_after)}, {"retryAfter": retry_after})


def _is_exempt(address):
    if address is None:
        return False
    parsed = ipaddress.ip_address(address)
    return any(parsed in network for network in settings.GRAPHQL_BUDGET_EXEMPT_NETWORKS)


@contextmanager
def heavy_operation_slot(cost):
    """Runs the body in one of the instance's slots for heavy operations if `cost` makes it one; raises RequestError
    (503) when all are taken."""
    if cost < settings.GRAPHQL_HEAVY_COST or settings.GRAPHQL_HEAVY_CONCURRENCY <= 0:
        yield
        return
    token = uuid.uuid4().hex
    try:
        slot = _take_slot(token)
    except CacheUnavailableError:
        slot = None
    else:
        if slot is None:
            raise RequestError(
                503,
                BUSY_MESSAGE,
                SERVER_BUSY,
                {"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)},
                {"retryAfter": BUSY_RETRY_AFTER_SECONDS},
            )
    try:
        yield
    finally:
        # Only our own token: a slot that outlived GRAPHQL_HEAVY_SLOT_SECONDS may belong to another request by now.
        if slot is not None and cache.get(slot) == token:
            cache.delete(slot)


def _take_slot(token):
    for number in range(settings.GRAPHQL_HEAVY_CONCURRENCY):
        key = SLOT_KEY.format(number)
        if cache.add(key, token, timeout=settings.GRAPHQL_HEAVY_SLOT_SECONDS):
            return key
    return None
