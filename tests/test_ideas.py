"""Citizens submit ideas through the API; each city moderates its own; personal data never leaves the admin."""

import csv
import io
import json
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import PageViewRestriction

from regions.calls.factories import CallForIdeasPageFactory
from regions.calls.models import CallIndexPage
from regions.ideas.factories import IdeaSubmissionFactory
from regions.ideas.models import IdeaStatus, IdeaSubmission
from tests.tenancy import build_city, client_for

pytestmark = pytest.mark.django_db

SUBMIT = """
mutation ($input: SubmitIdeaInput!) {
  submitIdea(input: $input) { reference status errors { field code message } }
}
"""
IDEAS_OF_CALL = """
query ($id: ID!, $site: String) {
  page(id: $id, site: $site) {
    ... on CallForIdeasPage { ideas { reference title description status submittedOn author fieldOfAction { title } } }
  }
}
"""


@pytest.fixture(autouse=True)
def empty_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cities(db):
    kiel = build_city("Kiel", "010020000000", "kiel.test")
    kassel = build_city("Kassel", "066110000000", "kassel.test")
    for city in (kiel, kassel):
        index = CallIndexPage.objects.child_of(city.home).get()
        city.open_call = CallForIdeasPageFactory(parent=index, title=f"Offen {city.marker}", is_open=True)
        city.closed_call = CallForIdeasPageFactory(parent=index, title=f"Beendet {city.marker}", is_closed=True)
        city.upcoming_call = CallForIdeasPageFactory(parent=index, title=f"Bald {city.marker}")
    return kiel, kassel


def idea_input(call, **overrides):
    data = {
        "callId": str(call.pk),
        "title": "Mehr Bänke am Hafen",
        "description": "Am Hafen fehlen Sitzgelegenheiten für ältere Menschen.",
        "email": "anna.beispiel@example.org",
        "name": "Anna Beispiel",
        "consent": True,
        "consentTextVersion": "2026-01",
        "idempotencyKey": "key-0000000001",
    }
    data.update(overrides)
    return data


def submit(gql, call, host="kiel.test", **overrides):
    status, body = gql.post(SUBMIT, {"input": idea_input(call, **overrides)}, host=host)
    return status, body


def payload(gql, call, host="kiel.test", **overrides):
    status, body = submit(gql, call, host, **overrides)
    assert status == 200 and "errors" not in body, body
    return body["data"]["submitIdea"]


