from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cms.changefeed.models import ChangeEvent, FeedHorizon
from cms.changefeed.sync import lock_feed


class Command(BaseCommand):
    help = "Deletes change-feed events older than CHANGEFEED_RETENTION_DAYS and records how far it pruned."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Retention in days instead of the setting.")

    def handle(self, *args, days=None, **options):
        days = settings.CHANGEFEED_RETENTION_DAYS if days is None else days
        cutoff = timezone.now() - timedelta(days=days)
        with transaction.atomic():
            # Under the feed lock, so that the horizon and the deleted range agree for every reader.
            lock_feed()
            through = ChangeEvent.objects.filter(occurred_at__lt=cutoff).aggregate(last=Max("id"))["last"]
            if through is None:
                self.stdout.write("Nothing to prune.")
                return
            deleted, _ = ChangeEvent.objects.filter(id__lte=through).delete()
            horizon = FeedHorizon.objects.select_for_update().first() or FeedHorizon()
            horizon.pruned_through = max(horizon.pruned_through, through)
            horizon.pruned_at = timezone.now()
            horizon.save()
        self.stdout.write(f"Pruned {deleted} events up to id {through}; older cursors have expired.")
