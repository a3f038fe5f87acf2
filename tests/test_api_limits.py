"""Bad requests get HTTP 400 with GraphQL errors; standard validation, a depth limit and a page-size cap.
The cost budget has its own tests in tests/test_query_cost.py."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def post_raw(body, content_type="application/json", host="kiel.test"):
    response = Client().post("/graphql/", data=body, content_type=content_type, HTTP_HOST=host)
    return response.status_code, json.loads(response.content)


def test_syntax_error_is_400(two_cities):
    status, body = post_raw(json.dumps({"query": "{ municipality { title "}))
    assert status == 400
    assert "Syntax Error" in body["errors"][0]["message"]


def test_unknown_field_is_400(two_cities):
    status, body = post_raw(json.dumps({"query": "{ municipality { mayorPrivatePhone } }"}))
    assert status == 400
    assert "Cannot query field 'mayorPrivatePhone'" in body["errors"][0]["message"]


def test_wrong_variable_type_is_400(two_cities):
    query = "query ($limit: Int) { pages(limit: $limit) { id } }"
    status, body = post_raw(json.dumps({"query": query, "variables": {"limit": "viele"}}))
    assert status == 400
    assert "Int cannot represent non-integer value" in body["errors"][0]["message"]


def test_non_json_body_is_400(two_cities):
    status, body = post_raw("{not json")
    assert status == 400
    assert body["errors"][0]["message"] == "POST body sent invalid JSON."


def test_missing_query_is_400(two_cities):
    status, body = post_raw(json.dumps({"variables": {}}))
    assert status == 400
    assert body["errors"][0]["message"] == "Must provide query string."


def test_standard_rules_stay_in_force_next_to_the_depth_limit(two_cities):
    unused_fragment = "query { municipality { title } } fragment Unused on MunicipalityHomePage { title }"
    status, body = post_raw(json.dumps({"query": unused_fragment}))
    assert status == 400
    assert "Fragment 'Unused' is never used." in body["errors"][0]["message"]
    duplicate_operations = "query A { municipality { title } } query A { municipality { title } }"
    status, body = post_raw(json.dumps({"query": duplicate_operations}))
    assert status == 400


def test_query_deeper_than_the_limit_is_refused(two_cities, settings):
    nested = "parent { " * 12 + "id" + " }" * 12
    status, body = post_raw(json.dumps({"query": "{ municipality { %s } }" % nested}))
    assert status == 400
    [error] = body["errors"]
    assert "exceeds maximum operation depth of 12" in error["message"]
    assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "depth": 13, "maxDepth": 12}


def test_query_within_the_limit_runs(gql, two_cities):
    nested = "parent { " * 11 + "id" + " }" * 11
    assert gql.data("{ municipality { %s } }" % nested, host="kiel.test")["municipality"]


@pytest.mark.parametrize("limit", [0, 101, -5])
def test_page_size_outside_the_cap_is_refused_before_execution(two_cities, limit):
    status, body = post_raw(json.dumps({"query": "{ pages(limit: %d) { id } }" % limit}))
    assert status == 400
    assert body["errors"] == [
        {
            "message": f"limit must be between 1 and 100, got {limit}.",
            "locations": [{"line": 1, "column": 3}],
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ]


@pytest.mark.parametrize(
    "field",
    [
        "municipalities(limit: 101) { id }",
        "municipality { children(limit: 500) { id } }",
        "changes(limit: 101) { hasMore }",
    ],
)
def test_every_list_has_the_same_cap(two_cities, field):
    status, body = post_raw(json.dumps({"query": "{ %s }" % field}))
    assert status == 400
    assert body["errors"][0]["message"].startswith("limit must be between 1 and 100")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_page_size_from_a_variable_is_checked_too(two_cities):
    query = "query ($n: Int) { municipality { projects(limit: $n) { id } } }"
    status, body = post_raw(json.dumps({"query": query, "variables": {"n": 1000}}))
    assert status == 400
    assert body["errors"][0]["message"] == "limit must be between 1 and 100, got 1000."


def test_negative_offset_is_an_error(gql, two_cities):
    _status, messages = gql.errors("{ pages(offset: -1) { id } }", host="kiel.test")
    assert messages == ["offset must not be negative, got -1."]


def test_nested_lists_have_the_default_page_size(gql, two_cities, settings):
    from sites.factories import ContentPageFactory

    kiel, _ = two_cities
    for number in range(settings.GRAPHQL_DEFAULT_PAGE_SIZE + 2):
        ContentPageFactory(parent=kiel, slug=f"seite-{number}")
    municipality = gql.data("{ municipality { children { id } more: children(limit: 30) { id } } }", host="kiel.test")
    assert len(municipality["municipality"]["children"]) == settings.GRAPHQL_DEFAULT_PAGE_SIZE
    assert len(municipality["municipality"]["more"]) == settings.GRAPHQL_DEFAULT_PAGE_SIZE + 2


def test_unknown_content_type_filter_is_an_error(gql, two_cities):
    _status, messages = gql.errors('{ pages(contentType: "nicht.Vorhanden") { id } }', host="kiel.test")
    assert messages == ['Unknown content type "nicht.Vorhanden". Use "app_label.ModelName".']


def test_get_request_runs_queries_but_not_mutations(two_cities):
    response = Client().get("/graphql/", {"query": "{ municipality { title } }"}, HTTP_HOST="kiel.test")
    assert response.status_code == 200
    assert json.loads(response.content)["data"]["municipality"]["title"] == "Kiel"


def test_rendition_outside_the_allow_list_is_an_error(gql, two_cities):
    from cms.media.factories import ImageFactory

    kiel, _ = two_cities
    ImageFactory(collection_id=kiel.media_collection_id)
    _status, messages = gql.errors("{ images { rendition(width: 1234) { url } } }", host="kiel.test")
    assert "Invalid filter specs" in messages[0]
