"""Every malformed HTTP request to /graphql/ gets a 4xx with a JSON body in the shape of a GraphQL response, never a
500 or an HTML page; errors name no server internals; API responses set no cookie (docs/api.md, "Errors")."""

import json
import logging
from datetime import date

import graphene
import pytest
from django.test import Client
from django.test.utils import override_settings

from cms.api.errors import INTERNAL_MESSAGE, TOO_DEEP_MESSAGE, format_error
from graphql import graphql_sync
from regions.calls.factories import CallForIdeasPageFactory
from regions.calls.models import CallIndexPage

HOST = "kiel.test"
URL = "/graphql/"
QUERY = "{ municipality { title } }"
MUTATION = "mutation { submitIdea(input: {callId: 1, title: 1}) { reference } }"


@pytest.fixture
def client(two_cities):
    return Client(HTTP_HOST=HOST)


def post(client, body, content_type="application/json", **extra):
    if not isinstance(body, (bytes, str)):
        body = json.dumps(body)
    # Django's test client leaves out the content type of an empty body; a real client does not.
    extra.setdefault("CONTENT_TYPE", content_type)
    return client.post(URL, data=body, content_type=content_type, **extra)


def refused(response, status, code):
    """The single error of a refused request, after checking its status, content type and shape."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert set(body) == {"errors"}, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == code, error
    assert isinstance(error["message"], str) and error["message"]
    return error


def test_a_well_formed_request_still_works_by_get_and_by_post(client):
    for response in (
        post(client, {"query": QUERY}),
        post(client, {"query": QUERY, "variables": None, "operationName": None}),
        post(client, QUERY, content_type="application/graphql"),
        post(client, {"query": QUERY}, content_type="application/json; charset=utf-8"),
        client.get(URL, {"query": QUERY}),
        # Apollo Client sends this header on GET as well; the query is read from the URL.
        client.get(URL, {"query": QUERY}, headers={"Content-Type": "application/json"}),
        client.get(URL, {"query": QUERY, "variables": "", "operationName": ""}),
    ):
        assert response.status_code == 200, response.content
        assert json.loads(response.content) == {"data": {"municipality": {"title": "Kiel"}}}


@pytest.mark.parametrize(
    "body",
    [
        "[" * 1000 + "]" * 1000,
        '{"a":' * 1000 + "1" + "}" * 1000,
        '{"query": "{ __typename }", "variables": ' + '{"a":' * 1000 + "1" + "}" * 1000 + "}",
        # As deep as the body size limit allows.
        '{"query": "{ __typename }", "variables": {"v": ' + "[" * 60_000 + "]" * 60_000 + "}}",
    ],
    ids=["arrays", "objects", "variables", "variables-60000"],
)
def test_too_deep_json_is_400(client, body):
    error = refused(post(client, body), 400, "BAD_REQUEST")
    assert error["message"] == TOO_DEEP_MESSAGE


def test_variables_nested_deeper_than_python_recurses_in_a_get_request_are_400(client):
    variables = '{"v": ' + "[" * 20_000 + "]" * 20_000 + "}"
    error = refused(client.get(URL, {"query": QUERY, "variables": variables}), 400, "BAD_REQUEST")
    assert error["message"] == TOO_DEEP_MESSAGE


def test_a_document_nested_deeper_than_the_parser_recurses_is_400(client):
    # 4,000 tokens, under the token budget, but too deep for a recursive parser.
    deep = "{ a " * 1000 + "}" * 1000
    for response in (post(client, {"query": deep}), client.get(URL, {"query": deep})):
        error = refused(response, 400, "GRAPHQL_PARSE_FAILED")
        assert "nested too deeply" in error["message"]
    nested_list = "{ pages(site: " + "[" * 2000 + "]" * 2000 + ") { id } }"
    assert post(client, {"query": nested_list}).status_code == 400


@pytest.mark.parametrize("body", ['"{ __typename }"', "42", "null", "true", "1.5"])
def test_json_that_is_not_an_object_is_400(client, body):
    error = refused(post(client, body), 400, "BAD_REQUEST")
    assert error["message"] == "The request body must be a JSON object with a query."


def test_batched_requests_are_400(client):
    error = refused(post(client, [{"query": QUERY}, {"query": QUERY}]), 400, "BAD_REQUEST")
    assert error["message"] == "Batched requests are not supported; send one operation per request."
    refused(post(client, "[]"), 400, "BAD_REQUEST")


@pytest.mark.parametrize("body", ["", "{oops", "{'query': 1}", '{"query": "{ __typename }"', "\ufeff{}", "NaNx"])
def test_invalid_json_is_400(client, body):
    error = refused(post(client, body), 400, "BAD_REQUEST")
    assert error["message"] == "POST body sent invalid JSON."


@pytest.mark.parametrize("content_type", ["application/json", "application/graphql"])
def test_invalid_utf8_is_400(client, content_type):
    for body in (b"\xff\xfe{}", b'{"query": "{ \xc3( }"}', b"{ municipality { title } }\xed\xa0\x80"):
        error = refused(post(client, body, content_type=content_type), 400, "BAD_REQUEST")
        assert error["message"] == "The request body is not valid UTF-8."


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("multipart/form-data", b"--x\r\nContent-Disposition: form-data; name=query\r\n\r\n{ __typename }\r\n--x--"),
        ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=query\r\n\r\n{ __typ"),
        ("multipart/form-data; boundary=", b"--\r\n\r\n"),
        ("multipart/form-data; boundary=" + "x" * 5000, b"garbage"),
        ("application/x-www-form-urlencoded", b"query=%7B+__typename+%7D"),
        ("text/plain", b'{"query": "{ __typename }"}'),
        ("application/xml", b"<query/>"),
        ("", b'{"query": "{ __typename }"}'),
        ("application/json-patch+json", b"{}"),
        ("\x00\xff; ;;", b"{}"),
    ],
    ids=[
        "multipart-no-boundary",
        "multipart-broken",
        "multipart-empty-boundary",
        "multipart-long-boundary",
        "form",
        "text",
        "xml",
        "none",
        "json-patch",
        "garbage",
    ],
)
def test_other_content_types_are_415(client, content_type, body):
    error = refused(post(client, body, content_type=content_type), 415, "UNSUPPORTED_MEDIA_TYPE")
    assert "application/json" in error["message"]


def test_a_form_cannot_run_a_mutation(client):
    # What a hostile web page can make a visitor's browser send without a preflight.
    for content_type, body in (
        ("application/x-www-form-urlencoded", "query=" + MUTATION),
        (
            "multipart/form-data; boundary=b",
            f'--b\r\nContent-Disposition: form-data; name="query"\r\n\r\n{MUTATION}\r\n--b--',
        ),
        ("text/plain", json.dumps({"query": MUTATION})),
    ):
        refused(post(client, body, content_type=content_type), 415, "UNSUPPORTED_MEDIA_TYPE")


def test_a_body_over_the_limit_is_413(client, settings):
    filler = " " * settings.GRAPHQL_MAX_BODY_BYTES
    error = refused(post(client, {"query": QUERY + filler}), 413, "PAYLOAD_TOO_LARGE")
    assert str(settings.GRAPHQL_MAX_BODY_BYTES) in error["message"]
    refused(post(client, QUERY + filler, content_type="application/graphql"), 413, "PAYLOAD_TOO_LARGE")
    # Beyond Django's own limit of request bodies kept in memory, too.
    with override_settings(GRAPHQL_MAX_BODY_BYTES=10_000_000, DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        refused(post(client, {"query": QUERY + " " * 2000}), 413, "PAYLOAD_TOO_LARGE")
    # Just under the limit is read (and then judged by the document's own limits).
    fitting = json.dumps({"query": QUERY + " " * (settings.GRAPHQL_MAX_BODY_BYTES - 100)})
    assert refused(post(client, fitting), 400, "QUERY_TOO_COMPLEX")


def test_a_query_string_over_the_limit_is_414(client, settings):
    refused(client.get(URL, {"query": QUERY + " " * settings.GRAPHQL_MAX_BODY_BYTES}), 414, "PAYLOAD_TOO_LARGE")


def test_a_content_length_that_is_not_a_number_is_400(client):
    for length in ("abc", "-5", "1e3"):
        refused(post(client, {"query": QUERY}, CONTENT_LENGTH=length), 400, "BAD_REQUEST")


def test_too_many_query_parameters_are_400(client):
    error = refused(
        client.get(URL + "?" + "&".join(f"p{n}=1" for n in range(1100)) + "&query={__typename}"), 400, "BAD_REQUEST"
    )
    assert error["message"] == "The query string has too many parameters."


@pytest.mark.parametrize("variables", [[], [1], "[1]", 42, "42", "null x", "{", True, '"text"'])
def test_variables_that_are_not_an_object_are_400(client, variables):
    refused(post(client, {"query": QUERY, "variables": variables}), 400, "BAD_REQUEST")
    get_variables = variables if isinstance(variables, str) else json.dumps(variables)
    refused(client.get(URL, {"query": QUERY, "variables": get_variables}), 400, "BAD_REQUEST")


def test_invalid_json_variables_in_get_are_400(client):
    error = refused(client.get(URL, {"query": QUERY, "variables": "{oops"}), 400, "BAD_REQUEST")
    assert error["message"] == "Variables are invalid JSON."


@pytest.mark.parametrize("operation_name", [1, ["a"], {"a": 1}, True])
def test_operation_name_that_is_not_a_string_is_400(client, operation_name):
    error = refused(post(client, {"query": QUERY, "operationName": operation_name}), 400, "BAD_REQUEST")
    assert error["message"] == "operationName must be a string."


def test_an_unknown_operation_name_is_400(client):
    error = refused(post(client, {"query": "query A { __typename }", "operationName": "B"}), 400, "BAD_USER_INPUT")
    assert error["message"] == "Unknown operation named 'B'."


@pytest.mark.parametrize("query", [1, 1.5, True, ["{ __typename }"], {"query": "{ __typename }"}])
def test_a_query_that_is_not_a_string_is_400(client, query):
    error = refused(post(client, {"query": query}), 400, "BAD_REQUEST")
    assert error["message"] == "query must be a string."


def test_a_missing_query_is_400(client):
    for response in (
        post(client, {}),
        post(client, {"query": None}),
        post(client, {"query": ""}),
        post(client, {"variables": {}}),
        post(client, "", content_type="application/graphql"),
        client.get(URL),
        client.get(URL, {"variables": "{}"}),
    ):
        error = refused(response, 400, "BAD_REQUEST")
        assert error["message"] == "Must provide query string."


@pytest.mark.parametrize("method", ["put", "patch", "delete", "head", "trace"])
def test_unsupported_methods_are_405_with_allow(client, method):
    if method == "head":
        response = client.head(URL, {"query": QUERY})
    else:
        response = getattr(client, method)(URL, data=json.dumps({"query": QUERY}), content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST, OPTIONS"
    if method != "head":
        refused(response, 405, "METHOD_NOT_ALLOWED")


def test_a_plain_options_request_lists_the_methods(client):
    response = client.options(URL)
    assert response.status_code == 204
    assert response["Allow"] == "GET, POST, OPTIONS"


def test_a_mutation_over_get_is_405(client):
    error = refused(client.get(URL, {"query": MUTATION}), 405, "METHOD_NOT_ALLOWED")
    assert error["message"] == "Can only perform a mutation operation from a POST request."
    assert client.get(URL, {"query": MUTATION})["Allow"] == "POST"
    # A document with both: the operation chosen by name decides.
    both = "query Q { __typename } mutation M { submitIdea(input: {}) { reference } }"
    refused(client.get(URL, {"query": both, "operationName": "M"}), 405, "METHOD_NOT_ALLOWED")
    assert client.get(URL, {"query": both, "operationName": "Q"}).status_code == 400  # M does not validate


def test_request_errors_of_graphql_carry_stable_codes(client):
    syntax = refused(post(client, {"query": "{ municipality {"}), 400, "GRAPHQL_PARSE_FAILED")
    assert syntax["message"].startswith("Syntax Error")
    unknown = refused(post(client, {"query": "{ nope }"}), 400, "GRAPHQL_VALIDATION_FAILED")
    assert unknown["message"] == "Cannot query field 'nope' on type 'Query'."
    cycle = "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"
    assert refused(post(client, {"query": cycle}), 400, "GRAPHQL_VALIDATION_FAILED")["message"].startswith(
        "Cannot spread fragment 'A' within itself"
    )
    refused(post(client, {"query": "{ ...Missing }"}), 400, "GRAPHQL_VALIDATION_FAILED")


@pytest.mark.parametrize(
    "variables, message",
    [
        (
            {"width": 99999999999},
            "Variable '$width' got invalid value 99999999999; Int cannot represent non 32-bit signed integer value:"
            " 99999999999",
        ),
        ({"width": "breit"}, "Variable '$width' got invalid value 'breit'; Int cannot represent non-integer value:"),
        ({"width": {"__class__": "x"}}, "Variable '$width' got invalid value {'__class__': 'x'}; Int cannot"),
        (
            {"width": 320, "status": "VERSCHOBEN"},
            "Variable '$status' got invalid value 'VERSCHOBEN'; Value 'VERSCHOBEN'",
        ),
        ({"width": 320, "status": 1}, "Variable '$status' got invalid value 1; Enum 'ProjectStatus' cannot represent"),
        ({}, "Variable '$width' of required type 'Int!' was not provided."),
    ],
)
def test_variable_errors_keep_graphql_cores_message_and_say_bad_user_input(client, variables, message):
    query = (
        "query ($width: Int!, $status: ProjectStatus) {"
        " images(limit: 1) { rendition(width: $width) { url } } projects(status: $status, limit: 1) { title } }"
    )
    error = refused(post(client, {"query": query, "variables": variables}), 400, "BAD_USER_INPUT")
    assert error["message"].startswith(message)
    assert "<" not in error["message"] and "object at 0x" not in error["message"]


def test_a_scalar_parser_exception_is_reported_without_its_python_text():
    # This API has no scalar whose parser raises anything but GraphQLError; graphql-core appends the text of any
    # other exception to its message. A schema with such a scalar shows what a client would get.
    class Day(graphene.Scalar):
        serialize = str

        @staticmethod
        def parse_value(value):
            return date.fromisoformat(value)

        @staticmethod
        def parse_literal(node, _variables=None):
            return date.fromisoformat(node.value)

    class Query(graphene.ObjectType):
        weekday = graphene.String(day=Day())

    schema = graphene.Schema(query=Query).graphql_schema
    for document, variables, message in (
        (
            "query ($day: Day) { weekday(day: $day) }",
            {"day": "morgen"},
            "Variable '$day' got invalid value 'morgen'; Expected type 'Day'.",
        ),
        ('{ weekday(day: "morgen") }', None, "Expected value of type 'Day', found \"morgen\"."),
    ):
        [error] = graphql_sync(schema, document, variable_values=variables).errors
        assert "isoformat" in error.message  # what graphql-core passes on from Python's date parser
        formatted = format_error(error)
        assert formatted["message"] == message
        assert formatted["extensions"] == {"code": "BAD_USER_INPUT"}


def test_an_unexpected_exception_is_a_generic_error_with_an_id_that_leads_to_the_log(client, monkeypatch, caplog):
    def broken_execute(*args, **kwargs):
        raise RuntimeError('could not connect to server at "db.internal" (10.0.0.7), port 5432: /srv/cms/secret.py')

    monkeypatch.setattr("cms.api.views.execute", broken_execute)
    caplog.set_level(logging.ERROR, logger="cms.api")
    response = post(client, {"query": QUERY})
    error = refused(response, 500, "INTERNAL_ERROR")
    assert error["message"] == INTERNAL_MESSAGE
    error_id = error["extensions"]["errorId"]
    assert len(error_id) == 32
    text = response.content.decode()
    for secret in ("db.internal", "10.0.0.7", "5432", "/srv", "RuntimeError", "Traceback"):
        assert secret not in text
    [record] = [record for record in caplog.records if error_id in record.getMessage()]
    assert "db.internal" in str(record.exc_info[1])


def test_a_field_that_fails_unexpectedly_is_logged_under_the_error_id_of_its_response(two_cities, caplog):
    from cms.media.factories import ImageFactory

    kiel, _kassel = two_cities
    image = ImageFactory(collection_id=kiel.media_collection_id)
    with open(image.file.path, "wb") as broken:
        broken.write(b"this is not an image")
    caplog.set_level(logging.ERROR, logger="cms.api")
    response = post(Client(HTTP_HOST=HOST), {"query": "{ images { id rendition(width: 320) { url } } }"})
    assert response.status_code == 200
    [error] = json.loads(response.content)["errors"]
    assert error["message"] == INTERNAL_MESSAGE and error["path"] == ["images", 0, "rendition"]
    [record] = [record for record in caplog.records if error["extensions"]["errorId"] in record.getMessage()]
    assert record.exc_info is not None


def test_a_host_header_django_refuses_is_answered_with_json_on_the_api(two_cities, settings):
    settings.ALLOWED_HOSTS = ["kiel.test"]
    response = post(Client(HTTP_HOST="evil.example"), {"query": QUERY})
    refused(response, 400, "BAD_REQUEST")
    # Elsewhere Django's own answer stays.
    assert Client(HTTP_HOST="evil.example").get("/admin/").status_code == 400


@pytest.fixture
def open_call(two_cities):
    kiel, _kassel = two_cities
    index = CallIndexPage.objects.child_of(kiel).first()
    parent = index or kiel
    return CallForIdeasPageFactory(parent=parent, title="Offen", is_open=True)


def _assert_no_cookie(response):
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response
    vary = [part.strip().lower() for part in response.get("Vary", "").split(",")]
    assert "cookie" not in vary, response.get("Vary")


def test_api_responses_set_no_cookie_and_do_not_vary_by_cookie(open_call, admin_user):
    idea = {
        "callId": str(open_call.pk),
        "title": "Mehr Bänke",
        "description": "Am Hafen fehlen Sitzgelegenheiten.",
        "email": "anna@example.org",
        "consent": True,
        "consentTextVersion": "2026-01",
        "idempotencyKey": "key-cookie-0001",
    }
    submit = "mutation ($input: SubmitIdeaInput!) { submitIdea(input: $input) { reference errors { code } } }"
    anonymous = Client(HTTP_HOST=HOST)
    logged_in = Client(HTTP_HOST=HOST)
    logged_in.force_login(admin_user)
    logged_in.cookies["csrftoken"] = "x" * 32
    for client in (anonymous, logged_in):
        responses = [
            client.get(URL, {"query": QUERY}),
            post(client, {"query": QUERY}),
            post(client, {"query": '{ page(token: "abc") { id } }'}),
            post(client, {"query": submit, "variables": {"input": idea}}),
            post(client, {"query": "{ nope }"}),
            post(client, "{oops"),
            post(client, "query=1", content_type="application/x-www-form-urlencoded"),
            client.put(URL),
            client.options(URL),
        ]
        for response in responses:
            _assert_no_cookie(response)
    # The admin, by contrast, keeps its session.
    assert logged_in.get("/admin/").status_code == 200


def test_a_nul_character_in_any_string_is_400_and_reaches_no_database(client):
    for body in (
        {"query": '{ page(slug: "a\\u0000b") { id } }'},
        {"query": '{ search(query: "\\u0000") { id } }'},
        {"query": "query ($path: String) { page(urlPath: $path) { id } }", "variables": {"path": "/a\x00/"}},
        {"query": "query ($v: [String]) { __typename }", "variables": {"v": [[["\x00"]]]}},
    ):
        error = refused(post(client, body), 400, "BAD_USER_INPUT")
        assert error["message"] == "Strings must not contain the NUL character (U+0000)."
    refused(client.get(URL, {"query": '{ page(slug: "\\u0000") { id } }'}), 400, "BAD_USER_INPUT")
