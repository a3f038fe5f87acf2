"""schema.org for projects: a Project funded by the programme's MonetaryGrant, with its fields of action."""

from regions.programme.models import ProgrammePage
from regions.programme.structured_data import grant


def _programme_of(home, describer):
    if home is None:
        return None
    return describer.memoised(("programme", home.pk), lambda: describer.municipality_pages(home, ProgrammePage).first())


def describe_project(page, describer):
    home = describer.home_of(page)
    return {
        "@type": "Project",
        "name": page.title,
        "description": page.teaser,
        "url": describer.url(page),
        "parentOrganization": describer.organisation(home),
        "funding": grant(_programme_of(home, describer), describer),
        "keywords": [field.title for field in describer.references(page, page.fields_of_action.all())],
    }
