import graphene
from django.core.validators import MinValueValidator
from django.db import models
from grapple.models import GraphQLField, GraphQLInt, GraphQLStreamfield, GraphQLString
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable

from cms.blocks import ContentStreamBlock
from cms.graphql_base.fields import GraphQLList, GraphQLTyped, contribute_field, django_type, page_type
from regions.programme.structured_data import describe_programme
from sites.models import BasePage, MunicipalityHomePage
from sites.public import municipality_pages
from sites.structured_data import register_describer
from sites.validators import validate_date_range


class PhaseKind(models.TextChoices):
    STRATEGY = "strategy", "Strategiephase"
    IMPLEMENTATION = "implementation", "Umsetzungsphase"


PhaseKindEnum = graphene.Enum.from_enum(PhaseKind, description="Phase of the funding programme.")


class ProgrammePage(BasePage):
    """Facts of the municipality's participation in the funding programme."""

    programme_name = models.CharField("Förderprogramm", max_length=255, default="Modellprojekte Smart Cities")
    funding_ministry = models.CharField("Fördermittelgeber (Ministerium)", max_length=255)
    federal_funding_eur = models.PositiveBigIntegerField("Fördermittel des Bundes (€)", null=True, blank=True)
    municipal_share_eur = models.PositiveBigIntegerField("Kommunaler Eigenanteil (€)", null=True, blank=True)
    funding_note = models.CharField(
        "Hinweis zu den Beträgen",
        max_length=255,
        blank=True,
        help_text="Wortlaut der Quelle, wenn ein Betrag gerundet ist, z. B. „knapp sechs Millionen Euro“.",
    )
    start_date = models.DateField("Projektbeginn", null=True, blank=True)
    council_decision_date = models.DateField("Ratsbeschluss", null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        "Laufzeit (Monate)", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    body = StreamField(ContentStreamBlock(), verbose_name="Inhalt", blank=True, use_json_field=True)

    parent_page_types = ["sites.MunicipalityHomePage"]
    subpage_types = []
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [FieldPanel("programme_name"), FieldPanel("funding_ministry")],
            heading="Programm",
        ),
        MultiFieldPanel(
            [FieldPanel("federal_funding_eur"), FieldPanel("municipal_share_eur"), FieldPanel("funding_note")],
            heading="Finanzierung",
        ),
        MultiFieldPanel(
            [FieldPanel("start_date"), FieldPanel("council_decision_date"), FieldPanel("duration_months")],
            heading="Zeitrahmen",
        ),
        InlinePanel("phases", heading="Phasen", label="Phase"),
        FieldPanel("body"),
    ]

    graphql_fields = [
        GraphQLString("programme_name", required=True),
        GraphQLString("funding_ministry", required=True),
        GraphQLField("federal_funding_eur", graphene.Int, description="Federal funding in whole euros."),
        GraphQLField("municipal_share_eur", graphene.Int, description="Municipal own share in whole euros."),
        GraphQLString("funding_note", description="Source wording where an amount is approximate."),
        GraphQLField("start_date", graphene.Date, description="Official start of the project."),
        GraphQLField("council_decision_date", graphene.Date, description="Date of the council decision to apply."),
        GraphQLInt("duration_months", description="Total duration in months."),
        GraphQLStreamfield("body"),
        GraphQLList(
            "phases", django_type("programme.ProgrammePhase"), description="Phases in order.", source="phase_list"
        ),
    ]

    class Meta:
        verbose_name = "Förderprogramm"
        verbose_name_plural = "Förderprogramme"

    def phase_list(self, info, **kwargs):
        return list(self.phases.all())


class ProgrammePhase(Orderable):
    page = ParentalKey(ProgrammePage, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField("Art", max_length=16, choices=PhaseKind.choices)
    title = models.CharField("Bezeichnung", max_length=255)
    start_date = models.DateField("Beginn", null=True, blank=True)
    end_date = models.DateField("Ende", null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField("Dauer (Monate)", null=True, blank=True)
    description = models.TextField("Beschreibung", blank=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("title"),
        FieldPanel("start_date"),
        FieldPanel("end_date"),
        FieldPanel("duration_months"),
        FieldPanel("description"),
    ]

    graphql_fields = [
        GraphQLTyped("kind", PhaseKindEnum, required=True, description="Strategy or implementation."),
        GraphQLString("title", required=True),
        GraphQLField("start_date", graphene.Date),
        GraphQLField("end_date", graphene.Date),
        GraphQLInt("duration_months"),
        GraphQLString("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "Phase"
        verbose_name_plural = "Phasen"

    def clean(self):
        super().clean()
        validate_date_range(self.start_date, self.end_date, "end_date", "Die Phase endet vor ihrem Beginn.")


def programme_of(home, info, **kwargs):
    return municipality_pages(info.context, home, ProgrammePage).prefetch_related("phases").first()


contribute_field(
    MunicipalityHomePage,
    GraphQLTyped(
        "programme",
        page_type("programme.ProgrammePage"),
        description="Funding programme facts of this municipality.",
        resolver=programme_of,
    ),
)
register_describer(ProgrammePage, describe_programme)
