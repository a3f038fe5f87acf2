"""Dataset "ideas": the ideas citizens submitted to a municipality's calls and the municipality published, without
personal data."""

from django.db.models import Prefetch

from cms.opendata.datasets.core import Dataset, DatasetKind, iso
from regions.calls.models import CallForIdeasPage
from regions.ideas.models import IdeaSubmission


class Ideas(Dataset):
    def ideas(self, publishers):
        return self.publication.records(self.owned(IdeaSubmission.objects.all(), publishers))

    def rows(self, publishers):
        if not publishers:
            return
        publisher_of = self.publisher_lookup(publishers)
        # Only the fields of the public API type are read: no e-mail, name, address or consent ever leaves here.
        # The call is prefetched because the owner rule finds an idea's municipality through it.
        ideas = (
            self.ideas(publishers)
            .select_related("field_of_action")
            .prefetch_related(Prefetch("call", queryset=CallForIdeasPage.objects.all()))
            .only(
                "reference",
                "call",
                "title",
                "description",
                "status",
                "submitted_at",
                "display_name",
                "pseudonym",
                "field_of_action",
            )
            .annotate(owner_key=self.owner_key(IdeaSubmission, publishers))
            .order_by("owner_key", "submitted_at", "pk")
        )
        for idea in ideas:
            publisher = publisher_of(idea)
            if publisher is None:
                continue
            yield (
                publisher,
                {
                    "reference": idea.reference,
                    "call": idea.call.slug,
                    "title": idea.title,
                    "description": idea.description,
                    "field_of_action": self.reference_slug(idea, idea.field_of_action),
                    "status": idea.status,
                    "submitted_on": iso(idea.submitted_on),
                    "author": idea.author,
                },
            )

    def dates(self, publishers):
        return self.dates_by_owner(self.ideas(publishers), "submitted_at", "submitted_at", publishers)


KIND = DatasetKind(
    slug="ideas",
    title="Veröffentlichte Ideen",
    description="Ideen, die Bürgerinnen und Bürger zu den Aufrufen von {name} eingereicht haben und die die Kommune "
    "veröffentlicht hat. Ohne personenbezogene Daten: Autorin oder Autor nur als gewählter Anzeigename "
    "oder Pseudonym.",
    themes=("SOCI",),
    keywords=("Smart City", "Bürgerbeteiligung", "Ideen"),
    columns=(
        ("reference", "Öffentliche Referenz der Idee"),
        ("call", "Kennung des Ideenaufrufs"),
        ("title", "Titel"),
        ("description", "Beschreibung"),
        ("field_of_action", "Kennung des Handlungsfelds"),
        ("status", "Status (immer published)"),
        ("submitted_on", "Tag der Einreichung (JJJJ-MM-TT, Ortszeit Berlin)"),
        ("author", "Anzeigename oder Pseudonym"),
    ),
    loader=Ideas,
)
