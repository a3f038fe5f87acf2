"""Demo content for two municipalities, built only from the seed texts in /work/shared/seeds.

The data describes KielRegion and Kassel as their own publications do. Where a seed gives no value (no dates of a
call, no amounts), the field stays empty rather than being guessed. The team names roles and offices, never people.

`load_demo_content()` creates whatever is missing and never changes a record that already exists, so it can run
any number of times.
"""

import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.models import Page, Site

from regions.calls.models import CallForIdeasPage, CallIndexPage, FundingPot
from regions.fields_of_action.models import FieldOfActionIndexPage, FieldOfActionPage
from regions.programme.models import PhaseKind, ProgrammePage, ProgrammePhase
from regions.projects.models import ProjectIndexPage, ProjectKind, ProjectPage, ProjectStatus
from regions.team.models import TeamMember
from sites.models import Municipality, MunicipalityHomePage
from sites.onboarding import MunicipalityInput, add_municipality

BERLIN = ZoneInfo("Europe/Berlin")

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "smartcity-demo"


def _paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


KASSEL_FIELDS_OF_ACTION = [
    ("Smart Welcome City", "smart-welcome-city"),
    ("Smart City goes Citizen", "smart-city-goes-citizen"),
    ("Smart Ecosystem Services", "smart-ecosystem-services"),
    ("Smart H2Quarters", "smart-h2quarters"),
    ("Smart Safe Mobility", "smart-safe-mobility"),
]

# Verbatim from the Kassel seed; used for every Kassel project because the seed says nothing project-specific.
KASSEL_NEXT_STEP = (
    "Im weiteren Prozess geht es jetzt darum, gemeinsam mit der Stadtgesellschaft Bedarfe zu eruieren und zu "
    "konkretisieren, wo mit Hilfe digitaler Instrumente Verbesserungen für das Leben in Kassel erreicht werden können."
)

