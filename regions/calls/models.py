import graphene
from django import forms
from django.db import models
from django.db.models import Q
from django.utils import timezone
from grapple.models import GraphQLField, GraphQLStreamfield, GraphQLString
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.blocks import ContentStreamBlock
from cms.graphql_base.fields import GraphQLList, GraphQLTyped, contribute_field, django_type, page_type
from cms.publication import publication_for
from regions.calls.structured_data import describe_call
from sites.models import BasePage, MunicipalityHomePage
from sites.public import municipality_pages
from sites.sections import Section, register_section
from sites.structured_data import register_describer
from sites.validators import validate_date_range


class CallStatus(models.TextChoices):
    UPCOMING = "upcoming", "Demnächst"
    OPEN = "open", "Offen"
    CLOSED = "closed", "Beendet"


class FundingPot(models.TextChoices):
    REGULAR = "regular", "Reguläre Förderung"
    FAST_TRACK = "fast_track", "Schneller Fördertopf"
    PARTICIPATION = "participation", "Beteiligung ohne Förderung"


CallStatusEnum = graphene.Enum.from_enum(CallStatus, description="Whether a call for ideas accepts submissions now.")
FundingPotEnum = graphene.Enum.from_enum(FundingPot, description="Which funding pot a call draws on.")


class CallQuerySet(PageQuerySet):
    def with_status(self, status, now=None):
        """Status is derived from the opening and closing times, never stored, so it cannot go stale."""
        now = now or timezone.now()
        is_open = Q(opens_at__lte=now) & (Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        is_closed = Q(closes_at__lte=now)
        if status == CallStatus.OPEN:
            return self.filter(is_open)
        if status == CallStatus.CLOSED:
            return self.filter(is_closed)
        return self.exclude(is_open).exclude(is_closed)


class CallIndexPage(BasePage):
    intro = models.TextField("Einleitung", blank=True)

    parent_page_types = ["sites.MunicipalityHomePage"]
    subpage_types = ["calls.CallForIdeasPage"]
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    graphql_fields = [GraphQLString("intro")]

    class Meta:
        verbose_name = "Übersicht der Ideenaufrufe"


class CallForIdeasPage(BasePage):
    """A call for ideas from citizens. Its status follows from its opening and closing times."""

    description = models.TextField("Beschreibung", max_length=2000)
    opens_at = models.DateTimeField(
        "Beginn", null=True, blank=True, help_text="Ortszeit Berlin. Leer: Beginn steht noch nicht fest."
    )
    closes_at = models.DateTimeField("Ende", null=True, blank=True, help_text="Ortszeit Berlin. Leer: ohne Frist.")
    funding_pot = models.CharField("Fördertopf", max_length=16, choices=FundingPot.choices, default=FundingPot.REGULAR)
    max_grant_eur = models.PositiveIntegerField("Höchstförderung (€)", null=True, blank=True)
    eligibility = models.TextField("Wer kann teilnehmen?", blank=True)
    how_to_participate = models.TextField("So nehmen Sie teil", blank=True)
    field_of_action = models.ForeignKey(
        "fields_of_action.FieldOfActionPage",
        verbose_name="Handlungsfeld",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ContentStreamBlock(), verbose_name="Inhalt", blank=True, use_json_field=True)

    objects = PageManager.from_queryset(CallQuerySet)()

    parent_page_types = ["calls.CallIndexPage"]
    subpage_types = []

    content_panels = BasePage.content_panels + [
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading="Zeitraum"),
        MultiFieldPanel(
            [
                FieldPanel("funding_pot"),
                FieldPanel("max_grant_eur"),
                # A select of the own municipality's fields of action, drafts included (sites.cross_references).
                FieldPanel("field_of_action", widget=forms.Select),
            ],
            heading="Förderung",
        ),
        FieldPanel("eligibility"),
        FieldPanel("how_to_participate"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("description"), index.SearchField("body")]

    graphql_fields = [
        GraphQLString("description", required=True),
        GraphQLField(
            "opens_at", graphene.DateTime, description="Opening time, Europe/Berlin.", source="opens_at_local"
        ),
        GraphQLField(
            "closes_at", graphene.DateTime, description="Closing time, Europe/Berlin.", source="closes_at_local"
        ),
        GraphQLTyped("status", CallStatusEnum, required=True, description="Derived from opensAt and closesAt."),
        GraphQLTyped("funding_pot", FundingPotEnum, required=True, description="Funding pot of the call."),
        GraphQLField("max_grant_eur", graphene.Int, description="Maximum grant per idea in euros."),
        GraphQLString("eligibility"),
        GraphQLString("how_to_participate"),
        GraphQLTyped(
            "field_of_action",
            page_type("fields_of_action.FieldOfActionPage"),
            description="The field of action the call concerns.",
        ),
        GraphQLStreamfield("body"),
        GraphQLList(
            "ideas",
            django_type("ideas.IdeaSubmission"),
            description="Ideas that the municipality has published, oldest first. Personal data is never included.",
            source="published_ideas",
        ),
    ]

    class Meta:
        verbose_name = "Ideenaufruf"
        verbose_name_plural = "Ideenaufrufe"

    def clean(self):
        super().clean()
        validate_date_range(self.opens_at, self.closes_at, "closes_at", "Der Aufruf endet vor seinem Beginn.")

    @property
    def status(self):
        now = timezone.now()
        if self.closes_at and self.closes_at <= now:
            return CallStatus.CLOSED
        if self.opens_at and self.opens_at <= now:
            return CallStatus.OPEN
        return CallStatus.UPCOMING

    def published_ideas(self, info, **kwargs):
        ideas = publication_for(info.context).records(self.ideas.all())
        return list(ideas.select_related("field_of_action").order_by("submitted_at", "pk"))

    @property
    def opens_at_local(self):
        return timezone.localtime(self.opens_at) if self.opens_at else None

    @property
    def closes_at_local(self):
        return timezone.localtime(self.closes_at) if self.closes_at else None


def calls_of_home(home, info, status=None, **kwargs):
    calls = municipality_pages(info.context, home, CallForIdeasPage)
    if status:
        calls = calls.with_status(status)
    return calls.order_by("path")


contribute_field(
    MunicipalityHomePage,
    GraphQLList(
        "calls_for_ideas",
        page_type("calls.CallForIdeasPage"),
        description="Published calls for ideas of this municipality, optionally filtered by status.",
        resolver=calls_of_home,
        status=graphene.Argument(CallStatusEnum),
    ),
)
register_describer(CallForIdeasPage, describe_call)
register_section(Section("calls", CallIndexPage, "Ideenaufrufe", "ideenaufrufe", 40))