def test_a_valid_idea_is_stored_once_and_a_confirmation_link_is_mailed(cities, gql, django_capture_on_commit_callbacks):
    kiel, _kassel = cities
    sent = {"title": "<b>Mehr</b> Bänke am   Hafen", "fieldOfActionId": str(kiel.page.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        result = payload(gql, kiel.open_call, **sent)
    assert result["errors"] == [] and result["status"] == "RECEIVED"
    idea = IdeaSubmission.objects.get()
    assert idea.reference == result["reference"]
    assert idea.title == "Mehr Bänke am Hafen"  # markup stripped, whitespace collapsed
    assert idea.home_page_id == kiel.home.pk and idea.field_of_action_id == kiel.page.pk
    assert idea.consent_text_version == "2026-01" and idea.consent_given_at is not None
    assert idea.client_address == "127.0.0.1"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["anna.beispiel@example.org"]
    assert idea.reference in mail.outbox[0].body

    # A retry with the same key and content returns the same reference and stores and mails nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert payload(gql, kiel.open_call, **sent)["reference"] == idea.reference
    assert IdeaSubmission.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.parametrize(
    "case, overrides, field, code",
    [
        ("missing consent", {"consent": False}, "consent", "required"),
        ("closed call", {"call": "closed_call"}, "callId", "call_closed"),
        ("upcoming call", {"call": "upcoming_call"}, "callId", "call_not_open_yet"),
        ("unknown call", {"callId": "999999"}, "callId", "unknown_call"),
        ("other city's call", {"call": "kassel_open_call"}, "callId", "unknown_call"),
        ("empty title", {"title": "   "}, "title", "required"),
        ("markup-only title", {"title": "<p></p>"}, "title", "required"),
        ("over-long title", {"title": "x" * 141}, "title", "too_long"),
        ("over-long description", {"description": "x" * 4001}, "description", "too_long"),
        ("invalid e-mail", {"email": "anna@"}, "email", "invalid"),
        ("filled honeypot", {"website": "http://spam.example"}, "website", "spam_suspected"),
        (
            "other city's field of action",
            {"fieldOfActionId": "kassel_page"},
            "fieldOfActionId",
            "unknown_field_of_action",
        ),
        ("draft field of action", {"fieldOfActionId": "kiel_draft"}, "fieldOfActionId", "unknown_field_of_action"),
        (
            "view-restricted field of action",
            {"fieldOfActionId": "kiel_restricted"},
            "fieldOfActionId",
            "unknown_field_of_action",
        ),
        ("malformed idempotency key", {"idempotencyKey": "kurz"}, "idempotencyKey", "invalid"),
    ],
)
def test_bad_input_gets_its_specific_error_and_stores_nothing(cities, gql, case, overrides, field, code):
    kiel, kassel = cities
    call = kiel.open_call
    overrides = dict(overrides)
    named_call = overrides.pop("call", None)
    if named_call == "kassel_open_call":
        overrides["callId"] = str(kassel.open_call.pk)
    elif named_call:
        call = getattr(kiel, named_call)
    if overrides.get("fieldOfActionId") == "kassel_page":
        overrides["fieldOfActionId"] = str(kassel.page.pk)
    if overrides.get("fieldOfActionId") == "kiel_draft":
        overrides["fieldOfActionId"] = str(kiel.draft.pk)
    if overrides.get("fieldOfActionId") == "kiel_restricted":
        PageViewRestriction.objects.create(page=kiel.page, restriction_type=PageViewRestriction.LOGIN)
        overrides["fieldOfActionId"] = str(kiel.page.pk)
    result = payload(gql, call, **overrides)
    assert result["reference"] is None
    assert (field, code) in [(error["field"], error["code"]) for error in result["errors"]], result
    assert all(error["message"] for error in result["errors"])
    assert IdeaSubmission.objects.count() == 0
    assert mail.outbox == []


def test_a_reused_idempotency_key_with_other_content_is_an_error(cities, gql):
    kiel, _kassel = cities
    first = payload(gql, kiel.open_call)
    result = payload(gql, kiel.open_call, title="Eine ganz andere Idee")
    assert result["reference"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("idempotencyKey", "idempotency_key_reused")]
    assert list(IdeaSubmission.objects.values_list("reference", "title")) == [
        (first["reference"], "Mehr Bänke am Hafen")
    ]


def test_a_flood_from_one_address_gets_http_429(cities, gql, settings):
    kiel, _kassel = cities
    settings.IDEA_RATE_LIMIT_PER_ADDRESS = 3
    for n in range(3):
        assert payload(gql, kiel.open_call, idempotencyKey=f"flood-key-{n:04d}", email=f"p{n}@example.org")["reference"]
    status, body = submit(gql, kiel.open_call, idempotencyKey="flood-key-0003", email="p3@example.org")
    assert status == 429
    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert IdeaSubmission.objects.count() == 3


def test_too_many_ideas_from_one_email_get_http_429(cities, gql, settings):
    kiel, _kassel = cities
    settings.IDEA_RATE_LIMIT_PER_EMAIL = 2
    for n in range(2):
        assert payload(gql, kiel.open_call, idempotencyKey=f"mail-key-{n:04d}", title=f"Idee Nummer {n}")["reference"]
    status, _body = submit(gql, kiel.open_call, idempotencyKey="mail-key-0002", title="Idee Nummer 2")
    assert status == 429
    assert IdeaSubmission.objects.count() == 2


def confirmation_link(message):
    return re.search(r"https?://\S+/ideen/bestaetigen/\S+/", message.body).group(0)


def test_the_confirmation_link_releases_the_idea_for_moderation(
    cities, gql, client, settings, django_capture_on_commit_callbacks
):
    kiel, _kassel = cities
    with django_capture_on_commit_callbacks(execute=True):
        payload(gql, kiel.open_call)
    idea = IdeaSubmission.objects.get()
    edit_url = reverse("ideen:edit", args=[idea.pk])

    # Before confirmation a moderator cannot move it on.
    moderator = client_for(kiel.moderator)
    response = moderator.post(edit_url, {"status": "in_review", "moderator_note": ""})
    assert "noch nicht bestätigt" in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.RECEIVED

    path = "/" + confirmation_link(mail.outbox[0]).split("/", 3)[3]
    assert client.get(path.replace("/bestaetigen/", "/bestaetigen/x")).status_code == 400
    response = client.get(path)
    assert response.status_code == 200 and idea.reference in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.CONFIRMED and idea.confirmed_at

    response = moderator.post(edit_url, {"status": "in_review", "moderator_note": "Prüfen mit dem Tiefbauamt."})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.IN_REVIEW

    settings.IDEA_CONFIRMATION_MAX_AGE = -1
    assert client.get(path).status_code == 400


def test_moderation_is_isolated_between_municipalities(cities):
    kiel, kassel = cities
    kiel_idea = IdeaSubmissionFactory(call=kiel.open_call, title=f"{kiel.marker} Idee")
    kassel_idea = IdeaSubmissionFactory(call=kassel.open_call, title=f"{kassel.marker} Idee")
    for own, other, other_idea in ((kiel, kassel, kassel_idea), (kassel, kiel, kiel_idea)):
        moderator = client_for(own.moderator)
        listing = moderator.get(reverse("ideen:index")).content.decode()
        assert own.marker in listing and other.marker not in listing
        filtered = moderator.get(reverse("ideen:index"), {"call": other.open_call.pk}).content.decode()
        assert other.marker not in filtered
        exported = moderator.get(reverse("ideen:index"), {"export": "csv"})
        rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
        assert [row["Titel"] for row in rows] == [f"{own.marker} Idee"]
        assert "Referenz" in rows[0] and not any("@" in value for value in rows[0].values())
        for name in ("ideen:edit", "ideen:inspect", "ideen:delete", "ideen:personal_data", "ideen:anonymise"):
            for method in ("get", "post"):
                response = getattr(moderator, method)(reverse(name, args=[other_idea.pk]))
                assert response.status_code == 404, (name, method, response.status_code)
        other_idea.refresh_from_db()
        assert other_idea.email and other_idea.status == IdeaStatus.CONFIRMED
        # Editors do not moderate at all.
        response = client_for(own.editor).get(reverse("ideen:index"))
        assert response.status_code in (302, 403) and own.marker not in response.content.decode()


def test_a_published_idea_shows_only_public_fields_and_its_pseudonym(cities, gql):
    kiel, _kassel = cities
    named = IdeaSubmissionFactory(
        call=kiel.open_call, status=IdeaStatus.PUBLISHED, display_name="Hafenfreundin", field_of_action=kiel.page
    )
    anonymous = IdeaSubmissionFactory(call=kiel.open_call, status=IdeaStatus.PUBLISHED, email="zweite@example.org")
    IdeaSubmissionFactory(call=kiel.open_call, status=IdeaStatus.ACCEPTED)
    ideas = gql.data(IDEAS_OF_CALL, {"id": kiel.open_call.pk, "site": "kiel.test"})["page"]["ideas"]
    assert [idea["reference"] for idea in ideas] == [named.reference, anonymous.reference]
    assert ideas[0]["author"] == "Hafenfreundin"
    assert ideas[0]["fieldOfAction"] == {"title": kiel.page.title}
    assert ideas[0]["status"] == "PUBLISHED"
    assert re.fullmatch(r"Teilnehmende·r \d{5}", ideas[1]["author"])
    # Stable: the same submitter on the same call always gets the same pseudonym.
    again = IdeaSubmissionFactory(call=kiel.open_call, status=IdeaStatus.PUBLISHED, email="ZWEITE@example.org")
    assert again.pseudonym == anonymous.pseudonym


PERSONAL_MARKERS = ["geheim.person@example.org", "Gesine Geheimname", "203.0.113.77", "consent-v-geheim"]
FORBIDDEN_FIELD_NAMES = {
    "email",
    "name",
    "displayName",
    "clientAddress",
    "consentTextVersion",
    "consentGivenAt",
    "idempotencyKey",
    "contentFingerprint",
    "moderatorNote",
    "keepTextAfterErasure",
    "pseudonym",
    "anonymisedAt",
}
INTROSPECTION = "{ __schema { types { name kind fields { name } } } }"


def test_no_query_path_reaches_personal_data(cities, gql):
    kiel, _kassel = cities
    IdeaSubmissionFactory(
        call=kiel.open_call,
        status=IdeaStatus.PUBLISHED,
        email=PERSONAL_MARKERS[0],
        name=PERSONAL_MARKERS[1],
        client_address=PERSONAL_MARKERS[2],
        consent_text_version=PERSONAL_MARKERS[3],
        moderator_note="interne Notiz geheim",
    )
    types = gql.data(INTROSPECTION)["__schema"]["types"]
    idea_type = next(t for t in types if t["name"] == "IdeaSubmission")
    assert {f["name"] for f in idea_type["fields"]} == {
        "id",
        "reference",
        "title",
        "description",
        "fieldOfAction",
        "status",
        "submittedOn",
        "author",
    }
    # Only the idea type could carry these fields; no other output type may either.
    for graphql_type in types:
        if graphql_type["kind"] == "OBJECT" and not graphql_type["name"].startswith("__"):
            exposed = {f["name"] for f in graphql_type["fields"] or []} & FORBIDDEN_FIELD_NAMES
            # Published on purpose: the team's functional contacts and partner organisations, never citizens.
            if graphql_type["name"] == "TeamMember":
                exposed -= {"name", "email"}
            if graphql_type["name"] == "ProjectPartner":
                exposed -= {"name"}
            assert not exposed, (graphql_type["name"], exposed)

    # Every entry point that can reach a call or its ideas, written in several ways, never returns the markers.
    queries = [
        (IDEAS_OF_CALL, {"id": kiel.open_call.pk, "site": "kiel.test"}),
        ('query ($q: String!) { search(query: $q, site: "kiel.test") { title } }', {"q": PERSONAL_MARKERS[0]}),
        ('query ($q: String!) { search(query: $q, site: "kiel.test") { title } }', {"q": "Gesine"}),
        ("{ callsForIdeas { ... on CallForIdeasPage { ideas { author title description reference } } } }", {}),
        ('{ municipality(site: "kiel.test") { callsForIdeas { ideas { author } } } }', {}),
        ('{ pages(site: "kiel.test") { ... on CallForIdeasPage { ideas { author } } } }', {}),
        (
            '{ page(site: "kiel.test", urlPath: "/ideenaufrufe/") '
            "{ children { ... on CallForIdeasPage { ideas { author } } } } }",
            {},
        ),
    ]
    for query, variables in queries:
        status, body = gql.post(query, variables, host="kiel.test")
        text = json.dumps(body, ensure_ascii=False)
        assert status == 200 and "errors" not in body, body
        for marker in PERSONAL_MARKERS + ["interne Notiz geheim"]:
            assert marker not in text, (query, marker)
    # Asking for a personal field by name is a validation error, not a silent null.
    status, body = gql.post(
        '{ page(site: "kiel.test", id: %d) { ... on CallForIdeasPage { ideas { email } } } }' % kiel.open_call.pk,
        host="kiel.test",
    )
    assert status == 400 and "Cannot query field 'email'" in body["errors"][0]["message"]


def test_gdpr_export_erase_and_retention(cities, settings):
    kiel, kassel = cities
    email = "betroffen@example.org"
    kept = IdeaSubmissionFactory(
        call=kiel.open_call, email=email, status=IdeaStatus.PUBLISHED, keep_text_after_erasure=True
    )
    removed = IdeaSubmissionFactory(call=kassel.open_call, email=email, status=IdeaStatus.PUBLISHED)
    other = IdeaSubmissionFactory(call=kiel.open_call, email="andere@example.org")

    out = io.StringIO()
    call_command("export_personal_data", "BETROFFEN@example.org", stdout=out)
    exported = json.loads(out.getvalue())
    assert {idea["reference"] for idea in exported["ideas"]} == {kept.reference, removed.reference}
    assert {idea["municipality"] for idea in exported["ideas"]} == {"Kiel", "Kassel"}
    assert all(idea["email"] == email and idea["consent_text_version"] for idea in exported["ideas"])

    call_command("erase_personal_data", email, stdout=io.StringIO())
    kept.refresh_from_db()
    assert kept.email == "" and kept.client_address is None and kept.consent_given_at is None and kept.anonymised_at
    assert kept.title and kept.status == IdeaStatus.PUBLISHED
    assert not IdeaSubmission.objects.filter(pk=removed.pk).exists()
    assert IdeaSubmission.objects.get(pk=other.pk).email == "andere@example.org"

    # Retention: ideas of calls closed more than N days ago lose their personal data.
    old = IdeaSubmissionFactory(call=kiel.closed_call, email="alt@example.org")
    call_command("anonymise_expired_ideas", "--days=30", stdout=io.StringIO())
    assert IdeaSubmission.objects.get(pk=old.pk).email == "alt@example.org"  # closed only yesterday
    call_command("anonymise_expired_ideas", "--days=0", stdout=io.StringIO())
    assert IdeaSubmission.objects.get(pk=old.pk).email == ""
    assert IdeaSubmission.objects.get(pk=other.pk).email == "andere@example.org"  # its call is still open


def test_admin_gdpr_actions_are_scoped_to_the_moderators_municipality(cities):
    kiel, kassel = cities
    email = "beide@example.org"
    kiel_idea = IdeaSubmissionFactory(call=kiel.open_call, email=email)
    IdeaSubmissionFactory(call=kassel.open_call, email=email)
    moderator = client_for(kiel.moderator)
    response = moderator.get(reverse("ideen:personal_data", args=[kiel_idea.pk]))
    data = json.loads(response.content)
    assert [idea["reference"] for idea in data["ideas"]] == [kiel_idea.reference]
    response = moderator.post(reverse("ideen:anonymise", args=[kiel_idea.pk]))
    assert response.status_code == 302
    kiel_idea.refresh_from_db()
    assert kiel_idea.email == "" and kiel_idea.anonymised_at
    assert IdeaSubmission.objects.filter(email=email).count() == 1
