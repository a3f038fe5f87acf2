"""Publish webhooks: outbox rows written with the change, signed deliveries with retries, URL checks, admin scoping."""

import hashlib
import hmac
import importlib
import io
import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.changefeed.models import ChangeEvent
from cms.webhooks import validation
from cms.webhooks.delivery import body_of, deliver_due
from cms.webhooks.forms import WebhookEndpointForm
from cms.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent
from regions.fields_of_action.models import FieldOfActionPage
from sites.models import ContentPage, Municipality
from sites.onboarding import remove_municipality
from tests.tenancy import build_city, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def kiel(db):
    return build_city("Kiel", "010020000000", "kiel.test")


@pytest.fixture
def cities(db):
    return build_city("Kiel", "010020000000", "kiel.test"), build_city("Kassel", "066110000000", "kassel.test")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Receiver:
    """A real HTTP receiver on 127.0.0.1 that checks every signature and can be told to fail."""

    def __init__(self, secret, port):
        self.secret = secret.encode()
        self.port = port
        self.failing = False
        self.accepted = []
        self.rejected = 0
        self.bad_signatures = 0
        self.server = None
        self.thread = None

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(receiver.secret, body, hashlib.sha256).hexdigest()
                if not hmac.compare_digest(expected, self.headers.get("X-Smartcity-Signature", "")):
                    receiver.bad_signatures += 1
                    self.send_response(401)
                elif receiver.failing:
                    receiver.rejected += 1
                    self.send_response(500)
                else:
                    payload = json.loads(body)
                    assert payload["id"] == self.headers["X-Smartcity-Delivery"]
                    assert payload["event"] == self.headers["X-Smartcity-Event"]
                    assert self.headers["Content-Type"] == "application/json"
                    assert self.headers["X-Smartcity-Timestamp"].isdigit()
                    receiver.accepted.append(payload)
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def endpoint_for(city, url, events=None):
    endpoint = WebhookEndpoint(municipality=city.municipality, url=url)
    if events is not None:
        endpoint.events = events
    endpoint.full_clean()
    endpoint.save()
    return endpoint


def publish(page):
    page.save_revision().publish()


def test_every_event_arrives_exactly_once_and_in_order_after_the_receiver_was_down_for_an_hour(kiel):
    port = free_port()
    endpoint = endpoint_for(kiel, f"http://127.0.0.1:{port}/hook")
    receiver = Receiver(endpoint.secret, port)
    receiver.failing = True
    receiver.start()

    index = kiel.page.get_parent()
    # Created as a draft and then published, as the admin does.
    second = index.add_child(instance=FieldOfActionPage(title="Zweites Handlungsfeld", teaser="Zwei.", live=False))
    publish(second)
    kiel.page.title = "Umbenannt"
    publish(kiel.page)
    kiel.page.unpublish()
    second.refresh_from_db()
    second.delete()
    expected = list(WebhookDelivery.objects.order_by("id").values_list("event", "payload__page__id"))
    assert expected == [
        (WebhookEvent.PAGE_PUBLISHED, second.pk),
        (WebhookEvent.PAGE_PUBLISHED, kiel.page.pk),
        (WebhookEvent.PAGE_UNPUBLISHED, kiel.page.pk),
        (WebhookEvent.PAGE_DELETED, second.pk),
    ]

    start = timezone.now()
    clock = start
    try:
        # First half hour: the receiver answers 500; then nothing listens on the port at all, for the rest of the
        # hour and at least until one more attempt was made (the backoff has jitter, so when that is varies).
        while clock < start + timedelta(minutes=30):
            deliver_due(now=clock)
            clock += timedelta(minutes=1)
        receiver.stop()
        receiver.server = None
        attempts_while_answering = WebhookDelivery.objects.order_by("id").first().attempts
        while clock < start + timedelta(hours=1) or (
            WebhookDelivery.objects.order_by("id").first().attempts == attempts_while_answering
        ):
            assert clock < start + timedelta(hours=2), "no further attempt after the receiver went away"
            deliver_due(now=clock)
            clock += timedelta(minutes=1)
        assert receiver.accepted == []
        assert receiver.rejected > 1
        head = WebhookDelivery.objects.order_by("id").first()
        assert head.status == DeliveryStatus.PENDING and head.attempts > 5 and head.last_status_code is None
        assert "ConnectionError" in head.last_error
        assert not WebhookDelivery.objects.filter(status=DeliveryStatus.FAILED).exists()
        # Later events have not been tried while the oldest one was failing: that is what keeps the order.
        assert list(WebhookDelivery.objects.order_by("id").values_list("attempts", flat=True))[1:] == [0, 0, 0]

        receiver.failing = False
        receiver.start()
        while WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).exists():
            assert clock < start + timedelta(hours=4), "deliveries still pending long after the receiver came back"
            deliver_due(now=clock)
            clock += timedelta(minutes=1)
        # Further runs send nothing again.
        deliver_due(now=clock + timedelta(days=1))
    finally:
        if receiver.server is not None:
            receiver.stop()

    assert receiver.bad_signatures == 0
    ids = [payload["id"] for payload in receiver.accepted]
    assert len(ids) == len(set(ids)) == 4
    assert set(ids) == {str(value) for value in WebhookDelivery.objects.values_list("delivery_id", flat=True)}
    assert [(payload["event"], payload["page"]["id"]) for payload in receiver.accepted] == expected
    assert receiver.accepted[1]["page"]["title"] == "Umbenannt"
    assert receiver.accepted[3]["page"]["url_path"] == "/handlungsfelder/zweites-handlungsfeld/"
    assert not WebhookDelivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists()


