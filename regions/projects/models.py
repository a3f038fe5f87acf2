import graphene
from django.db import models
from grapple.models import GraphQLField, GraphQLImage, GraphQLStreamfield, GraphQLString
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from cms.api.fields import GraphQLList, GraphQLTyped, django_type, page_type
from cms.blocks import ContentStreamBlock
from cms.pages import BasePage
from sites.validators import validate_date_range


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", "Geplant"
    RUNNING = "running", "Laufend"
    COMPLETED = "completed", "Abgeschlossen"


class ProjectKind(models.TextChoices):
    IMMEDIATE_MEASURE = "immediate_measure", "Sofortmaßnahme"
    STRATEGIC_PILOT = "strategic_pilot", "Strategischer Pilot"
    IMPLEMENTATION = "implementation", "Umsetzungsprojekt"


class ProjectIndexPage(BasePage):
    intro = models.TextField("Einleitung", blank=True)

    parent_page_types = ["sites.MunicipalityHomePage"]
    subpage_types = ["projects.ProjectPage"]
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    graphql_fields = [GraphQLString("intro")]

    class Meta:
        verbose_name = "Übersicht der Projekte"


def _status_enum():
    from regions.projects.api import ProjectStatusEnum

    return ProjectStatusEnum


def _kind_enum():
    from regions.projects.api import ProjectKindEnum

    return ProjectKindEnum


class ProjectPage(BasePage):
    """A project or pilot (Sofortmaßnahme, strategischer Pilot) with its status and dates."""

    teaser = models.TextField("Kurzbeschreibung", max_length=600)
    kind = models.CharField("Art", max_length=32, choices=ProjectKind.choices, default=ProjectKind.IMPLEMENTATION)
    status = models.CharField("Status", max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    fields_of_action = ParentalManyToManyField(
        "fields_of_action.FieldOfActionPage", verbose_name="Handlungsfelder", blank=True, related_name="+"
    )
    start_date = models.DateField("Beginn", null=True, blank=True)
    end_date = models.DateField("Ende", null=True, blank=True)
    image = models.ForeignKey(
        "media.CustomImage", verbose_name="Bild", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(ContentStreamBlock(), verbose_name="Inhalt", blank=True, use_json_field=True)

    parent_page_types = ["projects.ProjectIndexPage"]
    subpage_types = []

    content_panels = BasePage.content_panels + [
        FieldPanel("teaser"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("status"),
                FieldPanel("fields_of_action"),
                FieldPanel("start_date"),
                FieldPanel("end_date"),
            ],
            heading="Einordnung",
        ),
        FieldPanel("image"),
        FieldPanel("body"),
        InlinePanel("partners", heading="Partner", label="Partner"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("teaser"), index.SearchField("body")]

    graphql_fields = [
        GraphQLString("teaser", required=True),
        GraphQLTyped("kind", _kind_enum, required=True, description="Kind of measure."),
        GraphQLTyped("status", _status_enum, required=True, description="Lifecycle state."),
        GraphQLField("start_date", graphene.Date, description="First day of the project."),
        GraphQLField("end_date", graphene.Date, description="Last day of the project."),
        GraphQLImage("image"),
        GraphQLStreamfield("body"),
        GraphQLList(
            "fields_of_action",
            page_type("fields_of_action.FieldOfActionPage"),
            description="Fields of action the project contributes to.",
            source="fields_of_action_list",
        ),
        GraphQLList(
            "partners", django_type("projects.ProjectPartner"), description="Project partners.", source="partner_list"
        ),
    ]

    class Meta:
        verbose_name = "Projekt"
        verbose_name_plural = "Projekte"

    def clean(self):
        super().clean()
        validate_date_range(self.start_date, self.end_date, "end_date", "Das Projektende liegt vor dem Beginn.")

    def fields_of_action_list(self, info, **kwargs):
        # .all() so that prefetch_related("fields_of_action") of list queries is used.
        return [page for page in self.fields_of_action.all() if page.live]

    def partner_list(self, info, **kwargs):
        return list(self.partners.all())


class ProjectPartner(Orderable):
    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField("Name", max_length=255)
    role = models.CharField("Rolle im Projekt", max_length=255, blank=True)
    url = models.URLField("Website", blank=True)

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("url")]

    graphql_fields = [GraphQLString("name", required=True), GraphQLString("role"), GraphQLString("url")]

    class Meta(Orderable.Meta):
        verbose_name = "Partner"
        verbose_name_plural = "Partner"
