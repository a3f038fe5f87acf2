"""What the open-data surface publishes: the public municipalities, their datasets and each dataset's rows.

Visibility is the public API's (cms.api.state): live, not expired, not under a view restriction. Every loader works
on a list of municipalities with a fixed number of queries, however many municipalities or pages there are.
"""

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db.models import Max, Min, Prefetch
from django.db.models.functions import Substr
from django.utils import timezone
from wagtail.models import Page, Site

from cms.api.state import ApiRequestState, page_is_public, under_any
from cms.opendata.licences import DEFAULT_LICENCE, licence_name, licence_url


@dataclass(frozen=True)
class DatasetKind:
    slug: str
    title: str
    description: str
    themes: tuple
    keywords: tuple
    columns: tuple  # (name, German description) in CSV order, after the common columns


COMMON_COLUMNS = (
    ("regional_key", "Amtlicher Regionalschlüssel (ARS) der Kommune, 12 Ziffern"),
    ("municipality", "Amtlicher Name der Kommune"),
)
LICENCE_COLUMNS = (
    ("licence", "Adresse der Lizenz (dcat-ap.de-Lizenzvokabular)"),
    ("licence_name", "Name der Lizenz"),
)
PAGE_COLUMNS = (
    ("path", "Pfad der Seite im Frontend der Kommune"),
    ("url", "Adresse der Seite im Frontend der Kommune (leer, wenn keine Frontend-Adresse eingestellt ist)"),
    ("first_published_at", "Erstveröffentlichung (ISO 8601)"),
    ("last_published_at", "Letzte Veröffentlichung (ISO 8601)"),
)

KINDS = (
    DatasetKind(
        "fields-of-action",
        "Handlungsfelder",
        "Die Handlungsfelder der Smart-City-Strategie von {name} mit ihren Kurzbeschreibungen.",
        ("GOVE", "REGI"),
        ("Smart City", "Handlungsfelder", "Strategie"),
        (
            ("slug", "Kennung des Handlungsfelds (Kurzname der Seite)"),
            ("title", "Titel"),
            ("teaser", "Kurzbeschreibung"),
        )
        + PAGE_COLUMNS,
    ),
    DatasetKind(
        "projects",
        "Projekte",
        "Die Projekte und Pilotvorhaben von {name} im Programm „Modellprojekte Smart Cities“ "
        "mit Art, Status, Laufzeit, Handlungsfeldern und Partnern.",
        ("GOVE", "TECH"),
        ("Smart City", "Projekte", "Digitalisierung"),
        (
            ("slug", "Kennung des Projekts (Kurzname der Seite)"),
            ("title", "Titel"),
            ("teaser", "Kurzbeschreibung"),
            ("kind", "Art: immediate_measure, strategic_pilot oder implementation"),
            ("kind_label", "Art, deutsche Bezeichnung"),
            ("status", "Status: planned, running oder completed"),
            ("status_label", "Status, deutsche Bezeichnung"),
            ("start_date", "Beginn (JJJJ-MM-TT)"),
            ("end_date", "Ende (JJJJ-MM-TT)"),
            ("fields_of_action", "Kennungen der Handlungsfelder, durch „; “ getrennt"),
            ("partners", "Namen der Partner, durch „; “ getrennt"),
        )
        + PAGE_COLUMNS,
    ),
    DatasetKind(
        "programme",
        "Förderprogramm",
        "Eckdaten der Förderung von {name}: Fördermittelgeber, Bundesmittel, kommunaler Eigenanteil, "
        "Projektbeginn, Laufzeit und Phasen.",
        ("GOVE", "ECON"),
        ("Smart City", "Förderung", "Haushalt"),
        (
            ("programme_name", "Förderprogramm"),
            ("funding_ministry", "Fördermittelgeber (Ministerium)"),
            ("federal_funding_eur", "Fördermittel des Bundes in Euro"),
            ("municipal_share_eur", "Kommunaler Eigenanteil in Euro"),
            ("funding_note", "Hinweis zu den Beträgen"),
            ("start_date", "Projektbeginn (JJJJ-MM-TT)"),
            ("council_decision_date", "Ratsbeschluss (JJJJ-MM-TT)"),
            ("duration_months", "Laufzeit in Monaten"),
            ("phases", "Phasen als „Bezeichnung (Beginn–Ende)“, durch „; “ getrennt; im JSON als Liste"),
        )
        + PAGE_COLUMNS,
    ),
    DatasetKind(
        "calls-for-ideas",
        "Ideenaufrufe",
        "Die Aufrufe von {name} an Bürgerinnen und Bürger, Ideen einzureichen, mit Zeitraum, Status und Förderung.",
        ("SOCI", "GOVE"),
        ("Smart City", "Bürgerbeteiligung", "Ideenaufruf"),
        (
            ("slug", "Kennung des Aufrufs (Kurzname der Seite)"),
            ("title", "Titel"),
            ("description", "Beschreibung"),
            ("status", "Status: upcoming, open oder closed (aus Beginn und Ende abgeleitet)"),
            ("opens_at", "Beginn (ISO 8601, Ortszeit Berlin)"),
            ("closes_at", "Ende (ISO 8601, Ortszeit Berlin)"),
            ("funding_pot", "Fördertopf: regular, fast_track oder participation"),
            ("max_grant_eur", "Höchstförderung je Idee in Euro"),
            ("field_of_action", "Kennung des Handlungsfelds"),
        )
        + PAGE_COLUMNS,
    ),
    DatasetKind(
        "ideas",
        "Veröffentlichte Ideen",
        "Ideen, die Bürgerinnen und Bürger zu den Aufrufen von {name} eingereicht haben und die die Kommune "
        "veröffentlicht hat. Ohne personenbezogene Daten: Autorin oder Autor nur als gewählter Anzeigename "
        "oder Pseudonym.",
        ("SOCI",),
        ("Smart City", "Bürgerbeteiligung", "Ideen"),
        (
            ("reference", "Öffentliche Referenz der Idee"),
            ("call", "Kennung des Ideenaufrufs"),
            ("title", "Titel"),
            ("description", "Beschreibung"),
            ("field_of_action", "Kennung des Handlungsfelds"),
            ("status", "Status (immer published)"),
            ("submitted_on", "Tag der Einreichung (JJJJ-MM-TT, Ortszeit Berlin)"),
            ("author", "Anzeigename oder Pseudonym"),
        ),
    ),
    DatasetKind(
        "team",
        "Ansprechstellen des Projektteams",
        "Rollen, Organisationseinheiten und funktionale Kontaktdaten des Smart-City-Teams von {name}.",
        ("GOVE",),
        ("Smart City", "Kontakt", "Verwaltung"),
        (
            ("role", "Rolle"),
            ("unit", "Organisationseinheit"),
            ("name", "Name (nur wenn veröffentlicht)"),
            ("email", "Funktionale E-Mail-Adresse"),
            ("phone", "Telefon"),
        ),
    ),
)
KINDS_BY_SLUG = {kind.slug: kind for kind in KINDS}


