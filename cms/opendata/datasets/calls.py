"""Dataset "calls-for-ideas": a municipality's calls for citizens' ideas with period, status and funding."""

from cms.opendata.datasets.core import PAGE_COLUMNS, DatasetKind, PageDataset, iso
from regions.calls.models import CallForIdeasPage


class CallsForIdeas(PageDataset):
    model = CallForIdeasPage

    def with_related(self, pages):
        return pages.select_related("field_of_action")

    def build(self, page):
        return {
            "slug": page.slug,
            "title": page.title,
            "description": page.description,
            "status": str(page.status),
            "opens_at": iso(page.opens_at_local),
            "closes_at": iso(page.closes_at_local),
            "funding_pot": page.funding_pot,
            "max_grant_eur": page.max_grant_eur,
            "field_of_action": self.reference_slug(page, page.field_of_action),
        }


KIND = DatasetKind(
    slug="calls-for-ideas",
    title="Ideenaufrufe",
    description="Die Aufrufe von {name} an Bürgerinnen und Bürger, Ideen einzureichen, mit Zeitraum, Status und "
    "Förderung.",
    themes=("SOCI", "GOVE"),
    keywords=("Smart City", "Bürgerbeteiligung", "Ideenaufruf"),
    columns=(
        ("slug", "Kennung des Aufrufs (Kurzname der Seite)"),
        ("title", "Titel"),
        ("description", "Beschreibung"),
        ("status", "Status: upcoming, open oder closed (aus Beginn und Ende abgeleitet)"),
        ("opens_at", "Beginn (ISO 8601, Ortszeit Berlin)"),
        ("closes_at", "Ende (ISO 8601, Ortszeit Berlin)"),
        ("funding_pot", "Fördertopf: regular, fast_track oder participation"),
        ("max_grant_eur", "Höchstförderung je Idee in Euro"),
        ("field_of_action", "Kennung des Handlungsfelds"),
    )
    + PAGE_COLUMNS,
    loader=CallsForIdeas,
)
