"""KielRegion (Landeshauptstadt Kiel and its region), from the seed text 000_1cc79a876a57fb40.txt."""

from datetime import date, datetime

from cms.demo.data.common import BERLIN, paragraph
from regions.calls.models import FundingPot
from regions.programme.models import PhaseKind
from regions.projects.models import ProjectKind, ProjectStatus

KIELREGION = {
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
            paragraph(
                "Im Rahmen des Bundesprogramms „Modellprojekte Smart Cities“ wurden im Jahr 2020 bundesweit 32 "
                "Kommunen für eine Förderung ausgewählt. Wir nehmen die Smart City Charta als Vorbild und "
                "orientieren uns an deren Werten."
            ),
            paragraph(
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
                    "Bis Anfang 2028 werden wir die erarbeiteten smarte Ideen gemeinsam mit euch in die Tat umsetzen."
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
}
