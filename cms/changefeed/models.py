"""The change feed: an append-only log of changes to public content, and the state it was derived from."""

from django.db import models

from cms import signals


# The values are those of the one change pipeline (cms.signals), which the webhooks read too.
class ChangeKind(models.TextChoices):
    UPSERT = signals.UPSERT, "Anlegen oder Aktualisieren"
    TOMBSTONE = signals.TOMBSTONE, "Entfernen"


class ChangeAction(models.TextChoices):
    CREATE = signals.CREATE, "Angelegt"
    UPDATE = signals.UPDATE, "Geändert"
    PUBLISH = signals.PUBLISH, "Veröffentlicht"
    UNPUBLISH = signals.UNPUBLISH, "Zurückgezogen"
    MOVE = signals.MOVE, "Verschoben"
    DELETE = signals.DELETE, "Gelöscht"
    RESTRICT = signals.RESTRICT, "Zugriffsbeschränkung geändert"
    SYNC = signals.SYNC, "Abgeglichen"


class ChangeEvent(models.Model):
    """One change of one public object. Rows are only ever inserted (and pruned after the retention);
    the municipality, path and title are copied so that a tombstone still says what disappeared."""

    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    action = models.CharField(max_length=16, choices=ChangeAction.choices)
    object_key = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    municipality = models.CharField(max_length=12, blank=True)
    url_path = models.TextField(blank=True)
    title = models.CharField(max_length=255, blank=True)
    occurred_at = models.DateTimeField()

    class Meta:
        verbose_name = "Änderung"
        verbose_name_plural = "Änderungen"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["municipality", "id"], name="changefeed_municipality_id"),
            models.Index(fields=["content_type", "id"], name="changefeed_content_type_id"),
            models.Index(fields=["occurred_at"], name="changefeed_occurred_at"),
        ]

    def __str__(self):
        return f"{self.pk} {self.kind} {self.object_key}"


class PublishedObject(models.Model):
    """Every object whose last event is an upsert, with the data of that upsert.

    Comparing the database with this table tells which events a change causes, and it is the
    snapshot from which a new consumer starts."""

    object_key = models.CharField(max_length=64, primary_key=True)
    content_type = models.CharField(max_length=100)
    municipality = models.CharField(max_length=12, blank=True)
    url_path = models.TextField(blank=True)
    title = models.CharField(max_length=255, blank=True)
    # The snapshot lists only objects announced up to its cursor; later ones come from the log after it.
    last_event_id = models.BigIntegerField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "Veröffentlichtes Objekt"
        indexes = [models.Index(fields=["municipality", "object_key"], name="changefeed_published_muni")]
        verbose_name_plural = "Veröffentlichte Objekte"

    def __str__(self):
        return self.object_key


class FeedHorizon(models.Model):
    """A single row: the highest event id that pruning has removed. Cursors below it have expired."""

    pruned_through = models.BigIntegerField(default=0)
    pruned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Aufbewahrungsgrenze"
        verbose_name_plural = "Aufbewahrungsgrenze"

    def __str__(self):
        return f"pruned through {self.pruned_through}"
