"""Derives change events by comparing the database with the last state the feed announced.

Every handler calls `reconcile` for the part of the page tree a change can affect. It recomputes
which objects are public there (with the API's own rule, `cms.api.state.page_is_public`), compares
that with `PublishedObject`, writes one event per difference and updates `PublishedObject`, all in
the transaction of the change. Because events follow from the difference and not from the kind of
signal, a consumer that applies them in order always ends with the current public content.
"""

import threading
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page

from cms.api.state import page_is_public, restricted_page_paths
from cms.changefeed.models import ChangeAction, ChangeEvent, ChangeKind, PublishedObject

# Arbitrary constant that names the feed's advisory lock on PostgreSQL.
FEED_LOCK_ID = 72_610_042
# Actions that describe a change of the whole subtree; every object it affects gets the same action.
SUBTREE_ACTIONS = {ChangeAction.MOVE, ChangeAction.RESTRICT, ChangeAction.DELETE, ChangeAction.SYNC}
IDEA_CONTENT_TYPE = "ideas.IdeaSubmission"
KEY_CHUNK = 500

local = threading.local()


def page_key(page_id):
    return f"page:{page_id}"


def idea_key(reference):
    return f"idea:{reference}"


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
    return f"{content_type.app_label}.{model.__name__ if model else content_type.model}"


def _desired_pages(root_path):
    """Public objects at or below `root_path` (the whole tree if None): {key: data}, and every key looked at."""
    from regions.ideas.models import IdeaStatus, IdeaSubmission
    from sites.models import MunicipalityHomePage

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

    home_paths = {row["path"][: 2 * Page.steplen] for row in rows if row["depth"] >= 2}
    homes = {
        home["path"]: home
        for home in MunicipalityHomePage.objects.filter(path__in=home_paths).values("path", "regional_key", "url_path")
    }
    restricted = restricted_page_paths()
    now = timezone.now()

    desired, looked_at, page_info = {}, set(), {}
    for row in rows:
        key = page_key(row["id"])
        looked_at.add(key)
        home = homes.get(row["path"][: 2 * Page.steplen])
        url_path = url_paths[row["path"]]
        if home is not None:
            home_url = url_paths.get(home["path"], home["url_path"])
            if url_path.startswith(home_url):
                url_path = url_path[len(home_url) - 1 :]
        data = {
            "content_type": content_type_label(row["content_type_id"]),
            "municipality": home["regional_key"] if home else "",
            "url_path": url_path,
            "title": row["title"],
        }
        # Only municipalities' pages are content of this API; Wagtail's default home page is not.
        public = home is not None and page_is_public(SimpleNamespace(**row), restricted, now)
        page_info[row["id"]] = (public, data)
        if public:
            desired[key] = data

    for idea in ideas.values("reference", "title", "status", "call_id", "call__path"):
        key = idea_key(idea["reference"])
        looked_at.add(key)
        call_public, call_data = page_info.get(idea["call_id"], (False, None))
        if call_public and idea["status"] == IdeaStatus.PUBLISHED:
            desired[key] = {
                "content_type": IDEA_CONTENT_TYPE,
                "municipality": call_data["municipality"],
                "url_path": call_data["url_path"],
                "title": idea["title"],
            }
    return desired, looked_at


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


def reconcile(root_path=None, trigger=ChangeAction.UPDATE, subject_key=None, created=False, force=False):
    """Writes the events that bring the feed in line with the database at or below `root_path`.

    `subject_key` is the object the change was made to; with `force` it gets an upsert even if its
    title and path did not change (its body may have). Without `root_path` the whole tree is compared,
    and announced objects that no longer exist at all get tombstones too."""
    with transaction.atomic():
        lock_feed()
        desired, looked_at = _desired_pages(root_path)
        if root_path is None:
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
                kind = ChangeKind.UPSERT
                upserts.append(PublishedObject(object_key=key, last_event_id=0, updated_at=now, **data))
            else:
                kind = ChangeKind.TOMBSTONE
                data = {field: getattr(known, field) for field in ("content_type", "municipality", "url_path", "title")}
                removed.append(key)
            action = _action(trigger, kind, known is not None, is_subject, created)
            events.append(ChangeEvent(kind=kind, action=action, object_key=key, occurred_at=now, **data))
        _write(events, upserts, removed)
        return events


def tombstone(key, trigger=ChangeAction.DELETE):
    """An object is gone from the database: a tombstone if the feed had announced it."""
    with transaction.atomic():
        lock_feed()
        known = PublishedObject.objects.filter(object_key=key).first()
        if known is None:
            return []
        data = {field: getattr(known, field) for field in ("content_type", "municipality", "url_path", "title")}
        event = ChangeEvent(
            kind=ChangeKind.TOMBSTONE, action=trigger, object_key=key, occurred_at=timezone.now(), **data
        )
        _write([event], [], [key])
        return [event]


def _write(events, upserts, removed):
    if not events:
        return
    ChangeEvent.objects.bulk_create(events)
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
