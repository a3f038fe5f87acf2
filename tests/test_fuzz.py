"""Fuzzing /graphql/: whatever a client sends, the answer is JSON in the shape of a GraphQL response, never a 5xx, and
tells nothing about the server.

Documents come from hypothesis-graphql over the live schema (valid queries and mutations, and queries with one schema
violation each); HTTP requests around them are malformed on purpose (random bytes, random JSON, wrong content types
and methods, deep nesting, broken multipart, odd Host headers). All go through Django's full request stack against
the demo content.

FUZZ_EXAMPLES is the number of requests per run (default enough for CI: at least 1,000 per database); `make fuzz`
sends many more.
"""

import json
import os
import string
import sys
import time
from collections import Counter
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, queries

from cms.api.schema import schema as api_schema
from regions.calls.factories import CallForIdeasPageFactory
from regions.calls.models import CallIndexPage
from sites.models import MunicipalityHomePage

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1100"))
URL = "/graphql/"
DEMO_HOSTS = ["kielregion.localhost", "kassel.localhost"]
SCHEMA = api_schema.graphql_schema

# Shares of FUZZ_EXAMPLES per kind of request.
SHARES = {"queries": 0.35, "invalid_queries": 0.15, "mutations": 0.1, "malformed": 0.4}

# Text that would tell a client about the server: a traceback, a module, the database, paths of this machine.
INTERNAL_MARKERS = [
    "Traceback",
    'File "',
    "psycopg",
    "django.",
    "sqlite",
    "OperationalError",
    "ProgrammingError",
    "IntegrityError",
    "DataError",
    "recursion depth",
    "object at 0x",
    "NoneType",
    str(settings.BASE_DIR),
    str(settings.MEDIA_ROOT),
    sys.prefix,
]


def _database_markers():
    database = settings.DATABASES["default"]
    markers = [str(value) for value in (database.get("HOST"), database.get("PORT")) if value]
    if database["ENGINE"].endswith("sqlite3"):
        markers.append(str(database["NAME"]))
    return markers


def check(response, statuses):
    """The assertions every response must pass."""
    statuses.append(response.status_code)
    assert response.status_code < 500, response.content[:2000]
    if response.status_code == 204 or response.request["REQUEST_METHOD"] == "HEAD":
        assert not response.content
        return
    assert response["Content-Type"] == "application/json", (response.status_code, response.content[:500])
    body = json.loads(response.content)
    assert isinstance(body, dict) and set(body) <= {"data", "errors"} and body, body
    for error in body.get("errors", []):
        assert isinstance(error["message"], str) and error["message"], error
        code = error["extensions"]["code"]
        # Input is never an internal error: that would be a bug its sender found.
        assert code != "INTERNAL_ERROR", error
    if response.status_code >= 400:
        assert body.get("errors"), body
    text = response.content.decode()
    for marker in INTERNAL_MARKERS + _database_markers():
        assert marker not in text, (marker, text[:2000])


def run(strategy, share, send, capsys):
    """Sends a request built from each example of `strategy`, this kind's share of FUZZ_EXAMPLES of them, checks
    every response and prints how many went out in how much time."""
    examples = max(1, round(FUZZ_EXAMPLES * share))
    statuses = []

    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        # Examples are not stored: nothing is written into the working tree.
        database=None,
        # Generated documents are large and slow to build; the fixtures hold for every example.
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(strategy)
    def fuzz(example):
        check(send(example), statuses)

    started = time.perf_counter()
    fuzz()
    seconds = time.perf_counter() - started
    counted = ", ".join(f"{status}: {count}" for status, count in sorted(Counter(statuses).items()))
    with capsys.disabled():
        print(f"\n  {len(statuses)} requests in {seconds:.1f} s ({len(statuses) / seconds:.0f}/s); {counted}")
    # Hypothesis stops early only when it has exhausted a strategy; these are far larger than any run.
    assert len(statuses) >= examples