MUNICIPALITIES = [
    {
        "collection": "KielRegion",
        "home": {
            "title": "Smarte KielRegion",
            "slug": "kielregion",
            "official_name": "KielRegion",
            "regional_key": "010020000000",
            "federal_state": "01",
            "cohort_year": 2020,
            "intro": (
                "Das Projekt Smarte KielRegion hat ein klares Ziel: die Lebensqualität der Menschen in der "
                "KielRegion verbessern. Ihr Alltag soll durch digitale Lösungen einfacher und besser werden."
            ),
        },
        "site": {"hostname": "kielregion.localhost", "port": 80, "site_name": "Smarte KielRegion"},
        "settings": {
            "frontend_base_url": "http://kielregion.localhost:3000",
            "preview_url": "http://kielregion.localhost:3000/preview",
        },
        "fields_of_action": {
            "index": {
                "title": "Handlungsfelder",
                "slug": "handlungsfelder",
                "intro": (
                    "Digitalisierung betrifft viele Bereiche. Für unsere Smarte KielRegion sind zu Beginn folgende "
                    "Themen von besonderer Relevanz:"
                ),
            },
            "pages": [
                {
                    "title": "Intelligente Quartiersentwicklung",
                    "slug": "intelligente-quartiersentwicklung",
                    "teaser": (
                        "Intelligente Quartiersentwicklung bedeutet vor Ort ein komfortables, sicheres und "
                        "unkompliziertes Leben zu ermöglichen. Dies soll durch innovative Nutzungskonzepte in "
                        "Kombination mit ausgeklügelter digitaler Technik umgesetzt werden."
                    ),
                },
                {
                    "title": "Digitale Mobilität",
                    "slug": "digitale-mobilitaet",
                    "teaser": (
                        "Mobilität ist das Bindeglied zwischen Arbeiten, Einkauf, Wohnen und Freizeit; innerhalb der "
                        "Quartiere und der Region. Sämtliche Produkte und Dienstleistungen des täglichen Bedarfs sowie "
                        "die Arbeitsstätten sollen in Zukunft komfortabel und ohne großes Verkehrsaufkommen vor Ort "
                        "erreichbar sein – smart und digital."
                    ),
                },
                {
                    "title": "Küsten- und Meeresschutz",
                    "slug": "kuesten-und-meeresschutz",
                    # "wieder" (sic): kept as the seed spells it.
                    "teaser": (
                        "Der starke maritime Bezug der Region spiegelt sich im Thema Küsten- und Meeresschutz wieder. "
                        "Neben ökologischen Aspekten ist die Schaffung und Sicherung von Arbeitsplätzen sowie die "
                        "Attraktivität als Wirtschaftsstandort relevant."
                    ),
                },
            ],
        },
        "projects": {
            "index": {
                "title": "Projekte",
                "slug": "projekte",
                "intro": (
                    "Als Resultat unseres Beteiligungsprozesses der letzten Monate haben wir euch in unserer "
                    "Ausstellung Ende Februar unsere vorläufigen Fokusthemen und Projekte für die Umsetzungsphase "
                    "präsentiert."
                ),
            },
            # The seed names "Sofortmaßnahmen" and "strategische Pilote" only generically, so the one named
            # undertaking, the strategy itself, is the only project.
            "pages": [
                {
                    "title": "Smarte KielRegion Strategie",
                    "slug": "smarte-kielregion-strategie",
                    "teaser": (
                        "Alle Menschen der KielRegion sind ausdrücklich eingeladen teilzunehmen und uns mit "
                        "Anregungen und innovativen Projektideen zu unterstützen. Damit legen wir die Grundlagen für "
                        "eine Smarte KielRegion Strategie – unser Wegweiser für die fünfjährige Umsetzungsphase."
                    ),
                    "kind": ProjectKind.IMPLEMENTATION,
                    "status": ProjectStatus.RUNNING,
                    "fields_of_action": [
                        "intelligente-quartiersentwicklung",
                        "digitale-mobilitaet",
                        "kuesten-und-meeresschutz",
                    ],
                },
            ],
        },
        "team": {
            "title": "Team",
            "slug": "team",
            "intro": "",
            "members": [{"role": "Projektteam Smarte KielRegion", "unit": "KielRegion"}],
        },
        "programme": {
            "title": "Förderprogramm",
            "slug": "foerderprogramm",
            "programme_name": "Modellprojekte Smart Cities",
            "funding_ministry": "Bundesministerium für Wohnen, Stadtentwicklung und Bauwesen",
            # The seed names no amounts.
            "federal_funding_eur": None,
            "municipal_share_eur": None,
            "funding_note": "",
            "start_date": date(2021, 3, 1),  # "Seit März 2021"
            "council_decision_date": None,
            "duration_months": 84,  # two-year strategy phase plus five-year implementation phase
            "body": [
                _paragraph(
                    "Im Rahmen des Bundesprogramms „Modellprojekte Smart Cities“ wurden im Jahr 2020 bundesweit 32 "
                    "Kommunen für eine Förderung ausgewählt. Wir nehmen die Smart City Charta als Vorbild und "
                    "orientieren uns an deren Werten."
                ),
                _paragraph(
                    "In einer zweijährigen Strategiephase erarbeitet das Projektteam einen Fahrplan für eine Smarte "
                    "KielRegion. Auf diesen zahlen unterschiedliche Aktivitäten, darunter sogenannte "
                    "„Sofortmaßnahmen“ und „strategische Pilote“, ein."
                ),
            ],
            "phases": [
                {
                    "kind": PhaseKind.STRATEGY,
                    "title": "Strategiephase",
                    "start_date": date(2021, 3, 1),
                    "end_date": date(2023, 2, 28),
                    "duration_months": 24,
                    "description": (
                        "Das Projekt startet mit einer zweijährigen Strategiephase während der wir Ideen sammeln und "
                        "erste Pilotprojekte in der Region umsetzen."
                    ),
                },
                {
                    "kind": PhaseKind.IMPLEMENTATION,
                    "title": "Umsetzungsphase",
                    "start_date": date(2023, 3, 1),
                    "end_date": date(2028, 2, 29),
                    "duration_months": 60,
                    "description": (
                        "Bis Anfang 2028 werden wir die erarbeiteten smarte Ideen gemeinsam mit euch in die Tat "
                        "umsetzen."
                    ),
                },
            ],
        },
        "calls": {
            "index": {
                "title": "Ideenaufrufe",
                "slug": "ideenaufrufe",
                "intro": (
                    "Ihr habt ein konkretes Projekt oder eine Idee für eine smarte KielRegion? In Kürze folgen hier "
                    "detaillierte Informationen zum formellen Antragsprozess für die Förderung von Maßnahmen im "
                    "Rahmen des Projektes."
                ),
            },
            "pages": [
                {
                    "title": "Eure Region, eure Vision",
                    "slug": "eure-region-eure-vision",
                    "funding_pot": FundingPot.PARTICIPATION,
                    "opens_at": None,  # "in Kürze": no date yet, so the call is upcoming
                    "closes_at": None,
                    "description": (
                        "Als Bürger*innen werdet Ihr in Kürze die Möglichkeit haben uns eure Ideen und Lösungen für "
                        "eine Smarte KielRegion mitzuteilen. Wir sind gespannt auf euer Feedback."
                    ),
                },
                {
                    "title": "Schneller Fördertopf",
                    "slug": "schneller-foerdertopf",
                    "funding_pot": FundingPot.FAST_TRACK,
                    "opens_at": None,
                    "closes_at": None,
                    # "unterstütz" (sic): kept as the seed spells it.
                    "description": (
                        "Es wird neben großen Förderungen auch einen „schnellen Fördertopf“ geben, durch den kleinere "
                        "Maßnahmen unkompliziert unterstütz werden können."
                    ),
                },
                {
                    "title": "Ideen und Anregungen für die Smarte KielRegion",
                    "slug": "ideen-und-anregungen",
                    "funding_pot": FundingPot.PARTICIPATION,
                    "opens_at": datetime(2021, 3, 1, tzinfo=BERLIN),
                    "closes_at": None,  # the invitation has no deadline, so the call stays open
                    "description": (
                        "Alle sind eingeladen, sich mit eigenen Ideen und Anregungen zu beteiligen. Je mehr Menschen "
                        "sich einbringen und je diverser die Perspektiven sind, desto besser. So finden wir gemeinsam "
                        "Lösungen, von denen alle profitieren."
                    ),
                },
            ],
        },
    },
    {
        "collection": "Stadt Kassel",
        "home": {
            "title": "Smart Kassel",
            "slug": "kassel",
            "official_name": "Stadt Kassel",
            "regional_key": "066110000000",
            "federal_state": "06",
            "cohort_year": 2020,
            "intro": (
                "Mit ihrem Projekt „Smart Kassel“ hat die Stadt Kassel im Jahr 2020 den Zuschlag vom "
                "Bundesministerium des Innern, für Bau und Heimat für das Förderprogramm „Modellprojekte Smart "
                "Cities: Stadtentwicklung und Digitalisierung“ erhalten."
            ),
        },
        "site": {"hostname": "kassel.localhost", "port": 80, "site_name": "Smart Kassel"},
        "settings": {
            "frontend_base_url": "http://kassel.localhost:3000",
            "preview_url": "http://kassel.localhost:3000/preview",
        },
        "fields_of_action": {
            "index": {
                "title": "Handlungsfelder",
                "slug": "handlungsfelder",
                "intro": (
                    "Als wichtigste Handlungsfelder hat die Stadt Kassel in ihrem Antrag die Projekte Smart Welcome "
                    "City, Smart City goes Citizen, Smart Ecosystem Services, Smart H2Quarters und Smart Safe "
                    "Mobility identifiziert."
                ),
            },
            # The seed only lists the names, so each teaser restates that sentence for its own field.
            "pages": [
                {
                    "title": title,
                    "slug": slug,
                    "teaser": (
                        f"Die Stadt Kassel hat „{title}“ in ihrem Antrag als eines der wichtigsten Handlungsfelder "
                        "identifiziert."
                    ),
                }
                for title, slug in KASSEL_FIELDS_OF_ACTION
            ],
        },
        "projects": {
            "index": {"title": "Projekte", "slug": "projekte", "intro": KASSEL_NEXT_STEP},
            # The seed calls the fields of action "Projekte" as well; none has started or has dates yet.
            "pages": [
                {
                    "title": title,
                    "slug": slug,
                    "teaser": (
                        f"Die Stadt Kassel hat das Projekt „{title}“ in ihrem Antrag als eines der wichtigsten "
                        f"Handlungsfelder identifiziert. {KASSEL_NEXT_STEP}"
                    ),
                    "kind": ProjectKind.IMPLEMENTATION,
                    "status": ProjectStatus.PLANNED,
                    "fields_of_action": [slug],
                }
                for title, slug in KASSEL_FIELDS_OF_ACTION
            ],
        },
        "team": {
            "title": "Team",
            "slug": "team",
            "intro": (
                "Für die Entwicklung der Digitalstrategie wird im Hauptamt – Geschäftsbereich des Oberbürgermeisters "
                "– ein Projektbüro „Smart City“ eingerichtet."
            ),
            "members": [
                {"role": "Projektbüro „Smart City“", "unit": "Hauptamt – Geschäftsbereich des Oberbürgermeisters"},
                {"role": "Oberbürgermeister", "unit": "Stadt Kassel"},
            ],
        },
        "programme": {
            "title": "Förderprogramm",
            "slug": "foerderprogramm",
            "programme_name": "Modellprojekte Smart Cities: Stadtentwicklung und Digitalisierung",
            "funding_ministry": "Bundesministerium des Innern, für Bau und Heimat",
            "federal_funding_eur": 11_000_000,  # "elf Millionen Euro"
            "municipal_share_eur": 6_000_000,
            "funding_note": "knapp sechs Millionen Euro städtische Eigenmittel",
            "start_date": date(2021, 4, 1),
            "council_decision_date": date(2020, 5, 11),
            "duration_months": 84,  # "auf einen Zeitraum von sieben Jahren angelegt"
            "body": [
                {
                    "type": "key_figure",
                    "value": {"value": 11, "unit": "Mio. €", "caption": "Fördermittel des Bundes"},
                },
                {
                    "type": "quote",
                    "value": {
                        "quote": (
                            "Mit unserem Modellprojekt wollen wir bedarfsgerechte Technologien in den Alltag der "
                            "Menschen in unserer Stadt integrieren, unsere Leistungen für das Gemeinwohl modernisieren "
                            "und den Wirtschaftsstandort Kassel stärken. Dank der Zusage des Bundesinnenministeriums "
                            "stehen uns nun weitere Finanzmittel zur Verfügung, um den Prozess noch schneller "
                            "voranzutreiben und unsere Stadt gezielt auf die Herausforderungen der Zukunft "
                            "vorzubereiten."
                        ),
                        "attribution": "Oberbürgermeister Christian Geselle",
                    },
                },
            ],
            "phases": [
                {
                    "kind": PhaseKind.STRATEGY,
                    "title": "Strategiephase",
                    "start_date": date(2021, 4, 1),
                    "end_date": date(2023, 3, 31),
                    "duration_months": 24,
                    "description": (
                        "In den ersten beiden Jahren des Förderzeitraums entwickelt die Stadt mit Hilfe verschiedener "
                        "Partner und unter Beteiligung der Bürgerinnen und Bürger eine integrierte Smart "
                        "City-Strategie. Sofern dieser Prozess erfolgreich abgeschlossen wird, werden die weiteren "
                        "Projektmittel freigegeben."
                    ),
                },
                {
                    "kind": PhaseKind.IMPLEMENTATION,
                    "title": "Umsetzungsphase",
                    "start_date": date(2023, 4, 1),
                    "end_date": date(2028, 3, 31),
                    "duration_months": 60,
                    "description": "Bis zum Jahr 2028 sollen konkrete Projekte in die Praxis überführt werden.",
                },
            ],
        },
        "calls": {
            "index": {"title": "Ideenaufrufe", "slug": "ideenaufrufe", "intro": ""},
            "pages": [
                {
                    "title": "Beteiligung an der Smart City-Strategie",
                    "slug": "beteiligung-smart-city-strategie",
                    "funding_pot": FundingPot.PARTICIPATION,
                    # The participation belongs to the strategy phase, so it spans exactly that phase.
                    "opens_at": datetime(2021, 4, 1, tzinfo=BERLIN),
                    "closes_at": datetime(2023, 4, 1, tzinfo=BERLIN),
                    "description": (
                        "Als ausgewählte Kommune ist die Stadt nun aufgerufen, in den ersten beiden Jahren des "
                        "Förderzeitraums mit Hilfe verschiedener Partner und unter Beteiligung der Bürgerinnen und "
                        "Bürger eine integrierte Smart City-Strategie zu entwickeln."
                    ),
                },
            ],
        },
    },
]


