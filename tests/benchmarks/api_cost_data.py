"""Data of the API cost benchmark: MUNICIPALITIES onboarded municipalities with PROJECTS published projects each.

Everything goes through the onboarding service and the factories, as in production and the tests: each municipality
gets its Site, home page and standard sections from `add_municipality`, then fields of action, projects with rich
text, images and partners, the programme facts, a team of roles (no names), and an open call with published ideas.
Names are generic and marked as demo content ("Lasttest"); no real person appears.

Import this module after `django.setup()`. `prepare()` returns the counts. `is_prepared()` tells whether a database
built by the same recipe (DATA_VERSION) is already there, so that the benchmark can reuse it.
"""

import time
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from wagtail.images import get_image_model

from cms.media.factories import ImageFactory
from regions.calls.factories import CallForIdeasPageFactory
from regions.calls.models import CallIndexPage
from regions.fields_of_action.factories import FieldOfActionPageFactory
from regions.fields_of_action.models import FieldOfActionIndexPage
from regions.ideas.factories import IdeaSubmissionFactory
from regions.ideas.models import IdeaStatus
from regions.programme.factories import ProgrammePageFactory
from regions.programme.models import PhaseKind, ProgrammePhase
from regions.projects.factories import ProjectPageFactory
from regions.projects.models import ProjectIndexPage, ProjectKind, ProjectPage, ProjectPartner, ProjectStatus
from regions.team.factories import TeamMemberFactory
from regions.team.models import TeamPage
from sites.factories import make_regional_key
from sites.models import Municipality
from sites.onboarding import MunicipalityInput, add_municipality

MUNICIPALITIES = 20
PROJECTS = 50
IMAGES = 3
IDEAS = 20
# Bump when the recipe below changes, so that a cached database is rebuilt.
DATA_VERSION = "api-cost data v1"

THEMES = [
    ("Mobilität", "Verkehr, Radwege und Sharing-Angebote"),
    ("Energie und Klima", "Wärmewende, Photovoltaik und Klimaanpassung"),
    ("Bildung", "digitale Lernorte und Medienkompetenz"),
    ("Verwaltung digital", "Online-Dienste und offene Daten"),
    ("Stadtentwicklung", "Quartiere, Plätze und Beteiligung"),
    ("Gesundheit und Pflege", "Versorgung im ländlichen Raum"),
]
TEAM_ROLES = [
    ("Projektleitung (Demo)", "Stabsstelle Digitalisierung"),
    ("Koordination Bürgerbeteiligung (Demo)", "Amt für Stadtentwicklung"),
    ("Datenmanagement (Demo)", "Amt für Informationstechnik"),
    ("Öffentlichkeitsarbeit (Demo)", "Presse- und Informationsamt"),
    ("Fördermittelmanagement (Demo)", "Kämmerei"),
]
IDEA_TEXT = (
    "Eine Idee aus dem Lasttest: Sitzbänke und Trinkbrunnen entlang der Hauptwege, damit ältere Menschen und Familien "
    "den Weg in die Innenstadt bequemer zurücklegen können."
)


def hostname(number):
    return f"lasttest{number:02d}.localhost"


def hostnames():
    return [hostname(number) for number in range(1, MUNICIPALITIES + 1)]


def _body(number, field_of_action, image):
    """A project body with the blocks the API expands: heading, rich text with an internal link, image, key figure
    and questions with rich-text answers."""
    link = f'<a linktype="page" id="{field_of_action.pk}">{field_of_action.title}</a>'
    return [
        {"type": "heading", "value": {"text": "Worum es geht", "level": "h2"}},
        {
            "type": "paragraph",
            "value": (
                f"<p>Das Projekt {number} (Demo-Inhalt für den Lasttest) gehört zum Handlungsfeld {link}. "
                "<b>Ziel</b> ist es, die Angebote der Stadt <i>einfacher</i> und barrierefrei zugänglich zu machen.</p>"
                "<ul><li>Bestandsaufnahme mit der Stadtgesellschaft</li><li>Pilotbetrieb in zwei Quartieren</li>"
                "<li>Auswertung und Übertragung auf weitere Stadtteile</li></ul>"
            ),
        },
        {
            "type": "image",
            "value": {"image": image.pk, "alt_text": "Symbolbild (Demo)", "caption": "Symbolbild", "credit": "Demo"},
        },
        {"type": "key_figure", "value": {"value": "250000.00", "unit": "€", "caption": "Fördervolumen (Demo)"}},
        {
            "type": "faq",
            "value": {
                "title": "Häufige Fragen",
                "items": [
                    {"question": "Wer kann mitmachen?", "answer": f"<p>Alle Interessierten, siehe {link}.</p>"},
                    {"question": "Was kostet das?", "answer": "<p>Die Teilnahme ist kostenlos.</p>"},
                ],
            },
        },
    ]


def _images(collection, number):

    images = []
    for index in range(IMAGES):
        images.append(
            ImageFactory(
                collection=collection,
                title=f"Symbolbild {index + 1} Lasttest {number:02d}",
                file__width=800,
                file__height=600,
                file__color=["steelblue", "seagreen", "goldenrod"][index % 3],
            )
        )
    return images


def _renditions(images):
    """Every rendition the API allows, made in advance: the benchmark measures the API, not the first resize."""
    filters = [spec for spec in settings.ALLOWED_IMAGE_FILTERS if spec != "original"]
    for image in images:
        image.get_renditions(*filters)


