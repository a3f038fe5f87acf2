from django.core.management.base import BaseCommand

from regions.ideas.gdpr import anonymise, erase_for_email
from regions.ideas.models import IdeaSubmission


class Command(BaseCommand):
    help = (
        "Erases what is stored about an e-mail address (GDPR Art. 17): its ideas are deleted, except published ones "
        "whose submitter agreed that the text may stay, which are anonymised. With --anonymise-only every idea is "
        "kept and only the personal data is removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--anonymise-only", action="store_true")

    def handle(self, *args, email, anonymise_only=False, **options):
        if anonymise_only:
            count = anonymise(IdeaSubmission.objects.for_email(email))
            self.stdout.write(self.style.SUCCESS(f"Anonymised {count} idea(s)."))
            return
        deleted, anonymised = erase_for_email(email)
        self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} idea(s), anonymised {anonymised}."))