class DemoContentError(Exception):
    """Existing data blocks the demo content, e.g. a page with the same slug but of another type."""


@dataclass
class Report:
    created: list = field(default_factory=list)
    present: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    admin_created: bool = False
    staff_created: list = field(default_factory=list)

    def record(self, label, created):
        (self.created if created else self.present).append(label)


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _ensure_child_page(report, parent, model, fields):
    """Returns the child of `parent` with the slug in `fields`, creating and publishing it only if it is missing."""
    label = f"{model.__name__} „{fields['title']}“ ({parent.url_path}{fields['slug']}/)"
    existing = parent.get_children().filter(slug=fields["slug"]).first()
    if existing is not None:
        existing = existing.specific
        if not isinstance(existing, model):
            raise DemoContentError(f"{label}: the slug is taken by a page of type {type(existing).__name__}.")
        report.record(label, created=False)
        return existing
    # Inline records (members, phases) and parental many-to-many links go into the constructor: modelcluster
    # keeps them in memory and commits them with the page, so the first revision already contains them.
    page = _publish(parent, model(**fields))
    report.record(label, created=True)
    return page


def _ensure_municipality(report, data):
    """The municipality's home page, onboarded with its standard sections filled from the seed texts."""
    fields = data["home"]
    label = f"Kommune „{fields['title']}“ ({fields['regional_key']})"
    home = MunicipalityHomePage.objects.filter(regional_key=fields["regional_key"]).first()
    if home is not None:
        report.record(label, created=False)
        return home
    team = data["team"]
    municipality_input = MunicipalityInput(
        name=fields["title"],
        slug=fields["slug"],
        official_name=fields["official_name"],
        regional_key=fields["regional_key"],
        cohort_year=fields["cohort_year"],
        hostname=data["site"]["hostname"],
        port=data["site"]["port"],
        frontend_base_url=data["settings"]["frontend_base_url"],
        preview_url=data["settings"]["preview_url"],
        section_fields={
            "fields_of_action": data["fields_of_action"]["index"],
            "projects": data["projects"]["index"],
            "calls": data["calls"]["index"],
            "team": {**team, "members": [TeamMember(**member) for member in team["members"]]},
        },
    )
    try:
        municipality = add_municipality(municipality_input)
    except ValidationError as error:
        raise DemoContentError(f"{label}: {'; '.join(error.messages)}") from error
    home = municipality.home_page
    # Onboarding leaves the master data that only the municipality knows to the editors; the seeds provide it.
    home.intro = fields["intro"]
    home.save_revision().publish()
    report.record(label, created=True)
    return home


