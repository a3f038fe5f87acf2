from django.db import models
from grapple.models import GraphQLImage, GraphQLString
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from cms.graphql_base.fields import GraphQLList, GraphQLTyped, contribute_field, django_type, page_type
from regions.team.structured_data import describe_team
from sites.models import BasePage, MunicipalityHomePage
from sites.public import municipality_pages
from sites.sections import Section, register_section
from sites.structured_data import register_describer


class TeamPage(BasePage):
    """The project team, as roles and offices; names are optional."""

    intro = models.TextField("Einleitung", blank=True)

    parent_page_types = ["sites.MunicipalityHomePage"]
    subpage_types = []
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        InlinePanel("members", heading="Mitglieder", label="Mitglied"),
    ]

    graphql_fields = [
        GraphQLString("intro"),
        GraphQLList(
            "members",
            django_type("team.TeamMember"),
            description="Team members in editorial order.",
            source="member_list",
        ),
    ]

    class Meta:
        verbose_name = "Teamseite"

    def member_list(self, info, **kwargs):
        return list(self.members.all())


class TeamMember(Orderable):
    page = ParentalKey(TeamPage, on_delete=models.CASCADE, related_name="members")
    role = models.CharField("Rolle", max_length=255, help_text="z. B. „Projektleitung“")
    unit = models.CharField("Organisationseinheit", max_length=255, blank=True, help_text="z. B. „Hauptamt“")
    name = models.CharField("Name", max_length=255, blank=True, help_text="Optional, nur mit Einwilligung.")
    photo = models.ForeignKey(
        "media.CustomImage", verbose_name="Foto", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField("Funktionale E-Mail-Adresse", blank=True)
    phone = models.CharField("Telefon", max_length=40, blank=True)

    panels = [
        FieldPanel("role"),
        FieldPanel("unit"),
        FieldPanel("name"),
        FieldPanel("photo"),
        FieldPanel("email"),
        FieldPanel("phone"),
    ]

    graphql_fields = [
        GraphQLString("role", required=True),
        GraphQLString("unit"),
        GraphQLString("name"),
        GraphQLImage("photo"),
        GraphQLString("email", description="Functional e-mail address of the role, never a personal one."),
        GraphQLString("phone"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "Teammitglied"
        verbose_name_plural = "Teammitglieder"


def team_of_home(home, info, **kwargs):
    return municipality_pages(info.context, home, TeamPage).prefetch_related("members").first()


contribute_field(
    MunicipalityHomePage,
    GraphQLTyped(
        "team", page_type("team.TeamPage"), description="The team page of this municipality.", resolver=team_of_home
    ),
)
register_describer(TeamPage, describe_team)
register_section(Section("team", TeamPage, "Team", "team", 30))
