"""Sends pending webhook deliveries: signed POSTs, retries with exponential backoff, strict order per endpoint.

Order: the deliveries of one endpoint are sent strictly in the order they were written (by id). A delivery that fails
blocks the later ones of the same endpoint until it succeeds or is given up, so a receiver sees the events of a page
in the order they happened. Each attempt locks the endpoint row (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL), so
that several workers can run side by side without sending one endpoint's events concurrently or twice.

Guarantee: at least once. The delivery's status is committed right after the receiver answered; a worker that dies in
between sends the event again, with the same delivery id, which receivers use to drop duplicates.
"""

import hashlib
import hmac
import json
import logging
import random
from datetime import timedelta

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from cms.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from cms.webhooks.validation import validate_webhook_url

logger = logging.getLogger(__name__)

USER_AGENT = "Smartcity-CMS-Webhooks/1"


def body_of(delivery):
    """The exact bytes that are sent and signed; stable across retries."""
    return json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def signature(secret, body):
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def backoff_delay(attempts):
    """Seconds until the next attempt after `attempts` failed ones: doubling from the base up to the cap, with jitter.

    The jitter only shortens the delay (by up to a quarter), so that the cap stays a true upper bound while receivers
    that come back are not hit by all workers' retries at the same second.
    """
    base = settings.WEBHOOK_BACKOFF_BASE_SECONDS
    delay = min(base * 2 ** max(attempts - 1, 0), settings.WEBHOOK_BACKOFF_MAX_SECONDS)
    return delay * random.uniform(0.75, 1.0)


def _locked(queryset):
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset


def _send(delivery, endpoint, now):
    """POST the delivery; returns (HTTP status or None, error text or "")."""
    try:
        validate_webhook_url(endpoint.url)
    except ValidationError as error:
        return None, "URL abgelehnt: " + " ".join(error.messages)
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Smartcity-Event": delivery.event,
        "X-Smartcity-Delivery": str(delivery.delivery_id),
        "X-Smartcity-Signature": signature(endpoint.secret, body),
        "X-Smartcity-Timestamp": str(int(now.timestamp())),
    }
    try:
        # Redirects are not followed: the target was checked, the place it redirects to was not.
        response = requests.post(
            endpoint.url,
            data=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        return None, f"{type(error).__name__}: {error}"[:1000]
    response.close()
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    if 300 <= response.status_code < 400:
        return response.status_code, f"HTTP {response.status_code}: Weiterleitungen werden nicht verfolgt."
    return response.status_code, f"HTTP {response.status_code}"


def attempt(delivery, endpoint, now):
    """Send one delivery and record the outcome; returns True if the receiver accepted it."""
    status_code, error = _send(delivery, endpoint, now)
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = status_code
    delivery.last_error = error
    if not error:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
    elif now >= delivery.expires_at:
        delivery.status = DeliveryStatus.FAILED
        logger.warning(
            "Webhook delivery %s given up after %s attempts: %s", delivery.delivery_id, delivery.attempts, error
        )
    else:
        # The last attempt falls on the expiry time at the latest, so no delivery is given up early.
        delivery.next_attempt_at = min(now + timedelta(seconds=backoff_delay(delivery.attempts)), delivery.expires_at)
    delivery.save(
        update_fields=[
            "attempts",
            "last_attempt_at",
            "last_status_code",
            "last_error",
            "status",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    return not error


def _endpoints_with_due_head(now):
    heads = (
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, endpoint__active=True)
        .values("endpoint_id")
        .annotate(head=Min("id"))
        .values_list("head", flat=True)
    )
    return list(
        WebhookDelivery.objects.filter(id__in=list(heads), next_attempt_at__lte=now)
        .order_by("id")
        .values_list("endpoint_id", flat=True)
    )


def _deliver_next(endpoint_id, now):
    """Send the oldest pending delivery of the endpoint if it is due; None if there was nothing to do."""
    with transaction.atomic():
        endpoint = _locked(WebhookEndpoint.objects.filter(pk=endpoint_id, active=True)).first()
        if endpoint is None:
            return None  # Deactivated, deleted, or another worker is sending its events right now.
        pending = WebhookDelivery.objects.filter(endpoint_id=endpoint_id, status=DeliveryStatus.PENDING)
        delivery = pending.order_by("id").first()
        if delivery is None or delivery.next_attempt_at > now:
            return None
        return attempt(delivery, endpoint, now)


def deliver_due(now=None, max_batch=100):
    """Send due deliveries, at most `max_batch` attempts; returns the number of attempts made.

    `now` is the clock the schedule is computed with; tests pass a later time to simulate hours passing.
    """
    attempts = 0
    for endpoint_id in _endpoints_with_due_head(now or timezone.now()):
        while attempts < max_batch:
            current = now or timezone.now()
            result = _deliver_next(endpoint_id, current)
            if result is None:
                break
            attempts += 1
            if result is False:
                break  # Later deliveries of this endpoint wait for this one.
        if attempts >= max_batch:
            break
    return attempts


def retry_now(delivery):
    """Put a failed delivery back into the queue, due at once, with a fresh maximum age."""
    now = timezone.now()
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = now
    delivery.expires_at = now + timedelta(hours=settings.WEBHOOK_MAX_AGE_HOURS)
    delivery.save(update_fields=["status", "next_attempt_at", "expires_at"])
