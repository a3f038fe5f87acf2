import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from regions.team.models import TeamMember, TeamPage
from sites.factories import MunicipalityHomePageFactory


class TeamPageFactory(wagtail_factories.PageFactory):
    """A team page without members; add them with `members=[TeamMember(...)]` or TeamMemberFactory."""

    class Meta:
        model = TeamPage

    parent = factory.SubFactory(MunicipalityHomePageFactory)
    title = "Team"
    slug = "team"
    intro = "Das Team hinter unserer Smart City."


class TeamMemberFactory(DjangoModelFactory):
    """A role and its office; no personal name, because the project publishes people only with their consent."""

    class Meta:
        model = TeamMember

    page = factory.SubFactory(TeamPageFactory)
    role = factory.Sequence(lambda n: f"Projektleitung {n}")
    unit = "Hauptamt"
