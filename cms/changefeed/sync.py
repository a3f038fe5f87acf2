"""Derives change events by comparing the database with the last state the feed announced.

This is the one change pipeline of the instance. Every handler calls `reconcile` (pages and ideas) or
`reconcile_media` (images and documents) for the part of the database a change can affect. It recomputes which
objects are public there (with the publication rule, `cms.publication`) and who owns them (the owner rule,
`sites.ownership`), compares that with `PublishedObject`, writes one event per difference, updates
`PublishedObject` and then announces the same changes through `cms.signals.public_changes`, all in the transaction
of the change; the webhooks turn that announcement into their outbox rows. Because events follow from the
difference and not from the kind of signal, a consumer that applies them in order always ends with the current
public content, whatever made it change.
"""

import threading
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from cms.changefeed.models import ChangeAction, ChangeEvent, ChangeKind, PublishedObject
from cms.publication import Publication
from cms.signals import PublicChange, public_changes
from regions.ideas.models import IdeaSubmission
from sites.ownership import Owners
from sites.page_urls import path_below_home

# Arbitrary constant that names the feed's advisory lock on PostgreSQL.
FEED_LOCK_ID = 72_610_042
# Actions that describe a change of the whole subtree; every object it affects gets the same action.
SUBTREE_ACTIONS = {ChangeAction.MOVE, ChangeAction.RESTRICT, ChangeAction.DELETE, ChangeAction.SYNC}
IDEA_CONTENT_TYPE = "ideas.IdeaSubmission"
# The data of an object that the feed announces and copies into every event.
DATA_FIELDS = ("content_type", "municipality", "url_path", "title")
KEY_CHUNK = 500

local = threading.local()


def page_key(page_id):
    return f"page:{page_id}"


def idea_key(reference):
    return f"idea:{reference}"


def media_models():
    """{key prefix: model} of the media in the feed: the instance's image and document models."""
    return {"image": get_image_model(), "document": get_document_model()}


def media_key(item):
    prefix = next(prefix for prefix, model in media_models().items() if isinstance(item, model))
    return f"{prefix}:{item.pk}"


def model_label(model):
    return f"{model._meta.app_label}.{model.__name__}"


def content_type_labels():
    """The content types the feed can hold besides pages."""
    return [IDEA_CONTENT_TYPE] + [model_label(model) for model in media_models().values()]


