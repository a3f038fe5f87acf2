"""Writes outbox rows for the public changes of a municipality's pages.

The webhooks do not decide themselves what is public. The one change pipeline (`cms.signals.public_changes`, sent by
the change feed's reconciliation with the publication and owner rules) says which pages became public, changed or
stopped being public, for whatever reason: publish, unpublish, delete, expiry, move, view restriction. This module
only translates its page changes into events:

- an upsert (created, published, changed, moved, restriction lifted, repaired by a sync) is `page.published`: the
  page is public with this data now. There is no separate update event; consumers already treat `page.published`
  as "show this page as it is now", and re-publishing a page always sent it;
- a tombstone with the action `delete` is `page.deleted`; every other tombstone (unpublished, expired, moved below
  a restricted page or out of the municipality, restricted) is `page.unpublished`.

The receiver runs inside the transaction of the change, after the feed's rows: if the change rolls back, so do the
event and the outbox rows, and the worker only ever sees events of committed changes. It is the only writer of
outbox rows; there is deliberately no second way to record an event beside the pipeline. Ideas, images and documents
are in the change feed but send no webhooks (the events and their payload describe pages).
"""

import uuid
from datetime import timedelta

from django.conf import settings

from cms import signals
from cms.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from sites.ownership import Owners

PAGE = "page"


def event_for(change):
    """The webhook event of a page change, or None for changes of other objects."""
    if change.object_type != PAGE or not change.municipality:
        return None
    if change.kind == signals.UPSERT:
        return WebhookEvent.PAGE_PUBLISHED
    if change.action == signals.DELETE:
        return WebhookEvent.PAGE_DELETED
    return WebhookEvent.PAGE_UNPUBLISHED


def page_data(change, municipality):
    """Public facts about the page only, as the feed announced them: nothing about who changed it."""
    return {
        "id": int(change.object_id),
        "type": change.content_type,
        "title": change.title,
        "url_path": change.url_path,
        "municipality": {"regional_key": change.municipality, "name": municipality.home_page.title},
    }


def delivery_for(endpoint, event, data, occurred_at):
    delivery_id = uuid.uuid4()
    payload = {"id": str(delivery_id), "event": event, "occurred_at": occurred_at.isoformat(), "page": data}
    return WebhookDelivery(
        endpoint=endpoint,
        event=event,
        payload=payload,
        delivery_id=delivery_id,
        created_at=occurred_at,
        next_attempt_at=occurred_at,
        expires_at=occurred_at + timedelta(hours=settings.WEBHOOK_MAX_AGE_HOURS),
    )


def on_public_changes(sender, changes, **kwargs):
    """Outbox rows for the page changes of one reconciliation, in the order the feed wrote them."""
    events = [(change, event_for(change)) for change in changes]
    events = [(change, event) for change, event in events if event is not None]
    if not events or not WebhookEndpoint.objects.filter(active=True).exists():
        return []
    owners = Owners()
    municipalities = {}
    for change, _ in events:
        if change.municipality not in municipalities:
            # None once the municipality is gone (removed with its endpoints): nothing is sent for its pages.
            municipalities[change.municipality] = owners.by_regional_key(change.municipality)
    endpoints = {}
    active = WebhookEndpoint.objects.filter(
        active=True, municipality__in=[item for item in municipalities.values() if item is not None]
    )
    for endpoint in active.order_by("pk"):
        endpoints.setdefault(endpoint.municipality_id, []).append(endpoint)
    deliveries = []
    for change, event in events:
        municipality = municipalities[change.municipality]
        if municipality is None:
            continue
        data = page_data(change, municipality)
        deliveries += [
            delivery_for(endpoint, event, data, change.occurred_at)
            for endpoint in endpoints.get(municipality.pk, [])
            if endpoint.subscribes_to(event)
        ]
    WebhookDelivery.objects.bulk_create(deliveries)
    return deliveries


def connect():
    signals.public_changes.connect(on_public_changes, dispatch_uid="cms.webhooks.on_public_changes")
