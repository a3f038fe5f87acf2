from datetime import date

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from regions.programme.models import PhaseKind, ProgrammePage, ProgrammePhase
from sites.factories import MunicipalityHomePageFactory


class ProgrammePageFactory(wagtail_factories.PageFactory):
    """Programme facts without amounts or phases; add phases with `phases=[ProgrammePhase(...)]` or the factory."""

    class Meta:
        model = ProgrammePage

    parent = factory.SubFactory(MunicipalityHomePageFactory)
    title = "Förderprogramm"
    slug = "foerderprogramm"
    programme_name = "Modellprojekte Smart Cities"
    funding_ministry = "Bundesministerium für Wohnen, Stadtentwicklung und Bauwesen"
    start_date = date(2021, 4, 1)
    duration_months = 84


class ProgrammePhaseFactory(DjangoModelFactory):
    """The two-year strategy phase by default; pass `kind=PhaseKind.IMPLEMENTATION` and dates for the other."""

    class Meta:
        model = ProgrammePhase

    page = factory.SubFactory(ProgrammePageFactory)
    kind = PhaseKind.STRATEGY
    title = factory.LazyAttribute(lambda phase: PhaseKind(phase.kind).label)
    start_date = date(2021, 4, 1)
    end_date = date(2023, 3, 31)
    duration_months = 24
    description = "In dieser Phase entsteht die Smart-City-Strategie."