def lock_feed():
    """Serialises the writers of the feed until their transaction ends.

    Event ids come from a sequence when the row is inserted, but transactions commit in any order; a
    reader paging by id could pass an id whose transaction commits later. With one writer at a time, every
    id handed out by an open transaction is higher than every committed one, so readers never skip.
    SQLite has a single writer anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK_ID])


def content_type_label(content_type_id):
    content_type = ContentType.objects.get_for_id(content_type_id)
    model = content_type.model_class()
    return model_label(model) if model else f"{content_type.app_label}.{content_type.model}"


def _desired_pages(publication, owners, root_path, desired, looked_at):
    """Adds the public pages and ideas at or below `root_path` (the whole tree if None) to `desired` ({key: data})
    and every key looked at to `looked_at`."""
    pages = Page.objects.order_by("path")
    ideas = IdeaSubmission.objects.all()
    if root_path is not None:
        pages = pages.filter(path__startswith=root_path)
        ideas = ideas.filter(call__path__startswith=root_path)
    rows = list(
        pages.values(
            "id", "path", "depth", "live", "expired", "expire_at", "title", "slug", "url_path", "content_type_id"
        )
    )
    # A descendant's url_path is derived from its parent's, because Wagtail rewrites the stored
    # url_paths below a renamed or moved page only after the post_save of that page.
    url_paths = {}
    for row in rows:
        parent_url = url_paths.get(row["path"][: -Page.steplen])
        url_paths[row["path"]] = parent_url + row["slug"] + "/" if parent_url is not None else row["url_path"]

    page_info = {}
    for row in rows:
        key = page_key(row["id"])
        looked_at.add(key)
        page = SimpleNamespace(**{**row, "url_path": url_paths[row["path"]]})
        municipality = owners.of_path(row["path"])
        # The home page's url_path as saved in this transaction, also while it is being renamed.
        home_url_path = (
            url_paths.get(municipality.home_page.path, municipality.home_page.url_path) if municipality else ""
        )
        data = {
            "content_type": content_type_label(row["content_type_id"]),
            "municipality": municipality.regional_key if municipality else "",
            "url_path": path_below_home(page.url_path, home_url_path) if municipality else page.url_path,
            "title": row["title"],
        }
        # Only municipalities' pages are content of this API; Wagtail's default home page is not.
        public = municipality is not None and publication.is_public_page(page)
        page_info[row["id"]] = (page, public, data)
        if public:
            desired[key] = data

    for idea in ideas.values("reference", "title", "status", "call_id"):
        key = idea_key(idea["reference"])
        looked_at.add(key)
        call, call_public, call_data = page_info.get(idea["call_id"], (None, False, None))
        if call_public and publication.is_public_record(IdeaSubmission(status=idea["status"]), page=call):
            desired[key] = {
                "content_type": IDEA_CONTENT_TYPE,
                "municipality": call_data["municipality"],
                "url_path": call_data["url_path"],
                "title": idea["title"],
            }


def _desired_media(publication, owners, desired, looked_at, collection_path=None, item=None):
    """Adds the public images and documents to `desired`: all of them, those in collections at or below
    `collection_path`, or just `item`. They have no path of their own below a home page; their url_path is empty."""
    for prefix, model in media_models().items():
        if item is not None and not isinstance(item, model):
            continue
        items = model.objects.only("id", "title", "collection_id").order_by("pk")
        if item is not None:
            items = items.filter(pk=item.pk)
        elif collection_path is not None:
            items = items.filter(collection__path__startswith=collection_path)
        label = model_label(model)
        for each in items:
            key = f"{prefix}:{each.pk}"
            looked_at.add(key)
            municipality = owners.of(each)
            if municipality is not None and publication.is_public_media(each):
                desired[key] = {
                    "content_type": label,
                    "municipality": municipality.regional_key,
                    "url_path": "",
                    "title": each.title,
                }


def _state_for(keys):
    keys = sorted(keys)
    state = {}
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start : start + KEY_CHUNK]
        state.update({item.object_key: item for item in PublishedObject.objects.filter(object_key__in=chunk)})
    return state


def _action(trigger, kind, was_public, is_subject, created):
    if trigger in SUBTREE_ACTIONS:
        return trigger
    if kind == ChangeKind.TOMBSTONE:
        return ChangeAction.UNPUBLISH
    if is_subject and created:
        return ChangeAction.CREATE
    return ChangeAction.UPDATE if was_public else ChangeAction.PUBLISH


def _known_data(known):
    return {field: getattr(known, field) for field in DATA_FIELDS}


def reconcile(root_path=None, trigger=ChangeAction.UPDATE, subject_key=None, created=False, force=False):
    """Writes and announces the events that bring the feed in line with the database at or below `root_path`.

    `subject_key` is the object the change was made to; with `force` it gets an upsert even if its
    title and path did not change (its body may have). Without `root_path` the whole database is compared,
    images and documents included, and announced objects that no longer exist at all get tombstones too."""

    def desired():
        publication = Publication()
        owners = Owners(publication)
        wanted, looked_at = {}, set()
        _desired_pages(publication, owners, root_path, wanted, looked_at)
        if root_path is None:
            _desired_media(publication, owners, wanted, looked_at)
        return wanted, looked_at

    return _reconcile(desired, root_path is None, trigger, subject_key, created, force)


def reconcile_media(collection_path=None, item=None, trigger=ChangeAction.UPDATE, created=False, force=False):
    """The same for images and documents: those in collections at or below `collection_path` (a collection's
    view restriction changed), or `item` alone (it was saved; `force` and `created` apply to it)."""

    def desired():
        publication = Publication()
        wanted, looked_at = {}, set()
        _desired_media(publication, Owners(publication), wanted, looked_at, collection_path, item)
        return wanted, looked_at

    subject_key = media_key(item) if item is not None else None
    return _reconcile(desired, False, trigger, subject_key, created, force)


def _reconcile(compute_desired, everything, trigger, subject_key, created, force):
    with transaction.atomic():
        lock_feed()
        desired, looked_at = compute_desired()
        if everything:
            state = {item.object_key: item for item in PublishedObject.objects.all()}
        else:
            state = _state_for(looked_at)
        now = timezone.now()
        events, upserts, removed = [], [], []
        for key in sorted(set(desired) | set(state)):
            data, known = desired.get(key), state.get(key)
            is_subject = key == subject_key
            if data is not None:
                unchanged = known is not None and all(getattr(known, field) == value for field, value in data.items())
                if unchanged and not (force and is_subject):
                    continue
                was_public = known is not None
                if known is not None and known.municipality != data["municipality"]:
                    # It left a municipality (moved into another one, or the regional key changed): consumers
                    # that follow the old municipality only must see it go, those of the new one see it come.
                    action = _action(trigger, ChangeKind.TOMBSTONE, True, is_subject, False)
                    events.append(_event(ChangeKind.TOMBSTONE, action, key, now, _known_data(known)))
                    was_public = False
                kind = ChangeKind.UPSERT
                upserts.append(PublishedObject(object_key=key, last_event_id=0, updated_at=now, **data))
            else:
                kind = ChangeKind.TOMBSTONE
                data = _known_data(known)
                removed.append(key)
                was_public = True
            action = _action(trigger, kind, was_public, is_subject, created)
            events.append(_event(kind, action, key, now, data))
        _write(events, upserts, removed)
        _announce(events)
        return events


def reconcile_hidden_pages(now=None):
    """Takes out the pages the feed still announces although the publication rule hides them now.

    Mostly these are pages whose expiry time has passed: time is the one input of the rule that changes without a
    write, so no signal reports it, and Wagtail's `publish_scheduled` unpublishes them only when it next runs. The
    same query also finds pages hidden by a write that bypassed signals (`QuerySet.update(expired=True)`, say).
    The readers of the feed call this first, so that neither `changes` nor `changeSnapshot` hands out a page the
    rule hides at that moment. The rule's SQL form picks the candidates (two queries); `reconcile` decides for each
    one's subtree (its subpages and the ideas of a call go with it) and tells the webhooks."""
    public = Publication(now).pages(Page.objects.all()).values("pk")
    announced = PublishedObject.objects.filter(
        object_key=Concat(Value("page:"), Cast(OuterRef("pk"), output_field=CharField()), output_field=CharField())
    )
    paths = list(
        Page.objects.filter(Exists(announced)).exclude(pk__in=public).order_by("path").values_list("path", flat=True)
    )
    roots = []
    for path in paths:
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    events = []
    if roots:
        with transaction.atomic():
            for path in roots:
                events += reconcile(path)
    return events


