from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.opendata.dcat import FORMATS, build_catalogue, serialise


class Command(BaseCommand):
    help = "Writes the DCAT-AP.de catalogue (all pages merged) of the instance or of one municipality."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", metavar="ARS", help="Regional key; without it the instance catalogue.")
        parser.add_argument("--format", choices=sorted(FORMATS), default="ttl")
        parser.add_argument("--output", metavar="FILE", help="Target file; without it standard output.")

    def handle(self, *args, municipality=None, format="ttl", output=None, **options):
        try:
            # page_size=0: the whole catalogue in one graph, as a file for validation or a static upload.
            result = build_catalogue(regional_key=municipality, page_size=0)
        except LookupError as error:
            raise CommandError(f"Unbekannte Kommune: {municipality}") from error
        body = serialise(result.graph, format)
        if output:
            Path(output).write_bytes(body)
            self.stderr.write(f"{result.dataset_count} Datensätze nach {output} geschrieben.")
        else:
            self.stdout.write(body.decode("utf-8"))
