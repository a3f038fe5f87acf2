import factory
import wagtail_factories
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from regions.projects.models import ProjectIndexPage, ProjectKind, ProjectPage, ProjectPartner, ProjectStatus
from sites.factories import MunicipalityHomePageFactory


class ProjectIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ProjectIndexPage

    parent = factory.SubFactory(MunicipalityHomePageFactory)
    title = "Projekte"
    slug = "projekte"
    intro = "Unsere Projekte und Pilotvorhaben."


class ProjectPageFactory(wagtail_factories.PageFactory):
    """A planned project. Pass `fields_of_action=[...]` to link fields of action of the same municipality."""

    class Meta:
        model = ProjectPage

    parent = factory.SubFactory(ProjectIndexPageFactory)
    title = factory.Sequence(lambda n: f"Projekt {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    teaser = factory.LazyAttribute(lambda page: f"Kurzbeschreibung des Projekts „{page.title}“.")
    kind = ProjectKind.IMPLEMENTATION
    status = ProjectStatus.PLANNED


class ProjectPartnerFactory(DjangoModelFactory):
    class Meta:
        model = ProjectPartner

    page = factory.SubFactory(ProjectPageFactory)
    name = factory.Sequence(lambda n: f"Partnerorganisation {n}")
    role = "Umsetzungspartner"
