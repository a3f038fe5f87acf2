"""Dataset "projects": a municipality's projects and pilots with kind, status, duration, fields of action and
partners."""

from django.db.models import Prefetch

from cms.opendata.datasets.core import PAGE_COLUMNS, DatasetKind, PageDataset, iso
from regions.fields_of_action.models import FieldOfActionPage
from regions.projects.models import ProjectPage


class Projects(PageDataset):
    model = ProjectPage

    def with_related(self, pages):
        # Every linked field of action is loaded; build() lets out only those that may go out with the project.
        return pages.prefetch_related(
            Prefetch("fields_of_action", queryset=FieldOfActionPage.objects.order_by("path")), "partners"
        )

    def build(self, page):
        return {
            "slug": page.slug,
            "title": page.title,
            "teaser": page.teaser,
            "kind": page.kind,
            "kind_label": page.get_kind_display(),
            "status": page.status,
            "status_label": page.get_status_display(),
            "start_date": iso(page.start_date),
            "end_date": iso(page.end_date),
            "fields_of_action": [field.slug for field in page.fields_of_action.all() if self.is_reference(page, field)],
            "partners": [partner.name for partner in page.partners.all()],
        }


KIND = DatasetKind(
    slug="projects",
    title="Projekte",
    description="Die Projekte und Pilotvorhaben von {name} im Programm „Modellprojekte Smart Cities“ "
    "mit Art, Status, Laufzeit, Handlungsfeldern und Partnern.",
    themes=("GOVE", "TECH"),
    keywords=("Smart City", "Projekte", "Digitalisierung"),
    columns=(
        ("slug", "Kennung des Projekts (Kurzname der Seite)"),
        ("title", "Titel"),
        ("teaser", "Kurzbeschreibung"),
        ("kind", "Art: immediate_measure, strategic_pilot oder implementation"),
        ("kind_label", "Art, deutsche Bezeichnung"),
        ("status", "Status: planned, running oder completed"),
        ("status_label", "Status, deutsche Bezeichnung"),
        ("start_date", "Beginn (JJJJ-MM-TT)"),
        ("end_date", "Ende (JJJJ-MM-TT)"),
        ("fields_of_action", "Kennungen der Handlungsfelder, durch „; “ getrennt"),
        ("partners", "Namen der Partner, durch „; “ getrennt"),
    )
    + PAGE_COLUMNS,
    loader=Projects,
)
