"""Dataset "programme": the key figures of a municipality's funding (funder, amounts, start, duration, phases)."""

from cms.opendata.datasets.core import PAGE_COLUMNS, DatasetKind, PageDataset, iso
from regions.programme.models import ProgrammePage


class Programme(PageDataset):
    model = ProgrammePage

    def with_related(self, pages):
        return pages.prefetch_related("phases")

    def build(self, page):
        return {
            "programme_name": page.programme_name,
            "funding_ministry": page.funding_ministry,
            "federal_funding_eur": page.federal_funding_eur,
            "municipal_share_eur": page.municipal_share_eur,
            "funding_note": page.funding_note,
            "start_date": iso(page.start_date),
            "council_decision_date": iso(page.council_decision_date),
            "duration_months": page.duration_months,
            "phases": [
                {
                    "kind": phase.kind,
                    "title": phase.title,
                    "start_date": iso(phase.start_date),
                    "end_date": iso(phase.end_date),
                    "duration_months": phase.duration_months,
                    "description": phase.description,
                }
                for phase in page.phases.all()
            ],
        }


KIND = DatasetKind(
    slug="programme",
    title="Förderprogramm",
    description="Eckdaten der Förderung von {name}: Fördermittelgeber, Bundesmittel, kommunaler Eigenanteil, "
    "Projektbeginn, Laufzeit und Phasen.",
    themes=("GOVE", "ECON"),
    keywords=("Smart City", "Förderung", "Haushalt"),
    columns=(
        ("programme_name", "Förderprogramm"),
        ("funding_ministry", "Fördermittelgeber (Ministerium)"),
        ("federal_funding_eur", "Fördermittel des Bundes in Euro"),
        ("municipal_share_eur", "Kommunaler Eigenanteil in Euro"),
        ("funding_note", "Hinweis zu den Beträgen"),
        ("start_date", "Projektbeginn (JJJJ-MM-TT)"),
        ("council_decision_date", "Ratsbeschluss (JJJJ-MM-TT)"),
        ("duration_months", "Laufzeit in Monaten"),
        ("phases", "Phasen als „Bezeichnung (Beginn–Ende)“, durch „; “ getrennt; im JSON als Liste"),
    )
    + PAGE_COLUMNS,
    loader=Programme,
)