def _load_municipality(report, data):
    home = _ensure_municipality(report, data)

    fields_of_action = data["fields_of_action"]
    foa_index = _ensure_child_page(report, home, FieldOfActionIndexPage, fields_of_action["index"])
    for fields in fields_of_action["pages"]:
        _ensure_child_page(report, foa_index, FieldOfActionPage, fields)

    projects = data["projects"]
    project_index = _ensure_child_page(report, home, ProjectIndexPage, projects["index"])
    for project in projects["pages"]:
        linked = FieldOfActionPage.objects.child_of(foa_index).filter(slug__in=project["fields_of_action"])
        _ensure_child_page(report, project_index, ProjectPage, {**project, "fields_of_action": list(linked)})

    programme = data["programme"]
    phases = [ProgrammePhase(**phase) for phase in programme["phases"]]
    _ensure_child_page(report, home, ProgrammePage, {**programme, "phases": phases})

    calls = data["calls"]
    call_index = _ensure_child_page(report, home, CallIndexPage, calls["index"])
    for fields in calls["pages"]:
        _ensure_child_page(report, call_index, CallForIdeasPage, fields)


def _ensure_admin(report):
    label = f"Superuser „{ADMIN_USERNAME}“"
    user_model = get_user_model()
    if user_model.objects.filter(username=ADMIN_USERNAME).exists():
        report.record(label, created=False)
        return
    user_model.objects.create_superuser(username=ADMIN_USERNAME, email="", password=ADMIN_PASSWORD)
    report.record(label, created=True)
    report.admin_created = True


