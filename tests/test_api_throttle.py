"""Load over time (cms/api/throttle.py): each client's cost budget per window, and the instance's slots for heavy
operations. Requests go through Django's full stack; the counters are those of the configured cache."""

import ipaddress
import json
import time

import pytest
from django.core.cache import cache
from django.test import Client

from cms.api.cost import operation_costs
from cms.api.schema import schema
from cms.api.throttle import heavy_operation_slot
from cms.throttling import client_key
from graphql import parse

pytestmark = pytest.mark.django_db

HOST = "kiel.test"
SMALL = "{ municipality { title } }"
# Introspection, as GraphQL tools send it: over GRAPHQL_HEAVY_COST.
HEAVY = "{ __schema { types { name fields { name } } } }"


def cost_of(query):
    return sum(measured.cost for measured in operation_costs(schema.graphql_schema, parse(query)))


def post(query, address="203.0.113.7", body=None):
    response = Client().post(
        "/graphql/",
        data=body if body is not None else json.dumps({"query": query}),
        content_type="application/json",
        HTTP_HOST=HOST,
        HTTP_X_FORWARDED_FOR=address,
    )
    return response, json.loads(response.content)


@pytest.fixture
def budget(settings, two_cities):
    """A budget of three small queries per minute, per address behind one trusted proxy."""
    cache.clear()
    settings.TRUSTED_PROXY_COUNT = 1
    settings.GRAPHQL_CLIENT_COST_BUDGET = 3 * cost_of(SMALL)
    settings.GRAPHQL_CLIENT_BUDGET_WINDOW = 60
    yield settings
    cache.clear()


def test_a_client_that_spent_its_budget_gets_429_until_the_window_ends(budget):
    for _ in range(3):
        response, body = post(SMALL)
        assert response.status_code == 200, body
        assert body["data"]["municipality"]["title"] == "Kiel"
    response, body = post(SMALL)
    assert response.status_code == 429
    [error] = body["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert 0 < error["extensions"]["retryAfter"] <= 60
    assert response["Retry-After"] == str(error["extensions"]["retryAfter"])
    assert "budget" in error["message"]
    assert "data" not in body


def test_a_spent_budget_is_refused_before_the_request_is_read(budget):
    for _ in range(3):
        post(SMALL)
    response, body = post(None, body="{this is not json")
    assert response.status_code == 429, body


def test_other_clients_keep_their_own_budget(budget):
    for _ in range(4):
        post(SMALL, address="203.0.113.7")
    response, body = post(SMALL, address="198.51.100.20")
    assert response.status_code == 200, body


def test_one_expensive_operation_overspends_and_is_refused_before_it_runs(budget):
    post(SMALL)
    response, body = post(HEAVY)
    assert response.status_code == 429, body
    assert "data" not in body


def test_the_first_operation_of_a_window_runs_even_if_it_costs_more_than_the_budget(budget):
    response, body = post(HEAVY)
    assert response.status_code == 200, body
    assert post(SMALL)[0].status_code == 429


def test_the_budget_returns_with_the_next_window(budget):
    budget.GRAPHQL_CLIENT_BUDGET_WINDOW = 1
    while post(SMALL)[0].status_code == 200:
        pass
    time.sleep(1.05)
    assert post(SMALL)[0].status_code == 200


def test_exempt_networks_have_no_budget(budget):
    budget.GRAPHQL_BUDGET_EXEMPT_NETWORKS = [ipaddress.ip_network("10.0.3.0/24")]
    for _ in range(6):
        response, body = post(SMALL, address="10.0.3.9")
        assert response.status_code == 200, body
    assert post(SMALL, address="10.0.4.9")[0].status_code == 200


def test_a_forged_forwarded_address_does_not_buy_a_new_budget(budget):
    """The trusted proxy appends the address it saw; what the client wrote before it is not counted."""
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"):
        response, _body = post(SMALL, address=f"{forged}, 203.0.113.7")
    assert response.status_code == 429


def test_ipv6_clients_are_counted_by_their_network():
    assert client_key("2001:db8:1:2::1") == client_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert client_key(None) == "unknown"


def test_heavy_operations_wait_for_a_free_slot_and_small_ones_do_not(two_cities, settings):
    cache.clear()
    settings.GRAPHQL_HEAVY_CONCURRENCY = 1
    assert cost_of(HEAVY) >= settings.GRAPHQL_HEAVY_COST > cost_of(SMALL)
    with heavy_operation_slot(cost_of(HEAVY)):
        response, body = post(HEAVY)
        assert response.status_code == 503, body
        [error] = body["errors"]
        assert error["extensions"] == {"code": "SERVER_BUSY", "retryAfter": 1}
        assert response["Retry-After"] == "1"
        assert post(SMALL)[0].status_code == 200
    response, body = post(HEAVY)
    assert response.status_code == 200, body
    assert body["data"]["__schema"]["types"]


def test_a_slot_is_freed_when_its_operation_fails(two_cities, settings):
    cache.clear()
    settings.GRAPHQL_HEAVY_CONCURRENCY = 1
    with pytest.raises(RuntimeError), heavy_operation_slot(settings.GRAPHQL_HEAVY_COST):
        raise RuntimeError("the operation failed")
    assert post(HEAVY)[0].status_code == 200
