from django.core.management.base import BaseCommand, CommandError

from sites.models import Municipality
from sites.onboarding import find_municipality, removal_summary, remove_municipality


class Command(BaseCommand):
    help = (
        "Removes a municipality with its pages, Site, settings, images, documents, groups and workflow, in one "
        "transaction. User accounts are kept. Asks for the regional key as confirmation unless --yes is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("municipality", help="Regional key, slug or hostname of the municipality.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, **options):
        try:
            municipality = find_municipality(options["municipality"])
        except Municipality.DoesNotExist as error:
            raise CommandError(str(error)) from error
        summary = removal_summary(municipality)
        regional_key = municipality.home_page.regional_key
        self.stdout.write(
            f"„{summary.name}“: {summary.pages} pages, {summary.images} images, {summary.documents} documents."
        )
        if summary.users_left_without_municipality:
            self.stdout.write(
                "These users will belong to no municipality afterwards: "
                + ", ".join(summary.users_left_without_municipality)
            )
        if not options["yes"]:
            answer = input(f"Type the regional key {regional_key} to delete all of it: ")
            if answer.strip() != regional_key:
                raise CommandError("Confirmation did not match; nothing was deleted.")
        remove_municipality(municipality)
        self.stdout.write(self.style.SUCCESS(f"Removed „{summary.name}“."))
