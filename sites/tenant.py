"""The tenant records: the municipality (`Municipality`) and the settings of its Site (`MunicipalitySettings`).

They name page models by string only, so that the owner rule (sites.ownership) can build on them below the page
models, whose base class asks the owner rule for its municipality's frontend."""

from django.contrib.auth.models import Group
from django.db import models
from grapple.models import GraphQLString
from grapple.types.interfaces import get_page_interface
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from cms.graphql_base.fields import GraphQLTyped
from cms.licences import DEFAULT_LICENCE, LICENCE_CHOICES
from sites.admin_forms import MunicipalitySettingsForm
from sites.origins import validate_origin_list


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
    additional_origins = models.TextField(
        "Weitere erlaubte Herkünfte (Origins)",
        blank=True,
        validators=[validate_origin_list],
        help_text=(
            "Eine Adresse pro Zeile im Format https://host oder https://host:port, ohne Pfad, z. B. "
            "https://beteiligung.kassel.de. Webseiten unter diesen Adressen dürfen im Browser – wie das Frontend "
            "und die Vorschau – Ideen einreichen und Vorschau-Links öffnen. Öffentliche Inhalte darf jede Website "
            "lesen. Näheres in der Dokumentation: docs/cors.md."
        ),
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
        FieldPanel("additional_origins"),
        FieldPanel("imprint_page"),
        FieldPanel("privacy_page"),
        FieldPanel("accessibility_page"),
        FieldPanel("data_licence"),
    ]

    graphql_fields = [
        GraphQLString("frontend_base_url", description="Public base URL of the municipality's frontend."),
        GraphQLString("preview_url", description="Base URL the admin sends preview tokens to."),
        GraphQLTyped("imprint", get_page_interface, description="The imprint (Impressum) page."),
        GraphQLTyped("privacy", get_page_interface, description="The privacy policy page."),
        GraphQLTyped("accessibility", get_page_interface, description="The accessibility statement."),
    ]

    owner_field = "site"
    # The legal pages must be the municipality's own (sites.cross_references).
    base_form_class = MunicipalitySettingsForm

    class Meta:
        verbose_name = "Einstellungen der Kommune"
        verbose_name_plural = "Einstellungen der Kommunen"

    def imprint(self, info, **kwargs):
        return self.imprint_page.specific if self.imprint_page else None

    def privacy(self, info, **kwargs):
        return self.privacy_page.specific if self.privacy_page else None

    def accessibility(self, info, **kwargs):
        return self.accessibility_page.specific if self.accessibility_page else None


class Municipality(models.Model):
    """The tenant: ties a municipality's home page to the groups and the workflow that onboarding created for it.

    The master data (name, regional key, federal state) lives on the home page, which is what the API publishes;
    the Site, the media collection and the settings hang off the home page. This record answers "which
    municipality does this user work for?" without scanning permissions.
    """

    home_page = models.OneToOneField(
        "sites.MunicipalityHomePage", verbose_name="Startseite", on_delete=models.CASCADE, related_name="tenant"
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
    def regional_key(self):
        return self.home_page.regional_key

    @property
    def groups(self):
        return [group for group in (self.editors_group, self.moderators_group) if group is not None]