def test_the_worker_command_sends_what_is_due_and_exits_with_once(kiel):
    port = free_port()
    endpoint = endpoint_for(kiel, f"http://127.0.0.1:{port}/hook")
    receiver = Receiver(endpoint.secret, port)
    receiver.start()
    try:
        publish(kiel.page)
        publish(kiel.home)
        out = io.StringIO()
        call_command("deliver_webhooks", "--once", "--max-batch", "1", stdout=out)
    finally:
        receiver.stop()
    assert "2 Zustellversuch(e)." in out.getvalue()
    assert [payload["page"]["id"] for payload in receiver.accepted] == [kiel.page.pk, kiel.home.pk]
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}


def test_retry_schedule_backs_off_exponentially_up_to_the_cap_and_gives_up_only_after_the_maximum_age(kiel, settings):
    settings.WEBHOOK_BACKOFF_BASE_SECONDS = 30
    settings.WEBHOOK_BACKOFF_MAX_SECONDS = 3600
    port = free_port()  # Nothing listens there.
    endpoint_for(kiel, f"http://127.0.0.1:{port}/hook")
    publish(kiel.page)
    delivery = WebhookDelivery.objects.get()
    clock = delivery.created_at
    delays = []
    while delivery.status == DeliveryStatus.PENDING:
        deliver_due(now=clock)
        delivery.refresh_from_db()
        if delivery.status == DeliveryStatus.PENDING:
            delays.append((delivery.next_attempt_at - clock).total_seconds())
            clock = delivery.next_attempt_at
    assert 22.5 <= delays[0] <= 30 and 45 <= delays[1] <= 60 and 90 <= delays[2] <= 120
    assert max(delays) <= 3600 and 2700 <= delays[10] <= 3600
    assert delivery.status == DeliveryStatus.FAILED
    assert clock >= delivery.created_at + timedelta(hours=settings.WEBHOOK_MAX_AGE_HOURS)


