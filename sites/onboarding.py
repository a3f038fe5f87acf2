"""Adding, renaming and removing a municipality: every record it needs, in one transaction, or nothing.

A municipality consists of its home page with the standard sections, its Site and settings, its media collection,
an editors' and a moderators' group with permissions on exactly those, and an approval workflow in which the
moderators approve what the editors submit. The admin ("Kommunen") and the management commands both call this module,
so the rules are the same wherever a municipality is created.
"""

import re
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from sites.models import Municipality, MunicipalityHomePage, MunicipalitySettings
from sites.ownership import owners_for
from sites.sections import standard_sections
from sites.validators import validate_regional_key

# Labels are lowercase letters, digits and inner hyphens (RFC 1123); no scheme, port, path or trailing dot.
HOSTNAME_PATTERN = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)

# Editors write and submit; moderators also publish, unlock and edit the site settings.
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page"]
MODERATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page", "unlock_page", "publish_page"]
# Wagtail checks image permissions against wagtailimages.Image even for a custom image model.
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add", "change", "delete", "choose"]),
    ("wagtaildocs", "document", ["add", "change", "delete", "choose"]),
]
MODERATOR_SITE_PERMISSIONS = [("sites", "change_municipalitysettings")]
# Model permissions for records outside the page tree; the admin views scope them to the own municipality.
MODERATOR_MODEL_PERMISSIONS = [
    ("ideas", ["view_ideasubmission", "change_ideasubmission", "delete_ideasubmission"]),
    (
        "webhooks",
        [
            "add_webhookendpoint",
            "change_webhookendpoint",
            "delete_webhookendpoint",
            "view_webhookendpoint",
            "view_webhookdelivery",
            "change_webhookdelivery",
        ],
    ),
]


@dataclass
class MunicipalityInput:
    """What an administrator enters to add a municipality; `slug` defaults to the slugified name."""

    name: str
    official_name: str
    regional_key: str
    hostname: str
    cohort_year: int
    port: int = 80
    slug: str = ""
    frontend_base_url: str = ""
    preview_url: str = ""
    # Section key -> extra page fields, e.g. {"fields_of_action": {"intro": "..."}}; used by the demo content.
    section_fields: dict = field(default_factory=dict)

    def __post_init__(self):
        self.name = (self.name or "").strip()
        self.official_name = (self.official_name or "").strip() or self.name
        self.regional_key = (self.regional_key or "").strip()
        self.hostname = (self.hostname or "").strip().lower()
        self.slug = (self.slug or "").strip() or slugify(self.name)


def group_names(name):
    return f"{name} – Redaktion", f"{name} – Freigabe"


def _check_hostname(errors, hostname, port, exclude_site=None):
    if not HOSTNAME_PATTERN.match(hostname):
        errors.setdefault("hostname", []).append(
            f"„{hostname}“ ist kein gültiger Hostname: nur Kleinbuchstaben, Ziffern, Bindestriche und Punkte, "
            "ohne http://, Port oder Pfad (z. B. kassel.smart-cities.de)."
        )
        return
    clashes = Site.objects.filter(hostname=hostname, port=port)
    if exclude_site is not None:
        clashes = clashes.exclude(pk=exclude_site.pk)
    if clashes.exists():
        errors.setdefault("hostname", []).append(f"Der Hostname {hostname}:{port} ist bereits vergeben.")


def _check_slug(errors, slug, exclude_page=None):
    if not slug or slugify(slug) != slug:
        errors.setdefault("slug", []).append(
            f"„{slug}“ ist kein gültiger Kurzname: nur Kleinbuchstaben, Ziffern und Bindestriche."
        )
        return
    clashes = Page.get_first_root_node().get_children().filter(slug=slug)
    if exclude_page is not None:
        clashes = clashes.exclude(pk=exclude_page.pk)
    if clashes.exists():
        errors.setdefault("slug", []).append(f"Der Kurzname „{slug}“ wird bereits von einer anderen Kommune genutzt.")


def _check_name(errors, name, exclude=None):
    if not name:
        errors.setdefault("name", []).append("Bitte einen Namen angeben.")
        return
    if len(name) > 200:
        errors.setdefault("name", []).append("Der Name darf höchstens 200 Zeichen lang sein.")
        return
    taken_groups = Group.objects.filter(name__in=group_names(name))
    if exclude is not None:
        taken_groups = taken_groups.exclude(pk__in=[group.pk for group in exclude.groups])
    if taken_groups.exists():
        errors.setdefault("name", []).append(f"Für „{name}“ gibt es bereits Benutzergruppen.")