def columns_of(kind):
    return [name for name, _ in COMMON_COLUMNS + kind.columns + LICENCE_COLUMNS]


@dataclass
class Municipality:
    """A public municipality with what the open-data surface needs about it."""

    home: object
    site: object
    licence: str
    frontend_base_url: str

    @property
    def regional_key(self):
        return self.home.regional_key

    @property
    def name(self):
        return self.home.official_name

    @property
    def email(self):
        return self.home.contact_email

    @property
    def licence_url(self):
        return licence_url(self.licence)

    @property
    def licence_name(self):
        return licence_name(self.licence)

    @property
    def graphql_url(self):
        # The API answers per Site, so the municipality's own hostname is its API address.
        if self.site is None:
            return None
        port = "" if self.site.port in (80, 443) else f":{self.site.port}"
        return f"https://{self.site.hostname}{port}/graphql/"

    @property
    def website_url(self):
        if self.frontend_base_url:
            return self.frontend_base_url
        if self.site is not None:
            port = "" if self.site.port in (80, 443) else f":{self.site.port}"
            return f"https://{self.site.hostname}{port}/"
        return base_url() + "/"

    def page_path(self, page):
        return page.url_path[len(self.home.url_path) - 1 :]

    def page_url(self, page):
        return self.frontend_base_url.rstrip("/") + self.page_path(page) if self.frontend_base_url else ""


