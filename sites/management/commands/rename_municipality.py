from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sites.management.commands.add_municipality import format_errors
from sites.models import Municipality
from sites.onboarding import find_municipality, rename_municipality


class Command(BaseCommand):
    help = "Renames a municipality (title, groups, collection, workflow, Site) and optionally its slug or hostname."

    def add_arguments(self, parser):
        parser.add_argument("municipality", help="Regional key, slug or hostname of the municipality.")
        parser.add_argument("--name", default="")
        parser.add_argument("--official-name", default="")
        parser.add_argument("--slug", default="")
        parser.add_argument("--hostname", default="")

    def handle(self, *args, **options):
        try:
            municipality = find_municipality(options["municipality"])
        except Municipality.DoesNotExist as error:
            raise CommandError(str(error)) from error
        try:
            rename_municipality(
                municipality,
                name=options["name"],
                official_name=options["official_name"],
                slug=options["slug"],
                hostname=options["hostname"],
            )
        except ValidationError as error:
            raise CommandError(f"Nothing was changed:\n{format_errors(error)}") from error
        self.stdout.write(self.style.SUCCESS(f"Renamed to „{municipality}“."))