def test_the_outbox_row_is_part_of_the_transaction_of_the_change(kiel):
    endpoint_for(kiel, "http://127.0.0.1:9/hook")

    with pytest.raises(RollbackError), transaction.atomic():
        publish(kiel.page)
        assert WebhookDelivery.objects.count() == 1
        raise RollbackError
    assert not WebhookDelivery.objects.exists()

    with pytest.raises(RollbackError), transaction.atomic():
        FieldOfActionPage.objects.get(pk=kiel.page.pk).delete()
        assert WebhookDelivery.objects.filter(event=WebhookEvent.PAGE_DELETED).count() == 1
        raise RollbackError
    assert not WebhookDelivery.objects.exists()

    publish(FieldOfActionPage.objects.get(pk=kiel.page.pk))
    assert WebhookDelivery.objects.count() == 1


def test_only_public_pages_of_the_own_municipality_and_subscribed_events_produce_deliveries(cities):
    kiel, kassel = cities
    endpoint_for(kiel, "http://127.0.0.1:9/alle")
    endpoint_for(kiel, "http://127.0.0.1:9/nur-loeschen", events=[WebhookEvent.PAGE_DELETED])
    WebhookEndpoint.objects.create(municipality=kiel.municipality, url="http://127.0.0.1:9/aus", active=False)

    publish(kassel.page)
    kiel.draft.save_revision()
    kiel.draft.delete()
    assert not WebhookDelivery.objects.exists()

    # A view restriction takes the page out of the public content: the subscribers hear that it is gone ...
    PageViewRestriction.objects.create(page=kiel.page, restriction_type=PageViewRestriction.LOGIN)
    assert list(WebhookDelivery.objects.values_list("endpoint__url", "event", "payload__page__id")) == [
        ("http://127.0.0.1:9/alle", WebhookEvent.PAGE_UNPUBLISHED, kiel.page.pk)
    ]
    # ... and nothing about what happens to it behind the restriction, also not while its restriction is deleted
    # together with it (the restriction goes before the page's own row).
    publish(kiel.page)
    kiel.page.delete()
    assert WebhookDelivery.objects.count() == 1

    publish(kiel.home)
    assert list(WebhookDelivery.objects.order_by("id").values_list("endpoint__url", "event")) == [
        ("http://127.0.0.1:9/alle", WebhookEvent.PAGE_UNPUBLISHED),
        ("http://127.0.0.1:9/alle", WebhookEvent.PAGE_PUBLISHED),
    ]


class RollbackError(Exception):
    pass


def feed(*pages):
    """The change feed's events for the pages, as (kind, action, page id)."""
    keys = {f"page:{page.pk}": page.pk for page in pages}
    return [
        (kind, action, keys[key])
        for kind, action, key in ChangeEvent.objects.filter(object_key__in=keys)
        .order_by("id")
        .values_list("kind", "action", "object_key")
    ]


def outbox(**filters):
    return sorted(WebhookDelivery.objects.filter(**filters).values_list("event", "payload__page__id"))


