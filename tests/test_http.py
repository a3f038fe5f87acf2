"""The API over a real socket, as a frontend or harvester calls it."""

import pytest
import requests


@pytest.fixture
def served_cities(live_tree):
    from sites.factories import create_municipality

    create_municipality(hostname="kiel.test", regional_key="010020000000", federal_state="01", title="Kiel")
    create_municipality(hostname="kassel.test", regional_key="066110000000", federal_state="06", title="Kassel")
    return live_tree.url + "/graphql/"


def test_each_hostname_gets_its_own_municipality(served_cities):
    query = {"query": "{ municipality { title regionalKey } }"}
    kiel = requests.post(served_cities, json=query, headers={"Host": "kiel.test"}, timeout=10)
    kassel = requests.get(served_cities, params=query, headers={"Host": "kassel.test"}, timeout=10)
    assert kiel.status_code == kassel.status_code == 200
    assert kiel.headers["Content-Type"] == "application/json"
    assert kiel.json()["data"]["municipality"] == {"title": "Kiel", "regionalKey": "010020000000"}
    assert kassel.json()["data"]["municipality"] == {"title": "Kassel", "regionalKey": "066110000000"}


def test_bad_requests_are_400_with_graphql_errors(served_cities):
    headers = {"Host": "kiel.test", "Content-Type": "application/json"}
    not_json = requests.post(served_cities, data="{oops", headers=headers, timeout=10)
    assert not_json.status_code == 400
    assert not_json.json() == {
        "errors": [{"message": "POST body sent invalid JSON.", "extensions": {"code": "BAD_REQUEST"}}]
    }
    syntax = requests.post(served_cities, json={"query": "{ municipality {"}, headers=headers, timeout=10)
    assert syntax.status_code == 400
    assert syntax.json()["errors"][0]["message"].startswith("Syntax Error")


def test_unsupported_method_is_405(served_cities):
    response = requests.put(served_cities, json={"query": "{ __typename }"}, headers={"Host": "kiel.test"}, timeout=10)
    assert response.status_code == 405