def _municipality(number, now):

    name = f"Lasttest-Stadt {number:02d}"
    host = hostname(number)
    municipality = add_municipality(
        MunicipalityInput(
            name=name,
            official_name=f"Stadt Lasttest {number:02d} (Demo)",
            regional_key=make_regional_key(900 + number),
            hostname=host,
            cohort_year=2020 + number % 3,
            frontend_base_url=f"https://{host}",
            preview_url=f"https://{host}/vorschau",
        )
    )
    home = municipality.home_page
    home.intro = f"{name} ist eine erfundene Kommune für den Lasttest der Schnittstelle (Demo-Inhalt)."
    home.contact_email = f"smartcity@{host}"
    home.contact_address = "Rathausplatz 1\n00000 Lasttest (Demo)"
    home.save_revision().publish()

    images = _images(home.media_collection, number)
    _renditions(images)
    published = {"first_published_at": now, "last_published_at": now}

    foa_index = FieldOfActionIndexPage.objects.child_of(home).get()
    fields_of_action = [
        FieldOfActionPageFactory(
            parent=foa_index,
            title=title,
            teaser=f"Im Handlungsfeld „{title}“ geht es um {topic} (Demo-Inhalt).",
            image=images[index % IMAGES],
            **published,
        )
        for index, (title, topic) in enumerate(THEMES)
    ]

    project_index = ProjectIndexPage.objects.child_of(home).get()
    statuses = list(ProjectStatus)
    kinds = list(ProjectKind)
    for index in range(PROJECTS):
        field_of_action = fields_of_action[index % len(fields_of_action)]
        second = fields_of_action[(index + 1) % len(fields_of_action)]
        image = images[index % IMAGES]
        ProjectPageFactory(
            parent=project_index,
            title=f"{field_of_action.title}: Pilotprojekt {index + 1}",
            teaser=f"Pilotprojekt {index + 1} im Handlungsfeld „{field_of_action.title}“ (Demo-Inhalt, Lasttest).",
            kind=kinds[index % len(kinds)],
            status=statuses[index % len(statuses)],
            start_date=date(2021, 1, 1) + timedelta(days=30 * index),
            end_date=date(2026, 12, 31),
            image=image,
            body=_body(index + 1, field_of_action, image),
            fields_of_action=[field_of_action, second],
            partners=[
                ProjectPartner(name="Partnerorganisation A (Demo)", role="Umsetzungspartner"),
                ProjectPartner(name="Hochschule B (Demo)", role="Wissenschaftliche Begleitung"),
            ],
            **published,
        )

    ProgrammePageFactory(
        parent=home,
        federal_funding_eur=10_000_000 + number * 100_000,
        municipal_share_eur=1_000_000 + number * 10_000,
        council_decision_date=date(2020, 3, 1),
        phases=[
            ProgrammePhase(
                kind=PhaseKind.STRATEGY,
                title="Strategiephase",
                start_date=date(2021, 4, 1),
                end_date=date(2023, 3, 31),
                duration_months=24,
                description="In dieser Phase entsteht die Smart-City-Strategie (Demo).",
            ),
            ProgrammePhase(
                kind=PhaseKind.IMPLEMENTATION,
                title="Umsetzungsphase",
                start_date=date(2023, 4, 1),
                end_date=date(2028, 3, 31),
                duration_months=60,
                description="In dieser Phase werden die Projekte umgesetzt (Demo).",
            ),
        ],
        **published,
    )

    team = TeamPage.objects.child_of(home).get()
    for role, unit in TEAM_ROLES:
        TeamMemberFactory(page=team, role=role, unit=unit, email=f"team@{host}")

    call_index = CallIndexPage.objects.child_of(home).get()
    call = CallForIdeasPageFactory(
        parent=call_index,
        is_open=True,
        title="Ideen für unsere Quartiere",
        description="Reichen Sie Ihre Idee für ein lebenswerteres Quartier ein (Demo-Aufruf für den Lasttest).",
        field_of_action=fields_of_action[0],
        max_grant_eur=5000,
        **published,
    )
    for index in range(IDEAS):
        IdeaSubmissionFactory(
            call=call,
            title=f"Idee {index + 1} für die Quartiere (Demo)",
            description=IDEA_TEXT,
            status=IdeaStatus.PUBLISHED,
            email=f"lasttest{number:02d}-{index}@example.org",
            field_of_action=fields_of_action[index % len(fields_of_action)],
        )


def counts():

    return {"municipalities": Municipality.objects.count(), "projects": ProjectPage.objects.live().count()}


def database_comment():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
        )
        return cursor.fetchone()[0]


def is_prepared():
    """True when the database holds this recipe's data and its image files are still on disk."""

    if database_comment() != DATA_VERSION:
        return False
    if counts() != {"municipalities": MUNICIPALITIES, "projects": MUNICIPALITIES * PROJECTS}:
        return False
    image = get_image_model().objects.first()
    return image is not None and image.file.storage.exists(image.file.name)


def prepare(progress=print):
    """Builds the data in the (empty, migrated) database and marks it with DATA_VERSION; returns the counts."""
    started = time.perf_counter()
    now = timezone.now()
    for number in range(1, MUNICIPALITIES + 1):
        with transaction.atomic():
            _municipality(number, now)
        if number % 5 == 0:
            progress(f"  {number} municipalities, {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute(f"COMMENT ON DATABASE {connection.settings_dict['NAME']} IS %s", [DATA_VERSION])
    return counts()
