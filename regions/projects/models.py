import graphene
from django import forms
from django.db import models
from grapple.models import GraphQLField, GraphQLImage, GraphQLStreamfield, GraphQLString
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from cms.blocks import ContentStreamBlock
from cms.graphql_base.fields import GraphQLList, GraphQLTyped, contribute_field, django_type, page_type
from regions.fields_of_action.models import FieldOfActionPage
from regions.projects.structured_data import describe_project
from sites.models import BasePage, MunicipalityHomePage
from sites.public import municipality_pages, public_references
from sites.sections import Section, register_section
from sites.structured_data import register_describer
from sites.validators import validate_date_range


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", "Geplant"
    RUNNING = "running", "Laufend"
    COMPLETED = "completed", "Abgeschlossen"


class ProjectKind(models.TextChoices):
    IMMEDIATE_MEASURE = "immediate_measure", "Sofortmaßnahme"
    STRATEGIC_PILOT = "strategic_pilot", "Strategischer Pilot"
    IMPLEMENTATION = "implementation", "Umsetzungsprojekt"


ProjectStatusEnum = graphene.Enum.from_enum(ProjectStatus, description="Lifecycle state of a project.")
ProjectKindEnum = graphene.Enum.from_enum(ProjectKind, description="Kind of measure in the programme.")


class ProjectIndexPage(BasePage):
    intro = models.TextField("Einleitung", blank=True)

    parent_page_types = ["sites.MunicipalityHomePage"]
    subpage_types = ["projects.ProjectPage"]
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    graphql_fields = [GraphQLString("intro")]

    class Meta:
        verbose_name = "Übersicht der Projekte"


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
                # Only the own municipality's fields of action, drafts included (sites.cross_references).
                FieldPanel("fields_of_action", widget=forms.CheckboxSelectMultiple),
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
        GraphQLTyped("kind", ProjectKindEnum, required=True, description="Kind of measure."),
        GraphQLTyped("status", ProjectStatusEnum, required=True, description="Lifecycle state."),
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
        return public_references(info.context, self, self.fields_of_action.all())

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


def projects_of_home(home, info, status=None, **kwargs):
    projects = municipality_pages(info.context, home, ProjectPage).prefetch_related("fields_of_action", "partners")
    if status:
        projects = projects.filter(status=status)
    return projects.order_by("path")


def projects_of_field_of_action(field_of_action, info, **kwargs):
    projects = municipality_pages(info.context, field_of_action, ProjectPage).filter(fields_of_action=field_of_action)
    return projects.prefetch_related("fields_of_action", "partners").order_by("path")


contribute_field(
    MunicipalityHomePage,
    GraphQLList(
        "projects",
        page_type("projects.ProjectPage"),
        description="Published projects of this municipality, optionally filtered by status.",
        resolver=projects_of_home,
        status=graphene.Argument(ProjectStatusEnum),
    ),
)
contribute_field(
    FieldOfActionPage,
    GraphQLList(
        "projects",
        page_type("projects.ProjectPage"),
        description="Published projects assigned to this field of action.",
        resolver=projects_of_field_of_action,
    ),
)
register_describer(ProjectPage, describe_project)
register_section(Section("projects", ProjectIndexPage, "Projekte", "projekte", 20))