def tombstone(key, trigger=ChangeAction.DELETE):
    """An object is gone from the database: a tombstone if the feed had announced it."""
    with transaction.atomic():
        lock_feed()
        known = PublishedObject.objects.filter(object_key=key).first()
        if known is None:
            return []
        event = _event(ChangeKind.TOMBSTONE, trigger, key, timezone.now(), _known_data(known))
        _write([event], [], [key])
        _announce([event])
        return [event]


def _event(kind, action, key, now, data):
    return ChangeEvent(kind=kind, action=action, object_key=key, occurred_at=now, **data)


def _write(events, upserts, removed):
    if not events:
        return
    ChangeEvent.objects.bulk_create(events)
    # The last event of a key is the one its state stems from (a move between municipalities writes two).
    event_ids = {event.object_key: event.pk for event in events}
    for item in upserts:
        item.last_event_id = event_ids[item.object_key]
    if removed:
        PublishedObject.objects.filter(object_key__in=removed).delete()
    if upserts:
        PublishedObject.objects.bulk_create(
            upserts,
            update_conflicts=True,
            unique_fields=["object_key"],
            update_fields=["content_type", "municipality", "url_path", "title", "last_event_id", "updated_at"],
        )


def _announce(events):
    """Tells the other outputs (cms.signals.public_changes), still inside the transaction and under the lock."""
    if not events:
        return
    changes = [
        PublicChange(
            key=event.object_key,
            kind=str(event.kind),
            action=str(event.action),
            content_type=event.content_type,
            municipality=event.municipality,
            url_path=event.url_path,
            title=event.title,
            occurred_at=event.occurred_at,
        )
        for event in events
    ]
    public_changes.send(sender=ChangeEvent, changes=changes)
