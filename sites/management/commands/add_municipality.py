from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sites.onboarding import MunicipalityInput, add_municipality


def format_errors(error):
    return "\n".join(f"  {field}: {message}" for field, messages in error.message_dict.items() for message in messages)


class Command(BaseCommand):
    help = (
        "Adds a municipality in one transaction: home page with the standard sections, Site, settings, media "
        "collection, editors' and moderators' groups and an approval workflow. On any error nothing is created."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Name shown in the admin and as page title.")
        parser.add_argument("--official-name", default="", help="Amtlicher Name; defaults to --name.")
        parser.add_argument("--regional-key", required=True, help="Amtlicher Regionalschlüssel, 12 digits.")
        parser.add_argument("--hostname", required=True, help="Hostname of the municipality's Site, e.g. ulm.localhost")
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument("--cohort-year", type=int, required=True, help="Year of selection for the programme.")
        parser.add_argument("--slug", default="", help="Slug of the home page; defaults to the slugified name.")
        parser.add_argument("--frontend-url", default="", help="Base URL of the municipality's frontend.")
        parser.add_argument("--preview-url", default="", help="Preview URL of the frontend; defaults to its base URL.")

    def handle(self, *args, **options):
        data = MunicipalityInput(
            name=options["name"],
            official_name=options["official_name"],
            regional_key=options["regional_key"],
            hostname=options["hostname"],
            port=options["port"],
            cohort_year=options["cohort_year"],
            slug=options["slug"],
            frontend_base_url=options["frontend_url"],
            preview_url=options["preview_url"],
        )
        try:
            municipality = add_municipality(data)
        except ValidationError as error:
            raise CommandError(f"Nothing was created:\n{format_errors(error)}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Created „{municipality}“ on {data.hostname}:{data.port} with the groups "
                f"„{municipality.editors_group}“ and „{municipality.moderators_group}“."
            )
        )
