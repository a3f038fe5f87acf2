"""Publish webhooks: endpoints per municipality and the outbox of deliveries to them."""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from cms.webhooks.validation import validate_webhook_url


class WebhookEvent(models.TextChoices):
    PAGE_PUBLISHED = "page.published", "Seite veröffentlicht"
    PAGE_UNPUBLISHED = "page.unpublished", "Veröffentlichung zurückgezogen"
    PAGE_DELETED = "page.deleted", "Seite gelöscht"


def generate_secret():
    return secrets.token_urlsafe(32)


def all_events():
    return [event.value for event in WebhookEvent]


class WebhookEndpoint(models.Model):
    municipality = models.ForeignKey(
        "sites.Municipality", verbose_name="Kommune", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    name = models.CharField("Bezeichnung", max_length=100, blank=True)
    url = models.URLField("Ziel-URL", max_length=500, help_text="Nur http:// oder https://; keine internen Adressen.")
    secret = models.CharField("Geheimnis", max_length=100, default=generate_secret, editable=False)
    active = models.BooleanField("Aktiv", default=True)
    events = models.JSONField("Ereignisse", default=all_events)
    created_at = models.DateTimeField("Angelegt am", auto_now_add=True)

    class Meta:
        verbose_name = "Webhook"
        verbose_name_plural = "Webhooks"
        ordering = ["municipality", "url"]

    def __str__(self):
        return self.name or self.url

    def clean(self):
        super().clean()
        if self.url:
            try:
                validate_webhook_url(self.url)
            except ValidationError as error:
                raise ValidationError({"url": error.messages}) from error
        unknown = set(self.events or []) - set(all_events())
        if unknown:
            raise ValidationError({"events": "Unbekannte Ereignisse: " + ", ".join(sorted(unknown))})

    def subscribes_to(self, event):
        return event in (self.events or [])


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Ausstehend"
    DELIVERED = "delivered", "Zugestellt"
    FAILED = "failed", "Fehlgeschlagen"


def default_expiry():
    return timezone.now() + timedelta(hours=settings.WEBHOOK_MAX_AGE_HOURS)


class WebhookDelivery(models.Model):
    """One event for one endpoint: written in the transaction of the change, sent later by `deliver_webhooks`."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name="Webhook", on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField("Ereignis", max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField("Inhalt")
    delivery_id = models.UUIDField("Zustellungs-ID", default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        "Status", max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField("Versuche", default=0)
    created_at = models.DateTimeField("Erzeugt am", default=timezone.now)
    next_attempt_at = models.DateTimeField("Nächster Versuch", default=timezone.now)
    last_attempt_at = models.DateTimeField("Letzter Versuch", null=True, blank=True)
    last_status_code = models.PositiveIntegerField("Letzter HTTP-Status", null=True, blank=True)
    last_error = models.TextField("Letzter Fehler", blank=True)
    delivered_at = models.DateTimeField("Zugestellt am", null=True, blank=True)
    # Until then failed attempts are retried; a receiver that is down for less than WEBHOOK_MAX_AGE_HOURS loses nothing.
    expires_at = models.DateTimeField("Aufgeben nach", default=default_expiry)

    class Meta:
        verbose_name = "Webhook-Zustellung"
        verbose_name_plural = "Webhook-Zustellungen"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["endpoint", "status", "id"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self):
        return f"{self.get_event_display()} → {self.endpoint} ({self.get_status_display()})"