@pytest.fixture(scope="module")
def demo_database(django_db_setup, django_db_blocker):
    """The demo content plus an open call for ideas, loaded once for this module's tests (each runs in a savepoint of
    its own) and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_content", verbosity=0)
        kassel = MunicipalityHomePage.objects.get(slug="kassel")
        index = CallIndexPage.objects.child_of(kassel).get()
        open_call = CallForIdeasPageFactory(parent=index, title="Offener Aufruf", is_open=True)
        yield open_call.pk
        transaction.set_rollback(True)
    # Wagtail keeps the sites' root paths in the cache; they are gone with the rollback.
    cache.clear()


@pytest.fixture
def client(demo_database, db):
    cache.clear()
    yield Client(raise_request_exception=False)
    cache.clear()


hosts = st.sampled_from(DEMO_HOSTS)


def post_json(client, body, host, **extra):
    return client.post(URL, data=json.dumps(body), content_type="application/json", HTTP_HOST=host, **extra)


def test_generated_queries(client, capsys):
    strategy = st.tuples(queries(SCHEMA), hosts, st.sampled_from(["POST", "GET", "GET with a JSON content type"]))

    def send(example):
        query, host, how = example
        if how == "POST":
            return post_json(client, {"query": query}, host)
        # Apollo Client sends Content-Type: application/json on GET, too.
        extra = {"CONTENT_TYPE": "application/json"} if how.endswith("type") else {}
        return client.get(URL, {"query": query}, HTTP_HOST=host, **extra)

    run(strategy, SHARES["queries"], send, capsys)


def test_generated_queries_with_a_schema_violation(client, capsys):
    strategy = st.tuples(queries(SCHEMA, mode=Mode.NEGATIVE), hosts)
    run(
        strategy,
        SHARES["invalid_queries"],
        lambda example: post_json(client, {"query": example[0]}, example[1]),
        capsys,
    )


SUBMIT_IDEA = "mutation M($input: SubmitIdeaInput!) { submitIdea(input: $input) { reference status errors { code } } }"


def _idea_inputs(call_id):
    """Inputs for the one mutation: mostly a valid idea with some fields replaced by arbitrary values."""
    text = st.text(max_size=300)
    return st.fixed_dictionaries(
        {
            "callId": st.one_of(st.just(str(call_id)), st.text(max_size=12)),
            "title": st.one_of(st.just("Mehr Bänke am Hafen"), text),
            "description": st.one_of(
                st.just("Am Hafen fehlen Sitzgelegenheiten für ältere Menschen."), st.text(max_size=4500)
            ),
            "email": st.one_of(st.just("anna.beispiel@example.org"), st.emails(), text),
            "consent": st.one_of(st.just(True), st.booleans()),
            "consentTextVersion": st.one_of(st.just("2026-01"), text),
            "idempotencyKey": st.one_of(st.from_regex(r"[A-Za-z0-9_-]{8,64}", fullmatch=True), text),
        },
        optional={
            "site": st.one_of(st.just("kassel.localhost"), text),
            "fieldOfActionId": st.one_of(st.integers(-1, 10**20).map(str), text),
            "name": text,
            "displayName": text,
            "keepTextAfterErasure": st.booleans(),
            "website": text,
        },
    )


def test_generated_mutations(client, demo_database, capsys):
    origins = st.sampled_from([None, None, "http://kassel.localhost:3000", "https://fremd.example"])
    generated = st.tuples(st.just(None), mutations(SCHEMA), hosts, origins)
    ideas = st.tuples(_idea_inputs(demo_database), st.just(SUBMIT_IDEA), st.just("kassel.localhost"), origins)

    def send(example):
        idea, mutation, host, origin = example
        # Each example starts below the rate limits, so that it reaches the mutation itself.
        cache.clear()
        extra = {"HTTP_ORIGIN": origin} if origin else {}
        body = {"query": mutation} if idea is None else {"query": mutation, "variables": {"input": idea}}
        return post_json(client, body, host, **extra)

    run(st.one_of(generated, ideas), SHARES["mutations"], send, capsys)


# --- Malformed HTTP requests -----------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
VARIABLES_QUERY = (
    "query Q($site: String, $limit: Int, $offset: Int, $id: ID, $status: ProjectStatus, $path: String) {"
    " pages(site: $site, limit: $limit, offset: $offset) { id title }"
    " projects(site: $site, status: $status, limit: $limit) { title }"
    " page(id: $id, urlPath: $path) { title } }"
)
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=latin-1",
    "application/graphql",
    "application/graphql+json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=----x",
    "text/plain",
    "text/html",
    "application/xml",
    "",
]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND"]


def _json_body(value):
    return json.dumps(value).encode()


def _nested(depth, kind):
    opening, closing = {"array": ("[", "]"), "object": ('{"a":', "}"), "document": ("{ a ", "}")}[kind]
    inner = opening * depth + ("" if kind == "document" else "1") + closing * depth
    return _json_body({"query": inner}) if kind == "document" else inner.encode()


def _multipart(boundary, parts, cut):
    lines = []
    for name, value in parts:
        lines += [f"--{boundary}", f'Content-Disposition: form-data; name="{name}"', "", value]
    body = "\r\n".join([*lines, f"--{boundary}--"]).encode()
    return body[:cut] if cut else body


def _damaged(document, position, insertion):
    """A generated document cut off or with something inserted at some position."""
    position %= len(document) + 1
    return document[:position] + insertion


printable = st.text(alphabet=string.printable, max_size=30)
damaged_documents = st.builds(_damaged, queries(SCHEMA), st.integers(0, 10_000), st.text(max_size=5))
oversized_bodies = st.sampled_from(
    [b" " * (settings.GRAPHQL_MAX_BODY_BYTES + 1), _json_body({"query": "{ __typename }" + " " * 200_000})]
)
json_bodies = st.one_of(
    json_values.map(_json_body),
    st.fixed_dictionaries(
        {},
        optional={
            "query": st.one_of(st.just(VARIABLES_QUERY), st.text(max_size=80), damaged_documents, json_values),
            "variables": st.one_of(json_values, json_values.map(json.dumps)),
            "operationName": st.one_of(st.sampled_from(["Q", "M", "null", ""]), json_values),
            "extensions": json_values,
        },
    ).map(_json_body),
    st.builds(
        lambda variables: _json_body({"query": VARIABLES_QUERY, "variables": variables}),
        st.dictionaries(st.sampled_from(["site", "limit", "offset", "id", "status", "path"]), json_values),
    ),
    st.builds(
        lambda idea: _json_body({"query": SUBMIT_IDEA, "variables": {"input": idea}}),
        st.dictionaries(
            st.sampled_from(
                ["callId", "title", "description", "email", "consent", "consentTextVersion", "idempotencyKey", "site"]
            ),
            json_values,
        ),
    ),
    st.builds(_nested, st.integers(1, 20_000), st.sampled_from(["array", "object", "document"])),
    oversized_bodies,
)
multipart_bodies = st.builds(
    _multipart,
    printable,
    st.lists(st.tuples(st.sampled_from(["query", "variables", "file"]), st.text(max_size=50)), max_size=3),
    st.integers(0, 200),
)
any_bodies = st.one_of(
    st.binary(max_size=300), st.text(max_size=300).map(str.encode), json_bodies, multipart_bodies, oversized_bodies
)
query_strings = st.one_of(
    st.dictionaries(
        st.sampled_from(["query", "variables", "operationName", "raw"]),
        st.one_of(st.text(max_size=60), json_values.map(json.dumps), st.just(VARIABLES_QUERY), damaged_documents),
    ).map(urlencode),
    st.text(max_size=80),
    st.binary(max_size=60).map(lambda raw: "".join(f"%{byte:02X}" for byte in raw)),
)
odd_hosts = st.sampled_from(["unbekannt.example", "kielregion.localhost:99999", "[::1]", "a b", "ä.example", ""])


def _request(method, content_type, body, query_string=None, host=None, content_length=None):
    """Strategy of one request; what is not given is left out (no query string, no Content-Length) or a demo host."""
    return st.fixed_dictionaries(
        {
            "method": method,
            "content_type": content_type,
            "body": body,
            "query_string": query_string or st.just(""),
            "host": host or hosts,
            "content_length": content_length or st.none(),
        }
    )


json_content_types = st.sampled_from(["application/json", "application/json; charset=utf-8"])
malformed_requests = st.one_of(
    # Well framed, with odd content: what reaches GraphQL.
    _request(st.just("POST"), json_content_types, json_bodies),
    _request(st.just("POST"), st.just("application/graphql"), st.one_of(damaged_documents.map(str.encode), any_bodies)),
    _request(st.just("GET"), st.sampled_from(["", "application/json"]), st.just(b""), query_strings),
    # Anything.
    _request(
        st.sampled_from(METHODS),
        st.one_of(st.sampled_from(CONTENT_TYPES), printable),
        any_bodies,
        st.one_of(st.just(""), query_strings),
        st.one_of(hosts, odd_hosts),
        st.one_of(st.none(), st.sampled_from(["abc", "-1", "0", "99999999999"])),
    ),
)


def test_malformed_requests(client, capsys):
    def send(request):
        extra = {"HTTP_HOST": request["host"], "CONTENT_TYPE": request["content_type"]}
        if request["content_length"] is not None:
            extra["CONTENT_LENGTH"] = request["content_length"]
        path = URL + "?" + request["query_string"] if request["query_string"] else URL
        return client.generic(request["method"], path, request["body"], request["content_type"], **extra)

    run(malformed_requests, SHARES["malformed"], send, capsys)


SUBMIT_IDEA_WITH_IDS = (
    "mutation M($input: SubmitIdeaInput!) { submitIdea(input: $input) { reference errors { code } } }"
)


@pytest.mark.parametrize(
    "query, ids",
    [
        ('{ search(query: "\\"") { id } }', None),
        ('{ search(query: "Bänke \\"am Hafen") { id } }', None),
        (SUBMIT_IDEA_WITH_IDS, {"callId": "²"}),
        (SUBMIT_IDEA_WITH_IDS, {"callId": "9223372036854775808"}),
        (SUBMIT_IDEA_WITH_IDS, {"fieldOfActionId": "²"}),
        (SUBMIT_IDEA_WITH_IDS, {"fieldOfActionId": "9223372036854775808"}),
    ],
    ids=["search-quote", "search-unbalanced-quote", "call-superscript", "call-2^63", "foa-superscript", "foa-2^63"],
)
def test_inputs_the_fuzzer_found_stay_client_errors(client, demo_database, query, ids):
    """Found by this module: a double quote in a search on SQLite's full-text index, and ids that str.isdigit()
    accepts but the database cannot compare (a superscript digit, a number beyond 64 bits)."""
    variables = None
    if ids is not None:
        idea = {
            "callId": str(demo_database),
            "title": "Mehr Bänke am Hafen",
            "description": "Am Hafen fehlen Sitzgelegenheiten für ältere Menschen.",
            "email": "anna.beispiel@example.org",
            "consent": True,
            "consentTextVersion": "2026-01",
            "idempotencyKey": "key-fuzz-found",
        }
        variables = {"input": {**idea, **ids}}
    check(post_json(client, {"query": query, "variables": variables}, "kassel.localhost"), [])