def demo_staff_usernames(municipality):
    """Accounts named after their role, never after a person: `<slug>-redaktion` and `<slug>-freigabe`."""
    slug = municipality.home_page.slug
    return {f"{slug}-redaktion": municipality.editors_group, f"{slug}-freigabe": municipality.moderators_group}


def _ensure_demo_staff(report):
    user_model = get_user_model()
    for municipality in Municipality.objects.select_related("home_page", "editors_group", "moderators_group"):
        for username, group in demo_staff_usernames(municipality).items():
            label = f"Demo-Konto „{username}“ ({group})"
            if user_model.objects.filter(username=username).exists():
                report.record(label, created=False)
                continue
            user = user_model.objects.create_user(username=username, email="", password=ADMIN_PASSWORD)
            user.groups.add(group)
            report.record(label, created=True)
            report.staff_created.append(username)


WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"


def _remove_wagtail_welcome_site(report):
    """Wagtail's migrations create a placeholder site on `localhost`. Left in place it would answer API calls on
    `localhost` with a page of no municipality; without it such calls get a clear "no municipality" error."""
    welcome = Page.objects.filter(depth=2, slug="home", title=WAGTAIL_WELCOME_TITLE, content_type__model="page")
    for page in welcome:
        Site.objects.filter(root_page=page).delete()
        page.delete()
        report.record(f"Wagtail-Platzhalterseite „{WAGTAIL_WELCOME_TITLE}“ entfernt", created=True)


def load_demo_content(with_admin=False):
    """Creates the missing demo records in one transaction and reports what was created and what was there."""
    report = Report()
    with transaction.atomic():
        _remove_wagtail_welcome_site(report)
        for municipality in MUNICIPALITIES:
            # Wagtail writes block ids into raw StreamField data; a copy keeps the module data pristine for the
            # next call in the same process (tests load the demo content into several databases).
            _load_municipality(report, copy.deepcopy(municipality))
        if with_admin:
            _ensure_admin(report)
            _ensure_demo_staff(report)
    return report
