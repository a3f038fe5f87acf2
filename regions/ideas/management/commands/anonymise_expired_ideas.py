from django.conf import settings
from django.core.management.base import BaseCommand

from regions.ideas.gdpr import anonymise_expired


class Command(BaseCommand):
    help = (
        "Anonymises the personal data of all ideas whose call closed more than IDEA_RETENTION_DAYS days ago. "
        "Run it daily (cron or a scheduler)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Overrides IDEA_RETENTION_DAYS.")

    def handle(self, *args, days=None, **options):
        days = settings.IDEA_RETENTION_DAYS if days is None else days
        count = anonymise_expired(days)
        self.stdout.write(self.style.SUCCESS(f"Anonymised {count} idea(s) of calls closed more than {days} days ago."))
