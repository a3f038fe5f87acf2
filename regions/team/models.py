from django.db import models
from grapple.models import GraphQLImage, GraphQLString
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from cms.api.fields import GraphQLList, django_type
from cms.pages import BasePage


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
