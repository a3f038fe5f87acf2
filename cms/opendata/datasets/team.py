"""Dataset "team": roles, units and functional contact details of a municipality's smart-city team, one row per
member of its public team page."""

from cms.opendata.datasets.core import DatasetKind, PageDataset
from regions.team.models import TeamPage


class Team(PageDataset):
    model = TeamPage

    def rows(self, publishers):
        publisher_of = self.publisher_lookup(publishers)
        for page in self.pages(publishers).prefetch_related("members"):
            publisher = publisher_of(page)
            if publisher is None:
                continue
            for member in page.members.all():
                yield (
                    publisher,
                    {
                        "role": member.role,
                        "unit": member.unit,
                        "name": member.name,
                        "email": member.email,
                        "phone": member.phone,
                    },
                )


KIND = DatasetKind(
    slug="team",
    title="Ansprechstellen des Projektteams",
    description="Rollen, Organisationseinheiten und funktionale Kontaktdaten des Smart-City-Teams von {name}.",
    themes=("GOVE",),
    keywords=("Smart City", "Kontakt", "Verwaltung"),
    columns=(
        ("role", "Rolle"),
        ("unit", "Organisationseinheit"),
        ("name", "Name (nur wenn veröffentlicht)"),
        ("email", "Funktionale E-Mail-Adresse"),
        ("phone", "Telefon"),
    ),
    loader=Team,
)
