"""Dataset "fields-of-action": the fields of action of a municipality's smart-city strategy."""

from cms.opendata.datasets.core import PAGE_COLUMNS, DatasetKind, PageDataset
from regions.fields_of_action.models import FieldOfActionPage


class FieldsOfAction(PageDataset):
    model = FieldOfActionPage

    def build(self, page):
        return {"slug": page.slug, "title": page.title, "teaser": page.teaser}


KIND = DatasetKind(
    slug="fields-of-action",
    title="Handlungsfelder",
    description="Die Handlungsfelder der Smart-City-Strategie von {name} mit ihren Kurzbeschreibungen.",
    themes=("GOVE", "REGI"),
    keywords=("Smart City", "Handlungsfelder", "Strategie"),
    columns=(
        ("slug", "Kennung des Handlungsfelds (Kurzname der Seite)"),
        ("title", "Titel"),
        ("teaser", "Kurzbeschreibung"),
    )
    + PAGE_COLUMNS,
    loader=FieldsOfAction,
)
