from django.db import models
from grapple.models import GraphQLImage, GraphQLStreamfield, GraphQLString
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cms.api.fields import GraphQLList, page_type
from cms.api.state import get_state
from cms.blocks import ContentStreamBlock
from cms.pages import BasePage


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
        GraphQLList(
            "projects",
            page_type("projects.ProjectPage"),
            description="Published projects assigned to this field of action.",
        ),
    ]

    class Meta:
        verbose_name = "Handlungsfeld"
        verbose_name_plural = "Handlungsfelder"

    def projects(self, info, **kwargs):
        from regions.projects.models import ProjectPage

        projects = get_state(info).visible_pages(ProjectPage.objects.filter(fields_of_action=self))
        return projects.prefetch_related("fields_of_action", "partners").order_by("path")
