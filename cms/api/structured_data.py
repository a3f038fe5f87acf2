"""schema.org descriptions of pages as JSON-LD, for frontends to embed in `<script type="application/ld+json">`.

The municipality is a GovernmentOrganization; a project is a Project funded by a MonetaryGrant (the programme's
federal funding); the team is a ContactPage with ContactPoints per role; a call for ideas is an Event; the programme
itself is a MonetaryGrant. Every other page is a WebPage. Only public fields are used, never citizens' data.
"""

from django.utils import timezone

from cms.api.state import get_state

CONTEXT = "https://schema.org"


def _compact(value):
    """Drops empty values so that the JSON-LD states only what is known."""
    if isinstance(value, dict):
        compacted = {key: _compact(item) for key, item in value.items()}
        return {key: item for key, item in compacted.items() if item not in (None, "", [], {})}
    if isinstance(value, list):
        return [item for item in (_compact(entry) for entry in value) if item not in (None, "", [], {})]
    return value


def _date(value):
    if value is None:
        return None
    if hasattr(value, "hour"):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


class Describer:
    """Builds descriptions for the pages of one GraphQL request, sharing what several pages need."""

    def __init__(self, info):
        self.info = info
        self.state = get_state(info)
        self._programmes = {}

    def url(self, page):
        from cms.api.interfaces import PageInterface

        return PageInterface.resolve_url(page, self.info)

    def organisation(self, home):
        if home is None:
            return None
        return {
            "@type": "GovernmentOrganization",
            "@id": f"urn:ars:{home.regional_key}",
            "name": home.official_name,
            "url": self.url(home),
        }

    def programme(self, home):
        from regions.programme.models import ProgrammePage

        if home is None:
            return None
        if home.pk not in self._programmes:
            pages = self.state.visible_pages(ProgrammePage.objects.descendant_of(home))
            self._programmes[home.pk] = pages.first()
        return self._programmes[home.pk]

    def grant(self, programme, home):
        if programme is None:
            return None
        return {
            "@type": "MonetaryGrant",
            "name": programme.programme_name,
            "funder": {"@type": "GovernmentOrganization", "name": programme.funding_ministry},
            "amount": (
                {"@type": "MonetaryAmount", "currency": "EUR", "value": programme.federal_funding_eur}
                if programme.federal_funding_eur is not None
                else None
            ),
            "fundedItem": self.organisation(home),
        }

    def describe(self, page):
        from regions.calls.models import CallForIdeasPage
        from regions.programme.models import ProgrammePage
        from regions.projects.models import ProjectPage
        from regions.team.models import TeamPage
        from sites.models import MunicipalityHomePage

        home = self.state.municipality_for_page(page)
        describers = {
            MunicipalityHomePage: self._municipality,
            ProjectPage: self._project,
            TeamPage: self._team,
            CallForIdeasPage: self._call,
            ProgrammePage: self._programme,
        }
        describe = describers.get(type(page), self._web_page)
        data = {"@context": CONTEXT, "inLanguage": "de", **describe(page, home)}
        return _compact(data)

    def _municipality(self, page, home):
        return {
            **self.organisation(page),
            "description": page.intro,
            "email": page.contact_email,
            "telephone": page.contact_phone,
            "address": page.contact_address,
            "identifier": {"@type": "PropertyValue", "propertyID": "ARS", "value": page.regional_key},
            "areaServed": {"@type": "AdministrativeArea", "name": page.official_name},
        }

    def _project(self, page, home):
        return {
            "@type": "Project",
            "name": page.title,
            "description": page.teaser,
            "url": self.url(page),
            "parentOrganization": self.organisation(home),
            "funding": self.grant(self.programme(home), home),
            "keywords": [field.title for field in page.fields_of_action.all()],
        }

    def _team(self, page, home):
        members = list(page.members.all())
        organisation = self.organisation(home) or {"@type": "GovernmentOrganization"}
        organisation["contactPoint"] = [
            {
                "@type": "ContactPoint",
                "contactType": member.role,
                "name": member.unit,
                "email": member.email,
                "telephone": member.phone,
            }
            for member in members
        ]
        # A person is named only where the team page names them (with their consent); roles stand on their own.
        organisation["member"] = [
            {"@type": "OrganizationRole", "roleName": member.role, "member": {"@type": "Person", "name": member.name}}
            for member in members
            if member.name
        ]
        return {"@type": "ContactPage", "name": page.title, "url": self.url(page), "mainEntity": organisation}

    def _call(self, page, home):
        grant = None
        if page.max_grant_eur is not None:
            grant = {
                "@type": "MonetaryGrant",
                "name": page.get_funding_pot_display(),
                "amount": {"@type": "MonetaryAmount", "currency": "EUR", "maxValue": page.max_grant_eur},
            }
        return {
            "@type": "Event",
            "name": page.title,
            "description": page.description,
            "url": self.url(page),
            "startDate": _date(page.opens_at),
            "endDate": _date(page.closes_at),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
            "location": {"@type": "VirtualLocation", "url": self.url(page)},
            "organizer": self.organisation(home),
            "funding": grant,
        }

    def _programme(self, page, home):
        return {
            **self.grant(page, home),
            "url": self.url(page),
            "description": page.funding_note,
            "startDate": _date(page.start_date),
        }

    def _web_page(self, page, home):
        return {
            "@type": "WebPage",
            "name": page.title,
            "url": self.url(page),
            "description": page.search_description,
            "publisher": self.organisation(home),
            "datePublished": _date(page.first_published_at),
            "dateModified": _date(page.last_published_at),
        }


def structured_data(page, info):
    state = get_state(info)
    describer = getattr(state, "_schema_org_describer", None)
    if describer is None:
        describer = state._schema_org_describer = Describer(info)
    return describer.describe(page)
