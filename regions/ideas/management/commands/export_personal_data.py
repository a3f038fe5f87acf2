import json

from django.core.management.base import BaseCommand

from regions.ideas.gdpr import export_for_email


class Command(BaseCommand):
    help = "Prints everything stored about an e-mail address as JSON (GDPR Art. 15 access request)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        self.stdout.write(json.dumps(export_for_email(email), ensure_ascii=False, indent=2))
