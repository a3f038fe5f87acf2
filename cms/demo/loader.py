"""Loads the demo content (cms.demo.data) through the onboarding service and the page models.

`load_demo_content()` creates whatever is missing and never changes a record that already exists, so it can run
any number of times.
"""

import copy
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.models import Page, Site

from cms.demo.data import MUNICIPALITIES
from regions.calls.models import CallForIdeasPage, CallIndexPage
from regions.fields_of_action.models import FieldOfActionIndexPage, FieldOfActionPage
from regions.programme.models import ProgrammePage, ProgrammePhase
from regions.projects.models import ProjectIndexPage, ProjectPage
from regions.team.models import TeamMember
from sites.models import Municipality, MunicipalityHomePage
from sites.onboarding import MunicipalityInput, add_municipality

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "smartcity-demo"


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
