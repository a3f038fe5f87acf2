from pathlib import Path

from django.core.management.base import BaseCommand

from cms.api.schema import schema


def schema_sdl():
    return str(schema).strip() + "\n"


class Command(BaseCommand):
    help = "Writes the GraphQL schema (SDL) to a file, the API contract kept in graphql/schema.graphql."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="graphql/schema.graphql")

    def handle(self, *args, path, **options):
        Path(path).write_text(schema_sdl(), encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