def validate_new_municipality(data):
    """Every problem with `data` at once, as a ValidationError keyed by field; nothing is written."""
    errors = {}
    _check_name(errors, data.name)
    try:
        validate_regional_key(data.regional_key)
    except ValidationError as error:
        errors.setdefault("regional_key", []).extend(error.messages)
    else:
        if MunicipalityHomePage.objects.filter(regional_key=data.regional_key).exists():
            errors.setdefault("regional_key", []).append(
                f"Der Regionalschlüssel {data.regional_key} gehört bereits zu einer Kommune."
            )
    if not 1 <= data.port <= 65535:
        errors.setdefault("port", []).append("Der Port muss zwischen 1 und 65535 liegen.")
    _check_hostname(errors, data.hostname, data.port)
    _check_slug(errors, data.slug)
    if errors:
        raise ValidationError(errors)


def _publish_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _create_pages(data, collection):
    home = MunicipalityHomePage(
        title=data.name,
        slug=data.slug,
        official_name=data.official_name,
        regional_key=data.regional_key,
        federal_state=data.regional_key[:2],
        cohort_year=data.cohort_year,
        media_collection=collection,
    )
    # Model validation (e.g. cohort year range) before anything reaches the tree.
    home.full_clean(exclude=["path", "depth", "numchild", "url_path", "draft_title", "live", "content_type"])
    _publish_child(Page.get_first_root_node(), home)
    sections = {}
    for section in standard_sections():
        fields = {"title": section.title, "slug": section.slug}
        if section.placeholder_body:
            fields["body"] = [dict(block) for block in section.placeholder_body]
        fields.update(data.section_fields.get(section.key, {}))
        sections[section.key] = _publish_child(home, section.model(**fields))
    return home, sections


def _permissions(app_label, codenames):
    permissions = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
    missing = set(codenames) - {permission.codename for permission in permissions}
    if missing:
        raise RuntimeError(f"Permissions missing in {app_label}: {sorted(missing)}; are the migrations applied?")
    return permissions


def _create_groups(data, home, collection, site):
    editors_name, moderators_name = group_names(data.name)
    editors = Group.objects.create(name=editors_name)
    moderators = Group.objects.create(name=moderators_name)
    access_admin = _permissions("wagtailadmin", ["access_admin"])
    for group, page_codenames in ((editors, EDITOR_PAGE_PERMISSIONS), (moderators, MODERATOR_PAGE_PERMISSIONS)):
        group.permissions.add(*access_admin)
        GroupPagePermission.objects.bulk_create(
            GroupPagePermission(group=group, page=home, permission=permission)
            for permission in _permissions("wagtailcore", page_codenames)
        )
        for app_label, model_name, actions in COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.bulk_create(
                GroupCollectionPermission(group=group, collection=collection, permission=permission)
                for permission in _permissions(app_label, [f"{action}_{model_name}" for action in actions])
            )
    for app_label, codenames in MODERATOR_MODEL_PERMISSIONS:
        moderators.permissions.add(*_permissions(app_label, codenames))
    for app_label, codename in MODERATOR_SITE_PERMISSIONS:
        for permission in _permissions(app_label, [codename]):
            GroupSitePermission.objects.create(group=moderators, site=site, permission=permission)
    return editors, moderators


def _workflow_names(name):
    return f"Freigabe {name}", f"Freigabe durch „{name} – Freigabe“"


def _create_workflow(data, home, moderators):
    workflow_name, task_name = _workflow_names(data.name)
    workflow = Workflow.objects.create(name=workflow_name)
    task = GroupApprovalTask.objects.create(name=task_name)
    task.groups.set([moderators])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=home)
    return workflow


@transaction.atomic
def add_municipality(data):
    """Creates the municipality described by `data` with everything it needs and returns its Municipality record.

    Raises ValidationError (keyed by field) before writing anything if `data` is invalid or clashes with an
    existing municipality; any later failure rolls the whole transaction back.
    """
    validate_new_municipality(data)
    collection = Collection.get_first_root_node().add_child(name=data.name)
    home, sections = _create_pages(data, collection)
    site = Site.objects.create(
        hostname=data.hostname, port=data.port, site_name=data.name, root_page=home, is_default_site=False
    )
    MunicipalitySettings.objects.create(
        site=site,
        frontend_base_url=data.frontend_base_url,
        preview_url=data.preview_url,
        **{section.settings_field: sections[section.key] for section in standard_sections() if section.settings_field},
    )
    editors, moderators = _create_groups(data, home, collection, site)
    workflow = _create_workflow(data, home, moderators)
    return Municipality.objects.create(
        home_page=home, editors_group=editors, moderators_group=moderators, workflow=workflow
    )


