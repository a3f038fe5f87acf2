from django.core.management.base import BaseCommand, CommandError
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page

from sites.cross_references import Scan


def describe(obj, owner):
    if isinstance(obj, Page):
        kind = "page"
    elif isinstance(obj, AbstractImage):
        kind = "image"
    elif isinstance(obj, AbstractDocument):
        kind = "document"
    else:
        kind = obj._meta.label
    title = f" „{obj.title}“" if getattr(obj, "title", "") else ""
    return f"{kind} {obj.pk}{title} ({owner if owner is not None else 'no municipality'})"


class Command(BaseCommand):
    help = (
        "Lists every reference that crosses municipalities: page, settings and idea fields, inline children, "
        "StreamField blocks and rich text linking a page, image or document of another municipality (or of none), "
        "in the database rows and in the latest draft revision of each page. Exits with 1 if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-revisions", action="store_true", help="Only the database rows, not the drafts.")

    def handle(self, *args, **options):
        count = 0
        for found in Scan(revisions=not options["no_revisions"]):
            crossing = found.crossing
            source = describe(crossing.source, crossing.owner)
            if found.revision is not None:
                source += f", draft revision {found.revision.pk}"
            target = describe(crossing.target, crossing.target_owner)
            self.stdout.write(f"{source}: {crossing.reference.path} -> {target}")
            count += 1
        if count:
            noun = "reference crosses" if count == 1 else "references cross"
            raise CommandError(f"{count} {noun} municipalities.", returncode=1)
        self.stdout.write("No reference crosses municipalities.")
