"""A municipality's own site: its home page, generic content pages and per-site settings."""

import graphene
from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from grapple.models import GraphQLField, GraphQLImage, GraphQLInt, GraphQLStreamfield, GraphQLString
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.search import index

from cms.api.fields import GraphQLList, GraphQLTyped, page_type, settings_type
from cms.api.state import get_state
from cms.blocks import ContentStreamBlock
from cms.opendata.licences import DEFAULT_LICENCE, LICENCE_CHOICES
from cms.pages import BasePage
from sites.validators import FEDERAL_STATES, validate_regional_key


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

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "fields_of_action.FieldOfActionIndexPage",
        "projects.ProjectIndexPage",
        "team.TeamPage",
        "programme.ProgrammePage",
        "calls.CallIndexPage",
        "sites.ContentPage",
    ]

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
        GraphQLList(
            "fields_of_action",
            page_type("fields_of_action.FieldOfActionPage"),
            description="Published fields of action (Handlungsfelder) of this municipality.",
        ),
        GraphQLList(
            "projects",
            page_type("projects.ProjectPage"),
            description="Published projects of this municipality, optionally filtered by status.",
            status=graphene.Argument(lambda: _project_status_enum()),
        ),
        GraphQLList(
            "calls_for_ideas",
            page_type("calls.CallForIdeasPage"),
            description="Published calls for ideas of this municipality, optionally filtered by status.",
            status=graphene.Argument(lambda: _call_status_enum()),
        ),
        GraphQLTyped(
            "programme",
            page_type("programme.ProgrammePage"),
            description="Funding programme facts of this municipality.",
        ),
        GraphQLTyped("team", page_type("team.TeamPage"), description="The team page of this municipality."),
        GraphQLTyped(
            "site_settings",
            settings_type("sites.MunicipalitySettings"),
            description="Frontend URLs and legal links of this municipality.",
        ),
        GraphQLField("hostname", graphene.String, description="Hostname of the municipality's Site."),
    ]

    class Meta:
        verbose_name = "Startseite einer Kommune"
        verbose_name_plural = "Startseiten der Kommunen"

    def __str__(self):
        return self.official_name or self.title

    @property
    def federal_state_name(self):
        return self.get_federal_state_display()

    def _own_site(self, info):
        # The request's cached list of sites, so that a list of municipalities costs no query per item.
        return next((site for site in get_state(info).sites if site.root_page_id == self.pk), None)

    def hostname(self, info, **kwargs):
        site = self._own_site(info)
        return site.hostname if site else None

    def _public_descendants(self, info, model):
        # The request's cached restrictions, not .public(), which queries them again for every list.
        return get_state(info).visible_pages(model.objects.descendant_of(self))

    def fields_of_action(self, info, **kwargs):
        from regions.fields_of_action.models import FieldOfActionPage

        return self._public_descendants(info, FieldOfActionPage).order_by("path")

    def projects(self, info, status=None, **kwargs):
        from regions.projects.models import ProjectPage

        projects = self._public_descendants(info, ProjectPage).prefetch_related("fields_of_action", "partners")
        if status:
            projects = projects.filter(status=status)
        return projects.order_by("path")

    def calls_for_ideas(self, info, status=None, **kwargs):
        from regions.calls.models import CallForIdeasPage

        calls = self._public_descendants(info, CallForIdeasPage)
        if status:
            calls = calls.with_status(status)
        return calls.order_by("path")

    def programme(self, info, **kwargs):
        from regions.programme.models import ProgrammePage

        return self._public_descendants(info, ProgrammePage).prefetch_related("phases").first()

    def team(self, info, **kwargs):
        from regions.team.models import TeamPage

        return self._public_descendants(info, TeamPage).prefetch_related("members").first()

    def site_settings(self, info, **kwargs):
        site = self._own_site(info)
        return get_state(info).settings_by_site_id.get(site.pk) if site else None


def _project_status_enum():
    from regions.projects.api import ProjectStatusEnum

    return ProjectStatusEnum


def _call_status_enum():
    from regions.calls.api import CallStatusEnum

    return CallStatusEnum


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


@register_setting(icon="site")
class MunicipalitySettings(BaseSiteSetting):
    """Per-site settings: where the municipality's frontend lives and where its legal pages are."""

    frontend_base_url = models.URLField(
        "Frontend-Adresse", blank=True, help_text="Öffentliche Adresse der Website, z. B. https://www.kassel.de/smart"
    )
    preview_url = models.URLField(
        "Vorschau-Adresse",
        blank=True,
        help_text="Adresse der Vorschau im Frontend dieser Kommune. Leer: die Frontend-Adresse.",
    )
    imprint_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="Impressum", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="Datenschutzerklärung",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="Erklärung zur Barrierefreiheit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    data_licence = models.CharField(
        "Lizenz der offenen Daten",
        max_length=40,
        choices=LICENCE_CHOICES,
        default=DEFAULT_LICENCE,
        help_text="Lizenz, unter der der Datenkatalog und die Exporte unter /opendata/ diese Inhalte anbieten.",
    )

    panels = [
        FieldPanel("frontend_base_url"),
        FieldPanel("preview_url"),
        FieldPanel("imprint_page"),
        FieldPanel("privacy_page"),
        FieldPanel("accessibility_page"),
        FieldPanel("data_licence"),
    ]

    graphql_fields = [
        GraphQLString("frontend_base_url", description="Public base URL of the municipality's frontend."),
        GraphQLString("preview_url", description="Base URL the admin sends preview tokens to."),
        GraphQLTyped("imprint", lambda: _page_interface(), description="The imprint (Impressum) page."),
        GraphQLTyped("privacy", lambda: _page_interface(), description="The privacy policy page."),
        GraphQLTyped("accessibility", lambda: _page_interface(), description="The accessibility statement."),
    ]

    class Meta:
        verbose_name = "Einstellungen der Kommune"
        verbose_name_plural = "Einstellungen der Kommunen"

    def imprint(self, info, **kwargs):
        return self.imprint_page.specific if self.imprint_page else None

    def privacy(self, info, **kwargs):
        return self.privacy_page.specific if self.privacy_page else None

    def accessibility(self, info, **kwargs):
        return self.accessibility_page.specific if self.accessibility_page else None


def _page_interface():
    from grapple.types.interfaces import get_page_interface

    return get_page_interface()


class Municipality(models.Model):
    """The tenant: ties a municipality's home page to the groups and the workflow that onboarding created for it.

    The master data (name, regional key, federal state) lives on the home page, which is what the API publishes;
    the Site, the media collection and the settings hang off the home page. This record answers "which
    municipality does this user work for?" without scanning permissions.
    """

    home_page = models.OneToOneField(
        MunicipalityHomePage, verbose_name="Startseite", on_delete=models.CASCADE, related_name="tenant"
    )
    editors_group = models.OneToOneField(
        Group, verbose_name="Redaktion", null=True, on_delete=models.SET_NULL, related_name="edited_municipality"
    )
    moderators_group = models.OneToOneField(
        Group, verbose_name="Freigabe", null=True, on_delete=models.SET_NULL, related_name="moderated_municipality"
    )
    workflow = models.ForeignKey(
        "wagtailcore.Workflow", verbose_name="Freigabe-Workflow", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("Angelegt am", auto_now_add=True)

    class Meta:
        verbose_name = "Kommune"
        verbose_name_plural = "Kommunen"
        ordering = ["home_page__title"]

    def __str__(self):
        return self.home_page.title

    @property
    def groups(self):
        return [group for group in (self.editors_group, self.moderators_group) if group is not None]
