"""Concurrent retries of the same submission store it exactly once, over real HTTP against PostgreSQL."""

import random
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection

from regions.ideas.models import IdeaSubmission

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writers need PostgreSQL; SQLite serialises them (CI runs this on PostgreSQL)",
    ),
]

SUBMIT = "mutation ($input: SubmitIdeaInput!) { submitIdea(input: $input) { reference errors { code } } }"
KEYS = 25
RETRIES = 4


@pytest.fixture
def open_call(live_tree, settings):
    from regions.calls.factories import CallForIdeasPageFactory
    from regions.calls.models import CallIndexPage
    from tests.tenancy import onboard

    settings.IDEA_RATE_LIMIT_PER_ADDRESS = 10_000
    settings.IDEA_RATE_LIMIT_PER_EMAIL = 10_000
    home = onboard("Kiel", "010020000000", "kiel.test").home_page
    return CallForIdeasPageFactory(parent=CallIndexPage.objects.child_of(home).get(), is_open=True)


def test_concurrent_retries_store_each_idea_exactly_once(live_server, open_call):
    requests_to_send = [n for n in range(KEYS) for _retry in range(RETRIES)]
    random.Random(7).shuffle(requests_to_send)

    def send(n):
        variables = {
            "input": {
                "callId": str(open_call.pk),
                "title": f"Idee Nummer {n}",
                "description": "Eine Idee, die der Client wegen Zeitüberschreitung mehrfach sendet.",
                "email": f"person{n}@example.org",
                "consent": True,
                "consentTextVersion": "2026-01",
                "idempotencyKey": f"concurrent-key-{n:04d}",
            }
        }
        response = requests.post(
            live_server.url + "/graphql/",
            json={"query": SUBMIT, "variables": variables},
            headers={"Host": "kiel.test"},
            timeout=30,
        )
        return n, response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(send, requests_to_send))

    references = defaultdict(set)
    for n, status, body in results:
        assert status == 200 and "errors" not in body, body
        assert body["data"]["submitIdea"]["errors"] == []
        references[n].add(body["data"]["submitIdea"]["reference"])
    assert all(len(refs) == 1 for refs in references.values()), references
    stored = dict(IdeaSubmission.objects.values_list("idempotency_key", "reference"))
    assert len(stored) == KEYS == IdeaSubmission.objects.count()
    assert {stored[f"concurrent-key-{n:04d}"] for n in range(KEYS)} == {refs.pop() for refs in references.values()}
