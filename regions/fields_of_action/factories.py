import factory
import wagtail_factories
from django.utils.text import slugify

from regions.fields_of_action.models import FieldOfActionIndexPage, FieldOfActionPage
from sites.factories import MunicipalityHomePageFactory


class FieldOfActionIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FieldOfActionIndexPage

    parent = factory.SubFactory(MunicipalityHomePageFactory)
    title = "Handlungsfelder"
    slug = "handlungsfelder"
    intro = "Die Themen, auf die sich unsere Smart City konzentriert."


class FieldOfActionPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FieldOfActionPage

    parent = factory.SubFactory(FieldOfActionIndexPageFactory)
    title = factory.Sequence(lambda n: f"Handlungsfeld {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    teaser = factory.LazyAttribute(lambda page: f"Worum es im Handlungsfeld „{page.title}“ geht.")