def test_a_view_restriction_writes_the_feed_tombstone_and_page_unpublished_in_one_transaction(kiel):
    endpoint_for(kiel, "http://127.0.0.1:9/hook")
    before = feed(kiel.page)

    with pytest.raises(RollbackError), transaction.atomic():
        PageViewRestriction.objects.create(page=kiel.page, restriction_type=PageViewRestriction.PASSWORD, password="x")
        assert feed(kiel.page)[len(before) :] == [("tombstone", "restrict", kiel.page.pk)]
        assert outbox() == [(WebhookEvent.PAGE_UNPUBLISHED, kiel.page.pk)]
        raise RollbackError
    assert feed(kiel.page) == before and not WebhookDelivery.objects.exists()

    restriction = PageViewRestriction.objects.create(
        page=kiel.page, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    restriction.delete()
    assert feed(kiel.page)[len(before) :] == [
        ("tombstone", "restrict", kiel.page.pk),
        ("upsert", "restrict", kiel.page.pk),
    ]
    assert [event for event, _ in WebhookDelivery.objects.order_by("id").values_list("event", "id")] == [
        WebhookEvent.PAGE_UNPUBLISHED,
        WebhookEvent.PAGE_PUBLISHED,
    ]


def test_a_page_moved_below_a_restricted_page_leaves_the_feed_and_the_webhooks_together(kiel):
    restricted = kiel.home.add_child(instance=ContentPage(title="Intern", slug="intern"))
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    endpoint_for(kiel, "http://127.0.0.1:9/hook")
    index = kiel.page.get_parent()
    before = feed(kiel.page)

    with pytest.raises(RollbackError), transaction.atomic():
        FieldOfActionPage.objects.get(pk=kiel.page.pk).move(restricted, pos="last-child")
        assert feed(kiel.page)[len(before) :] == [("tombstone", "move", kiel.page.pk)]
        assert outbox() == [(WebhookEvent.PAGE_UNPUBLISHED, kiel.page.pk)]
        raise RollbackError
    assert feed(kiel.page) == before and not WebhookDelivery.objects.exists()

    # The rollback left the in-memory tree counters of `restricted` behind.
    restricted.refresh_from_db()
    FieldOfActionPage.objects.get(pk=kiel.page.pk).move(restricted, pos="last-child")
    delivery = WebhookDelivery.objects.get()
    # The tombstone says where the page was public: its old path.
    assert delivery.event == WebhookEvent.PAGE_UNPUBLISHED
    assert delivery.payload["page"]["url_path"] == f"/handlungsfelder/{kiel.page.slug}/"

    FieldOfActionPage.objects.get(pk=kiel.page.pk).move(kiel.home, pos="last-child")
    assert feed(kiel.page)[len(before) :] == [("tombstone", "move", kiel.page.pk), ("upsert", "move", kiel.page.pk)]
    delivery = WebhookDelivery.objects.order_by("id").last()
    assert delivery.event == WebhookEvent.PAGE_PUBLISHED and delivery.payload["page"]["url_path"] == (
        f"/{kiel.page.slug}/"
    )
    # A restriction on a section takes every public page below it out, each with its own event.
    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    assert outbox(event=WebhookEvent.PAGE_UNPUBLISHED) == sorted(
        [(WebhookEvent.PAGE_UNPUBLISHED, kiel.page.pk), (WebhookEvent.PAGE_UNPUBLISHED, index.pk)]
    )


def test_a_page_moved_to_another_municipality_leaves_one_and_arrives_in_the_other(cities):
    kiel, kassel = cities
    endpoint_for(kiel, "http://127.0.0.1:9/kiel")
    endpoint_for(kassel, "http://127.0.0.1:9/kassel")
    FieldOfActionPage.objects.get(pk=kiel.page.pk).move(kassel.home, pos="last-child")
    deliveries = {delivery.endpoint.url: delivery for delivery in WebhookDelivery.objects.select_related("endpoint")}
    assert set(deliveries) == {"http://127.0.0.1:9/kiel", "http://127.0.0.1:9/kassel"}
    left, arrived = deliveries["http://127.0.0.1:9/kiel"], deliveries["http://127.0.0.1:9/kassel"]
    assert left.event == WebhookEvent.PAGE_UNPUBLISHED and arrived.event == WebhookEvent.PAGE_PUBLISHED
    assert left.payload["page"]["municipality"] == {"regional_key": "010020000000", "name": "Kiel"}
    assert arrived.payload["page"]["municipality"] == {"regional_key": "066110000000", "name": "Kassel"}
    assert arrived.payload["page"]["url_path"] == f"/{kiel.page.slug}/"


def test_deleting_a_live_section_sends_page_deleted_for_every_public_page_in_it(kiel):
    endpoint_for(kiel, "http://127.0.0.1:9/hook")
    index = kiel.page.get_parent()
    pages = (index, kiel.page)
    index.delete()
    # The draft below it was never public: no event for it, in the feed or the outbox.
    assert sorted(feed(*pages, kiel.draft)[-2:]) == sorted(("tombstone", "delete", page.pk) for page in pages)
    assert not feed(kiel.draft)
    assert outbox() == sorted((WebhookEvent.PAGE_DELETED, page.pk) for page in pages)
    urls = set(WebhookDelivery.objects.values_list("payload__page__url_path", flat=True))
    assert urls == {"/handlungsfelder/", f"/handlungsfelder/{kiel.page.slug}/"}


def test_removing_a_municipality_removes_its_endpoints_without_sending_events(kiel):
    endpoint_for(kiel, "http://127.0.0.1:9/hook")
    remove_municipality(kiel.municipality)
    assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()


def test_the_payload_contains_public_page_facts_only(kiel):
    kiel.moderator.email = "freigabe@kiel.test"
    kiel.moderator.first_name = "Frieda"
    kiel.moderator.save()
    endpoint_for(kiel, "http://127.0.0.1:9/hook")
    kiel.page.save_revision(user=kiel.moderator).publish(user=kiel.moderator)
    kiel.page.unpublish(user=kiel.moderator)
    kiel.page.save_revision(user=kiel.moderator).publish(user=kiel.moderator)
    kiel.page.delete(user=kiel.moderator)
    deliveries = list(WebhookDelivery.objects.order_by("id"))
    assert [delivery.event for delivery in deliveries] == [
        WebhookEvent.PAGE_PUBLISHED,
        WebhookEvent.PAGE_UNPUBLISHED,
        WebhookEvent.PAGE_PUBLISHED,
        WebhookEvent.PAGE_DELETED,
    ]
    for delivery in deliveries:
        payload = delivery.payload
        assert set(payload) == {"id", "event", "occurred_at", "page"}
        assert set(payload["page"]) == {"id", "type", "title", "url_path", "municipality"}
        assert payload["page"]["municipality"] == {"regional_key": "010020000000", "name": "Kiel"}
        assert payload["page"]["type"] == "fields_of_action.FieldOfActionPage"
        body = body_of(delivery).decode()
        for personal in (kiel.moderator.username, "freigabe@kiel.test", "Frieda", '"user', "owner", "email"):
            assert personal not in body


URL_CASES = [
    ("ftp://hooks.example.org/x", "http"),
    ("javascript:alert(1)", "gültige URL"),
    ("https://kiel.test/hook", "diese CMS-Instanz"),
    ("https://KIEL.test./hook", "diese CMS-Instanz"),
    ("http://localhost:8000/api", "diese CMS-Instanz"),
    ("https://api.cms.example.de/hook", "diese CMS-Instanz"),
    ("http://127.0.0.1:9/hook", "interne Adresse"),
    ("http://10.1.2.3/hook", "interne Adresse"),
    ("http://192.168.0.10/hook", "interne Adresse"),
    ("http://169.254.169.254/latest/meta-data", "interne Adresse"),
    ("http://[::1]/hook", "interne Adresse"),
    ("http://[::ffff:127.0.0.1]/hook", "interne Adresse"),
    ("http://intern.example.org/hook", "interne Adresse"),
    ("http://gibtsnicht.example.org/hook", "nicht auflösen"),
]


@pytest.fixture
def strict_targets(settings, monkeypatch):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    settings.ALLOWED_HOSTS = ["*", ".cms.example.de"]
    settings.WAGTAILADMIN_BASE_URL = "http://localhost:8000"
    real_getaddrinfo = socket.getaddrinfo
    names = {"intern.example.org": "10.0.0.7", "hooks.example.org": "93.184.216.34"}

    def fake_getaddrinfo(host, port, *args, **kwargs):
        # No DNS in the test environment; IP literals still go through the real resolver.
        if host in names:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (names[host], port))]
        if host.endswith(".example.org"):
            raise socket.gaierror("unknown host")
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(validation.socket, "getaddrinfo", fake_getaddrinfo)