class OpenData:
    """One request's (or one export's) view of the public content; each query runs at most once."""

    def __init__(self):
        self.state = ApiRequestState()

    @property
    def now(self):
        return self.state.now

    def _home_pages(self):
        from sites.models import MunicipalityHomePage

        return self.state.visible_pages(MunicipalityHomePage.objects.all()).order_by("regional_key")

    def count_municipalities(self):
        return self._home_pages().count()

    def municipalities(self, start=0, stop=None, regional_key=None):
        """Public municipalities ordered by regional key, optionally a slice of them or just one."""
        from sites.models import MunicipalitySettings

        homes = self._home_pages()
        if regional_key is not None:
            homes = homes.filter(regional_key=regional_key)
        homes = list(homes[start:stop] if stop is not None else homes[start:])
        if not homes:
            return []
        sites = {site.root_page_id: site for site in Site.objects.filter(root_page__in=homes)}
        site_settings = {
            item.site_id: item for item in MunicipalitySettings.objects.filter(site__in=list(sites.values()))
        }
        result = []
        for home in homes:
            site = sites.get(home.pk)
            setting = site_settings.get(site.pk) if site else None
            result.append(
                Municipality(
                    home=home,
                    site=site,
                    licence=setting.data_licence if setting else DEFAULT_LICENCE,
                    frontend_base_url=setting.frontend_base_url if setting else "",
                )
            )
        return result

    def municipality(self, regional_key):
        found = self.municipalities(regional_key=regional_key)
        return found[0] if found else None

    # Helpers that map pages to their municipality by tree path, so one query serves all municipalities.

    def _pages_below(self, model, municipalities):
        return self.state.visible_pages(model.objects.filter(under_any([m.home.path for m in municipalities])))

    @staticmethod
    def _owner(page, municipalities):
        for municipality in municipalities:
            if page.path.startswith(municipality.home.path):
                return municipality
        return None

    @cached_property
    def _restricted(self):
        return self.state.restricted_page_paths

    def _public_slug(self, page):
        return page.slug if page is not None and page_is_public(page, self._restricted, self.now) else ""

    # Dates of each dataset, for dct:issued / dct:modified and Last-Modified.

    def dataset_dates(self, municipalities):
        """{(regional_key, kind slug): (issued, modified)} in one query per kind."""
        from regions.calls.models import CallForIdeasPage
        from regions.fields_of_action.models import FieldOfActionPage
        from regions.ideas.models import IdeaSubmission
        from regions.programme.models import ProgrammePage
        from regions.projects.models import ProjectPage
        from regions.team.models import TeamPage

        dates = {}
        if not municipalities:
            return dates
        by_depth = {}
        for municipality in municipalities:
            by_depth.setdefault(municipality.home.depth, []).append(municipality)
        page_kinds = [
            ("fields-of-action", FieldOfActionPage),
            ("projects", ProjectPage),
            ("programme", ProgrammePage),
            ("calls-for-ideas", CallForIdeasPage),
            ("team", TeamPage),
        ]
        for depth, group in by_depth.items():
            key_by_path = {m.home.path: m.regional_key for m in group}
            for slug, model in page_kinds:
                rows = (
                    self._pages_below(model, group)
                    .annotate(home_path=Substr("path", 1, depth * Page.steplen))
                    .values("home_path")
                    .annotate(issued=Min("first_published_at"), modified=Max("last_published_at"))
                    .order_by()
                )
                for row in rows:
                    dates[(key_by_path[row["home_path"]], slug)] = (row["issued"], row["modified"])
        calls = self._pages_below(CallForIdeasPage, municipalities).values("pk")
        ideas = (
            IdeaSubmission.objects.published()
            .filter(call__in=calls)
            .values("municipality__regional_key")
            .annotate(issued=Min("submitted_at"), modified=Max("submitted_at"))
            .order_by()
        )
        for row in ideas:
            dates[(row["municipality__regional_key"], "ideas")] = (row["issued"], row["modified"])
        return dates

    # Rows of each dataset. Every row starts with the common columns and ends with the licence columns.

    def rows(self, kind, municipalities):
        loader = getattr(self, "_rows_" + kind.slug.replace("-", "_"))
        rows = []
        for municipality, row in loader(municipalities):
            rows.append(
                {
                    "regional_key": municipality.regional_key,
                    "municipality": municipality.name,
                    **row,
                    "licence": municipality.licence_url,
                    "licence_name": municipality.licence_name,
                }
            )
        return rows

    def _page_rows(self, queryset, municipalities, build):
        pages = sorted(queryset, key=lambda page: page.path)
        for page in pages:
            municipality = self._owner(page, municipalities)
            if municipality is None:
                continue
            row = build(page)
            row.update(
                path=municipality.page_path(page),
                url=municipality.page_url(page),
                first_published_at=_iso(page.first_published_at),
                last_published_at=_iso(page.last_published_at),
            )
            yield municipality, row

    def _rows_fields_of_action(self, municipalities):
        from regions.fields_of_action.models import FieldOfActionPage

        pages = self._pages_below(FieldOfActionPage, municipalities)
        yield from self._page_rows(
            pages, municipalities, lambda page: {"slug": page.slug, "title": page.title, "teaser": page.teaser}
        )

    def _rows_projects(self, municipalities):
        from regions.fields_of_action.models import FieldOfActionPage
        from regions.projects.models import ProjectPage

        visible_fields = self.state.visible_pages(FieldOfActionPage.objects.all()).order_by("path")
        pages = self._pages_below(ProjectPage, municipalities).prefetch_related(
            Prefetch("fields_of_action", queryset=visible_fields), "partners"
        )

        def build(page):
            return {
                "slug": page.slug,
                "title": page.title,
                "teaser": page.teaser,
                "kind": page.kind,
                "kind_label": page.get_kind_display(),
                "status": page.status,
                "status_label": page.get_status_display(),
                "start_date": _iso(page.start_date),
                "end_date": _iso(page.end_date),
                "fields_of_action": [field.slug for field in page.fields_of_action.all()],
                "partners": [partner.name for partner in page.partners.all()],
            }

        yield from self._page_rows(pages, municipalities, build)

    def _rows_programme(self, municipalities):
        from regions.programme.models import ProgrammePage

        pages = self._pages_below(ProgrammePage, municipalities).prefetch_related("phases")

        def build(page):
            return {
                "programme_name": page.programme_name,
                "funding_ministry": page.funding_ministry,
                "federal_funding_eur": page.federal_funding_eur,
                "municipal_share_eur": page.municipal_share_eur,
                "funding_note": page.funding_note,
                "start_date": _iso(page.start_date),
                "council_decision_date": _iso(page.council_decision_date),
                "duration_months": page.duration_months,
                "phases": [
                    {
                        "kind": phase.kind,
                        "title": phase.title,
                        "start_date": _iso(phase.start_date),
                        "end_date": _iso(phase.end_date),
                        "duration_months": phase.duration_months,
                        "description": phase.description,
                    }
                    for phase in page.phases.all()
                ],
            }

        yield from self._page_rows(pages, municipalities, build)

    def _rows_calls_for_ideas(self, municipalities):
        from regions.calls.models import CallForIdeasPage

        pages = self._pages_below(CallForIdeasPage, municipalities).select_related("field_of_action")

        def build(page):
            return {
                "slug": page.slug,
                "title": page.title,
                "description": page.description,
                "status": str(page.status),
                "opens_at": _iso(page.opens_at_local),
                "closes_at": _iso(page.closes_at_local),
                "funding_pot": page.funding_pot,
                "max_grant_eur": page.max_grant_eur,
                "field_of_action": self._public_slug(page.field_of_action),
            }

        yield from self._page_rows(pages, municipalities, build)

    def _rows_ideas(self, municipalities):
        from regions.calls.models import CallForIdeasPage
        from regions.ideas.models import IdeaSubmission

        calls = {call.pk: call for call in self._pages_below(CallForIdeasPage, municipalities)}
        by_home = {m.home.pk: m for m in municipalities}
        # Only the fields of the public API type are read: no e-mail, name, address or consent ever leaves here.
        ideas = (
            IdeaSubmission.objects.published()
            .filter(call_id__in=list(calls))
            .select_related("field_of_action")
            .only(
                "reference",
                "call_id",
                "title",
                "description",
                "status",
                "submitted_at",
                "display_name",
                "pseudonym",
                "field_of_action",
                "municipality_id",
            )
            .order_by("municipality__regional_key", "submitted_at", "pk")
        )
        for idea in ideas:
            municipality = by_home.get(idea.municipality_id)
            if municipality is None:
                continue
            yield (
                municipality,
                {
                    "reference": idea.reference,
                    "call": calls[idea.call_id].slug,
                    "title": idea.title,
                    "description": idea.description,
                    "field_of_action": self._public_slug(idea.field_of_action),
                    "status": idea.status,
                    "submitted_on": _iso(idea.submitted_on),
                    "author": idea.author,
                },
            )

    def _rows_team(self, municipalities):
        from regions.team.models import TeamPage

        pages = sorted(self._pages_below(TeamPage, municipalities).prefetch_related("members"), key=lambda p: p.path)
        for page in pages:
            municipality = self._owner(page, municipalities)
            if municipality is None:
                continue
            for member in page.members.all():
                yield (
                    municipality,
                    {
                        "role": member.role,
                        "unit": member.unit,
                        "name": member.name,
                        "email": member.email,
                        "phone": member.phone,
                    },
                )


def _iso(value):
    if value is None:
        return None
    if hasattr(value, "tzinfo") and hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat()


def base_url():
    return settings.OPENDATA_BASE_URL.rstrip("/")
