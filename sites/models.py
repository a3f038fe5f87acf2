"""A municipality's pages: its home page with its master data and generic content pages. The tenant records live in
sites.tenant, the base class of every page type in sites.pages."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from grapple.models import GraphQLImage, GraphQLInt, GraphQLStreamfield, GraphQLString
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cms.blocks import ContentStreamBlock
from sites.pages import BasePage
from sites.sections import Section, register_section
from sites.tenant import Municipality, MunicipalitySettings
from sites.validators import FEDERAL_STATES, validate_regional_key

__all__ = ["BasePage", "ContentPage", "Municipality", "MunicipalityHomePage", "MunicipalitySettings"]


class MunicipalityHomePage(BasePage):
    """The root page of one municipality's Site. Its fields are the municipality's master data."""

    official_name = models.CharField(
        "Amtlicher Name", max_length=255, help_text="z. B. „Landeshauptstadt Kiel“ oder „Stadt Kassel“."
    )
    regional_key = models.CharField(
        "Amtlicher Regionalschlüssel",
        max_length=12,
        unique=True,
        validators=[validate_regional_key],
        help_text="12 Ziffern, z. B. 010020000000 für Kiel oder 066110000000 für Kassel.",
    )
    federal_state = models.CharField("Bundesland", max_length=2, choices=FEDERAL_STATES)
    cohort_year = models.PositiveSmallIntegerField(
        "Förderstaffel (Jahr)",
        validators=[MinValueValidator(2019), MaxValueValidator(2030)],
        help_text="Jahr, in dem die Kommune für „Modellprojekte Smart Cities“ ausgewählt wurde.",
    )
    intro = models.TextField("Einleitung", blank=True)
    body = StreamField(ContentStreamBlock(), verbose_name="Inhalt", blank=True, use_json_field=True)
    contact_email = models.EmailField("Funktionale E-Mail-Adresse", blank=True)
    contact_phone = models.CharField("Telefon", max_length=40, blank=True)
    contact_address = models.TextField("Postanschrift", blank=True)
    logo = models.ForeignKey(
        "media.CustomImage", verbose_name="Logo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    media_collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name="Mediensammlung",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Bilder und Dokumente dieser Kommune liegen in dieser Sammlung.",
    )

    # Its sections declare it as their parent; the home page names none of them.
    parent_page_types = ["wagtailcore.Page"]

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("official_name"),
                FieldPanel("regional_key"),
                FieldPanel("federal_state"),
                FieldPanel("cohort_year"),
            ],
            heading="Stammdaten",
        ),
        FieldPanel("intro"),
        FieldPanel("logo"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("contact_address")],
            heading="Kontakt",
        ),
    ]
    # The media collection is set by onboarding and carries the editors' permissions: not editable in the page form.

    search_fields = BasePage.search_fields + [index.SearchField("official_name"), index.SearchField("intro")]

    graphql_fields = [
        GraphQLString("official_name", required=True, description="Official name of the municipality."),
        GraphQLString("regional_key", required=True, description="Amtlicher Regionalschlüssel (ARS), 12 digits."),
        GraphQLString("federal_state", required=True, description="Two-digit federal state code (01-16)."),
        GraphQLString("federal_state_name", required=True, description="Name of the federal state."),
        GraphQLInt("cohort_year", required=True, description="Year the municipality entered the programme."),
        GraphQLString("intro"),
        GraphQLStreamfield("body"),
        GraphQLString("contact_email", description="Functional e-mail address of the project office."),
        GraphQLString("contact_phone"),
        GraphQLString("contact_address"),
        GraphQLImage("logo"),
    ]

    class Meta:
        verbose_name = "Startseite einer Kommune"
        verbose_name_plural = "Startseiten der Kommunen"

    def __str__(self):
        return self.official_name or self.title

    @property
    def federal_state_name(self):
        return self.get_federal_state_display()


class ContentPage(BasePage):
    """A generic page such as Impressum, Datenschutz or Barrierefreiheit."""

    intro = models.TextField("Einleitung", blank=True)
    body = StreamField(ContentStreamBlock(), verbose_name="Inhalt", use_json_field=True)

    parent_page_types = ["sites.MunicipalityHomePage", "sites.ContentPage"]
    subpage_types = ["sites.ContentPage"]

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    graphql_fields = [GraphQLString("intro"), GraphQLStreamfield("body")]

    class Meta:
        verbose_name = "Inhaltsseite"
        verbose_name_plural = "Inhaltsseiten"


LEGAL_PLACEHOLDER = (
    "Der Text dieser Seite wird von der Kommune bereitgestellt und hier veröffentlicht, sobald er vorliegt."
)
_LEGAL_BODY = ({"type": "paragraph", "value": f"<p>{LEGAL_PLACEHOLDER}</p>"},)
for _section in (
    Section("imprint", ContentPage, "Impressum", "impressum", 910, "imprint_page", _LEGAL_BODY),
    Section("privacy", ContentPage, "Datenschutz", "datenschutz", 920, "privacy_page", _LEGAL_BODY),
    Section(
        "accessibility", ContentPage, "Barrierefreiheit", "barrierefreiheit", 930, "accessibility_page", _LEGAL_BODY
    ),
):
    register_section(_section)