@pytest.mark.parametrize(("url", "message"), URL_CASES)
def test_the_form_refuses_urls_that_are_not_http_or_point_at_this_instance_or_an_internal_network(
    kiel, strict_targets, url, message
):
    form = WebhookEndpointForm(
        data={"municipality": kiel.municipality.pk, "url": url, "events": [WebhookEvent.PAGE_PUBLISHED]},
        municipalities=Municipality.objects.filter(pk=kiel.municipality.pk),
    )
    assert not form.is_valid()
    assert message in " ".join(form.errors["url"]), form.errors


def test_the_form_accepts_a_public_https_url(kiel, strict_targets):
    form = WebhookEndpointForm(
        data={"municipality": kiel.municipality.pk, "url": "https://hooks.example.org/cms", "events": ["page.deleted"]},
        municipalities=Municipality.objects.filter(pk=kiel.municipality.pk),
    )
    assert form.is_valid(), form.errors
    endpoint = form.save()
    assert endpoint.events == ["page.deleted"] and len(endpoint.secret) >= 40


def test_private_targets_are_refused_by_the_model_and_at_delivery_time(kiel, strict_targets):
    endpoint = WebhookEndpoint(municipality=kiel.municipality, url="http://127.0.0.1:9/hook")
    with pytest.raises(Exception, match="interne Adresse"):
        endpoint.full_clean()
    # Saved around the checks, e.g. before the setting was switched off: the worker refuses to send.
    endpoint.save()
    publish(kiel.page)
    deliver_due()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.last_error.startswith("URL abgelehnt") and delivery.last_status_code is None


