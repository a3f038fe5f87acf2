from django.core.management.base import BaseCommand

from cms.changefeed.models import ChangeAction
from cms.changefeed.sync import reconcile


class Command(BaseCommand):
    help = (
        "Compares all public content with what the change feed has announced and writes the missing events: "
        "once after installing the feed on an existing database, and after bulk changes that bypass signals."
    )

    def handle(self, *args, **options):
        events = reconcile(None, trigger=ChangeAction.SYNC)
        self.stdout.write(f"Wrote {len(events)} events.")
