from django.db import models
from grapple.models import GraphQLImage, GraphQLStreamfield, GraphQLString
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cms.blocks import ContentStreamBlock
from cms.graphql_base.fields import GraphQLList, contribute_field, page_type
from sites.models import BasePage, MunicipalityHomePage
from sites.public import municipality_pages
from sites.sections import Section, register_section


class FieldOfActionIndexPage(BasePage):
    intro = models.TextField("Einleitung", blank=True)

    parent_page_types = ["sites.MunicipalityHomePage"]
    subpage_types = ["fields_of_action.FieldOfActionPage"]
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    graphql_fields = [GraphQLString("intro")]

    class Meta:
        verbose_name = "Übersicht der Handlungsfelder"


class FieldOfActionPage(BasePage):
    """A field of action (Handlungsfeld) such as mobility or coastal protection."""

    teaser = models.TextField("Kurzbeschreibung", max_length=600)
    image = models.ForeignKey(
        "media.CustomImage", verbose_name="Bild", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(ContentStreamBlock(), verbose_name="Inhalt", blank=True, use_json_field=True)

    parent_page_types = ["fields_of_action.FieldOfActionIndexPage"]
    subpage_types = []

    content_panels = BasePage.content_panels + [FieldPanel("teaser"), FieldPanel("image"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("teaser"), index.SearchField("body")]

    graphql_fields = [
        GraphQLString("teaser", required=True),
        GraphQLImage("image"),
        GraphQLStreamfield("body"),
    ]

    class Meta:
        verbose_name = "Handlungsfeld"
        verbose_name_plural = "Handlungsfelder"


def fields_of_action_of_home(home, info, **kwargs):
    return municipality_pages(info.context, home, FieldOfActionPage).order_by("path")


contribute_field(
    MunicipalityHomePage,
    GraphQLList(
        "fields_of_action",
        page_type("fields_of_action.FieldOfActionPage"),
        description="Published fields of action (Handlungsfelder) of this municipality.",
        resolver=fields_of_action_of_home,
    ),
)
register_section(Section("fields_of_action", FieldOfActionIndexPage, "Handlungsfelder", "handlungsfelder", 10))