def test_a_redirect_is_not_followed(kiel):
    port = free_port()

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(307)
            self.send_header("Location", "http://169.254.169.254/")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        endpoint_for(kiel, f"http://127.0.0.1:{port}/hook")
        publish(kiel.page)
        deliver_due()
    finally:
        server.shutdown()
        server.server_close()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_status_code == 307
    assert "Weiterleitung" in delivery.last_error


def test_a_moderator_creates_an_endpoint_and_sees_its_secret_once(kiel):
    moderator = client_for(kiel.moderator)
    response = moderator.post(
        reverse("webhooks:add"),
        {"municipality": kiel.municipality.pk, "name": "Portal", "url": "ftp://x.example.org/", "events": []},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nur URLs mit http:// oder https:// sind erlaubt." in content
    assert "Bitte mindestens ein Ereignis auswählen." in content

    response = moderator.post(
        reverse("webhooks:add"),
        {
            "municipality": kiel.municipality.pk,
            "name": "Portal",
            "url": "http://127.0.0.1:9/hook",
            "events": ["page.published", "page.deleted"],
            "active": "on",
        },
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("webhooks:secret", args=[endpoint.pk])
    assert endpoint.secret in moderator.get(response["Location"]).content.decode()
    assert endpoint.secret not in moderator.get(response["Location"]).content.decode()
    assert endpoint.secret not in moderator.get(reverse("webhooks:inspect", args=[endpoint.pk])).content.decode()
    edit = moderator.get(reverse("webhooks:edit", args=[endpoint.pk]))
    assert edit.status_code == 200 and endpoint.secret not in edit.content.decode()
    old = endpoint.secret
    response = moderator.post(reverse("webhooks:secret", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret in moderator.get(response["Location"]).content.decode()


def test_webhooks_and_deliveries_are_isolated_between_municipalities(cities):
    kiel, kassel = cities
    for city in cities:
        endpoint_for(city, f"http://127.0.0.1:9/{city.marker}")
        publish(city.page)
    WebhookDelivery.objects.update(status=DeliveryStatus.FAILED, last_error="HTTP 500")
    for own, other in ((kiel, kassel), (kassel, kiel)):
        other_endpoint = WebhookEndpoint.objects.get(municipality=other.municipality)
        other_delivery = WebhookDelivery.objects.get(endpoint=other_endpoint)
        moderator = client_for(own.moderator)

        listing = moderator.get(reverse("webhooks:index")).content.decode()
        assert own.marker in listing and other.marker not in listing
        deliveries = moderator.get(reverse("webhook_deliveries:index")).content.decode()
        assert own.marker in deliveries and other.marker not in deliveries
        filtered = moderator.get(reverse("webhook_deliveries:index"), {"endpoint": other_endpoint.pk})
        assert other.marker not in filtered.content.decode()
        failed = moderator.get(reverse("webhook_deliveries:index"), {"status": "failed"}).content.decode()
        assert own.marker in failed

        form = moderator.get(reverse("webhooks:add")).content.decode()
        assert other.municipality.home_page.title not in form
        response = moderator.post(
            reverse("webhooks:add"),
            {"municipality": other.municipality.pk, "url": "http://127.0.0.1:9/x", "events": ["page.published"]},
        )
        assert response.status_code == 200 and WebhookEndpoint.objects.count() == 2

        for name in ("edit", "delete", "inspect", "history", "usage", "secret"):
            for method in ("get", "post"):
                response = getattr(moderator, method)(reverse(f"webhooks:{name}", args=[other_endpoint.pk]))
                assert response.status_code == 404, (name, method, response.status_code)
        for name in ("edit", "delete", "inspect", "history", "usage", "retry"):
            for method in ("get", "post"):
                response = getattr(moderator, method)(reverse(f"webhook_deliveries:{name}", args=[other_delivery.pk]))
                assert response.status_code == 404, (name, method, response.status_code)
        assert WebhookEndpoint.objects.filter(pk=other_endpoint.pk).exists()
        other_delivery.refresh_from_db()
        assert other_delivery.status == DeliveryStatus.FAILED

        editor = client_for(own.editor)
        for url in (reverse("webhooks:index"), reverse("webhook_deliveries:index"), reverse("webhooks:add")):
            response = editor.get(url)
            assert response.status_code in (302, 403) and own.marker not in response.content.decode()
        own_endpoint = WebhookEndpoint.objects.get(municipality=own.municipality)
        assert editor.get(reverse("webhooks:secret", args=[own_endpoint.pk])).status_code == 404


def test_a_moderator_sends_a_failed_delivery_again(kiel):
    endpoint_for(kiel, "http://127.0.0.1:9/hook")
    publish(kiel.page)
    delivery = WebhookDelivery.objects.get()
    delivery.status = DeliveryStatus.FAILED
    delivery.next_attempt_at = delivery.expires_at = timezone.now() - timedelta(hours=1)
    delivery.save()
    moderator = client_for(kiel.moderator)
    inspect = moderator.get(reverse("webhook_deliveries:inspect", args=[delivery.pk])).content.decode()
    assert "Jetzt erneut senden" in inspect
    assert moderator.post(reverse("webhook_deliveries:retry", args=[delivery.pk])).status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at <= timezone.now()
    assert delivery.expires_at > timezone.now() + timedelta(hours=71)
    # Deliveries are written by the system only.
    assert moderator.get(reverse("webhook_deliveries:edit", args=[delivery.pk])).status_code in (302, 403)
    assert moderator.post(reverse("webhook_deliveries:delete", args=[delivery.pk])).status_code in (302, 403)
    assert WebhookDelivery.objects.filter(pk=delivery.pk).exists()


def test_the_data_migration_grants_existing_moderators_what_onboarding_grants_new_ones(kiel):
    from django.apps import apps

    migration = importlib.import_module("cms.webhooks.migrations.0002_moderator_permissions")
    group = kiel.municipality.moderators_group
    granted = set(group.permissions.filter(content_type__app_label="webhooks").values_list("codename", flat=True))
    assert granted == {codename for codenames in migration.PERMISSIONS.values() for codename in codenames}
    group.permissions.remove(*group.permissions.filter(content_type__app_label="webhooks"))
    migration.grant_moderators(apps, None)
    assert set(group.permissions.filter(content_type__app_label="webhooks").values_list("codename", flat=True)) == (
        granted
    )
    assert not kiel.municipality.editors_group.permissions.filter(content_type__app_label="webhooks").exists()
