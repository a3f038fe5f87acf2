"""Writes outbox rows when pages of a municipality are published, unpublished or deleted.

The rows are written synchronously from the signal receivers, i.e. inside whatever transaction the change runs in
(Wagtail's admin views wrap publishing and deleting in one): if the change rolls back, so does the event, and the
worker only ever sees events of committed changes. Only pages that are (or were, until this change) public get events,
so that drafts and pages behind a view restriction never leave the instance. Deleting a live page sends
page.deleted only (not page.unpublished as well).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from cms.api.state import page_is_public, restricted_page_paths
from cms.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from sites.models import Municipality

_DELETED_ATTRIBUTE = "_webhook_deleted_event"


def municipality_of(page):
    """The municipality whose tree holds the page: the one whose home page path is a prefix of the page's path."""
    prefixes = [page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)]
    return Municipality.objects.select_related("home_page").filter(home_page__path__in=prefixes).first()


def _is_restricted(page):
    return any(page.path.startswith(path) for path in restricted_page_paths())


def _relative_url_path(page, home):
    """The path below the municipality's site root, as the GraphQL API's `urlPath` has it."""
    if page.url_path.startswith(home.url_path):
        return "/" + page.url_path[len(home.url_path) :]
    return page.url_path


def page_data(page, municipality):
    """Public facts about the page only: nothing about who changed it."""
    content_type = page.cached_content_type
    home = municipality.home_page
    return {
        "id": page.pk,
        "type": f"{content_type.app_label}.{content_type.model_class().__name__}"
        if content_type.model_class()
        else content_type.model,
        "title": page.title,
        "url_path": _relative_url_path(page, home),
        "municipality": {"regional_key": home.regional_key, "name": home.title},
    }


def _endpoints(municipality_id, event):
    endpoints = WebhookEndpoint.objects.filter(municipality_id=municipality_id, active=True)
    return [endpoint for endpoint in endpoints if endpoint.subscribes_to(event)]


def record_event(municipality_id, event, data, occurred_at=None):
    """One pending delivery per active endpoint of the municipality that subscribed to the event."""
    occurred_at = occurred_at or timezone.now()
    deliveries = []
    for endpoint in _endpoints(municipality_id, event):
        delivery_id = uuid.uuid4()
        payload = {"id": str(delivery_id), "event": event, "occurred_at": occurred_at.isoformat(), "page": data}
        deliveries.append(
            WebhookDelivery(
                endpoint=endpoint,
                event=event,
                payload=payload,
                delivery_id=delivery_id,
                created_at=occurred_at,
                next_attempt_at=occurred_at,
                expires_at=occurred_at + timedelta(hours=settings.WEBHOOK_MAX_AGE_HOURS),
            )
        )
    WebhookDelivery.objects.bulk_create(deliveries)
    return deliveries


def _has_endpoints(municipality):
    return municipality is not None and WebhookEndpoint.objects.filter(municipality=municipality, active=True).exists()


@receiver(page_published)
def on_page_published(sender, instance, **kwargs):
    municipality = municipality_of(instance)
    if not _has_endpoints(municipality):
        return
    now = timezone.now()
    if not page_is_public(instance, restricted_page_paths(), now):
        return
    record_event(municipality.pk, WebhookEvent.PAGE_PUBLISHED, page_data(instance, municipality), now)


@receiver(page_unpublished)
def on_page_unpublished(sender, instance, **kwargs):
    municipality = municipality_of(instance)
    if not _has_endpoints(municipality) or _is_restricted(instance):
        return
    # Wagtail unpublishes a live page in memory only (commit=False) right before deleting it; the page.deleted event
    # says that already, and an endpoint removed by the same delete must not get a row.
    if Page.objects.filter(pk=instance.pk, live=True).exists():
        return
    record_event(municipality.pk, WebhookEvent.PAGE_UNPUBLISHED, page_data(instance, municipality))


@receiver(pre_delete, sender=Page)
def capture_deleted_page(sender, instance, **kwargs):
    # The page's path and its municipality are gone after the delete, so the event data is taken now.
    if instance.depth is None or instance.depth <= 1:
        return
    municipality = municipality_of(instance)
    if not _has_endpoints(municipality) or _is_restricted(instance):
        return
    # Wagtail's own pre_delete handler unpublishes a live page in memory without saving it; the database still says
    # whether it was live, whichever of the two receivers runs first. Pages that were not public get no event.
    if not Page.objects.filter(pk=instance.pk, live=True).exists():
        return
    setattr(instance, _DELETED_ATTRIBUTE, (municipality.pk, page_data(instance, municipality)))


@receiver(post_delete, sender=Page)
def on_page_deleted(sender, instance, **kwargs):
    # Written after the delete so that endpoints removed by the same delete (the whole municipality) get nothing.
    captured = getattr(instance, _DELETED_ATTRIBUTE, None)
    if captured is not None:
        municipality_id, data = captured
        record_event(municipality_id, WebhookEvent.PAGE_DELETED, data)
