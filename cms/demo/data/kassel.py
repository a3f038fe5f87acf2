"""Stadt Kassel, from the seed text 004_2ed5e4409f74011b.txt."""

from datetime import date, datetime

from cms.demo.data.common import BERLIN
from regions.calls.models import FundingPot
from regions.programme.models import PhaseKind
from regions.projects.models import ProjectKind, ProjectStatus

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

KASSEL = {
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
}