def find_municipality(identifier):
    """The municipality with this regional key, slug or hostname; raises Municipality.DoesNotExist."""
    home = (
        MunicipalityHomePage.objects.filter(regional_key=identifier).first()
        or MunicipalityHomePage.objects.filter(depth=2, slug=identifier).first()
    )
    if home is None:
        site = Site.objects.filter(hostname=identifier.lower()).select_related("root_page").first()
        home = site.root_page.specific if site else None
    if home is None or not isinstance(home, MunicipalityHomePage):
        raise Municipality.DoesNotExist(f"Keine Kommune mit Regionalschlüssel, Kurzname oder Hostname „{identifier}“.")
    municipality = Municipality.objects.filter(home_page=home).first()
    if municipality is None:
        raise Municipality.DoesNotExist(f"„{home}“ wurde nicht über das Onboarding angelegt und hat keine Gruppen.")
    return municipality


def _site_of(home):
    return owners_for(None).site_for_page(home)


@transaction.atomic
def rename_municipality(municipality, *, name=None, official_name=None, slug=None, hostname=None):
    """Renames the municipality and everything named after it; unchanged arguments stay as they are."""
    home = MunicipalityHomePage.objects.select_for_update().get(pk=municipality.home_page_id)
    site = _site_of(home)
    old_name = home.title
    new_name = (name or "").strip() or old_name
    new_slug = (slug or "").strip() or home.slug
    new_hostname = (hostname or "").strip().lower() or (site.hostname if site else "")
    new_official_name = (official_name or "").strip() or home.official_name

    errors = {}
    if new_name != old_name:
        _check_name(errors, new_name, exclude=municipality)
    if new_slug != home.slug:
        _check_slug(errors, new_slug, exclude_page=home)
    if site is not None and new_hostname != site.hostname:
        _check_hostname(errors, new_hostname, site.port, exclude_site=site)
    if home.has_unpublished_changes and (new_name != old_name or new_slug != home.slug):
        errors.setdefault("name", []).append(
            "Die Startseite hat unveröffentlichte Änderungen. Bitte zuerst veröffentlichen oder verwerfen, "
            "damit die Umbenennung keinen Entwurf mitveröffentlicht."
        )
    if errors:
        raise ValidationError(errors)

    if (new_name, new_slug, new_official_name) != (old_name, home.slug, home.official_name):
        home.title, home.draft_title, home.slug, home.official_name = new_name, new_name, new_slug, new_official_name
        home.save_revision(log_action=True).publish()
    if site is not None:
        site.hostname, site.site_name = new_hostname, new_name
        site.save()
    if home.media_collection_id:
        Collection.objects.filter(pk=home.media_collection_id).update(name=new_name)
    editors_name, moderators_name = group_names(new_name)
    Group.objects.filter(pk=municipality.editors_group_id).update(name=editors_name)
    Group.objects.filter(pk=municipality.moderators_group_id).update(name=moderators_name)
    if municipality.workflow_id:
        workflow_name, task_name = _workflow_names(new_name)
        Workflow.objects.filter(pk=municipality.workflow_id).update(name=workflow_name)
        GroupApprovalTask.objects.filter(workflow_tasks__workflow_id=municipality.workflow_id).update(name=task_name)
    municipality.refresh_from_db()
    return municipality


@dataclass
class RemovalSummary:
    name: str
    pages: int
    images: int
    documents: int
    users_left_without_municipality: list


def removal_summary(municipality):
    home = municipality.home_page
    owners = owners_for(None)
    members = set()
    for group in municipality.groups:
        members.update(group.user_set.values_list("username", flat=True))
    other_groups = Group.objects.exclude(pk__in=[group.pk for group in municipality.groups])
    still_assigned = set(other_groups.filter(user__username__in=members).values_list("user__username", flat=True))
    return RemovalSummary(
        name=home.title,
        pages=owners.owned_by(Page.objects.all(), municipality).count(),
        images=owners.owned_by(get_image_model().objects.all(), municipality).count(),
        documents=owners.owned_by(get_document_model().objects.all(), municipality).count(),
        users_left_without_municipality=sorted(members - still_assigned),
    )


@transaction.atomic
def remove_municipality(municipality):
    """Deletes the municipality with its pages, Site, settings, media, groups and workflow; user accounts stay."""
    home = MunicipalityHomePage.objects.select_for_update().get(pk=municipality.home_page_id)
    groups = list(municipality.groups)
    workflow = municipality.workflow
    site = _site_of(home)
    if site is not None:
        site.delete()
    if home.media_collection_id:
        collection = Collection.objects.get(pk=home.media_collection_id)
        collection_ids = list(collection.get_descendants(inclusive=True).values_list("pk", flat=True))
        get_image_model().objects.filter(collection_id__in=collection_ids).delete()
        get_document_model().objects.filter(collection_id__in=collection_ids).delete()
    else:
        collection = None
    home.delete()
    if collection is not None:
        collection.delete()
    if workflow is not None:
        tasks = [workflow_task.task for workflow_task in workflow.workflow_tasks.select_related("task")]
        workflow.delete()
        for task in tasks:
            task.delete()
    for group in groups:
        group.delete()
