"""GraphQL entry points of the change feed: `changes` (the log after a cursor) and `changeSnapshot`
(the current public content plus the cursor from which to follow the log).

Both first take out the pages the publication rule hides now although the feed still announces them
(`sync.reconcile_hidden_pages`): above all pages whose expiry time has passed, because time changes what the rule
hides without any write that a signal would report. A reader never gets such a page; the tombstone it finds in the
log instead reaches the webhooks in the same transaction."""

import re

import graphene
from django.apps import apps
from django.conf import settings
from django.db.models import Max
from wagtail.models import Page

from cms.changefeed.cursor import (
    CursorError,
    decode_changes,
    decode_snapshot,
    encode_changes,
    encode_snapshot,
)
from cms.changefeed.models import ChangeAction, ChangeEvent, ChangeKind, FeedHorizon, PublishedObject
from cms.changefeed.sync import content_type_labels, reconcile_hidden_pages
from cms.graphql_base.errors import BAD_USER_INPUT
from cms.graphql_base.pagination import effective_limit, limit_error
from cms.graphql_base.registry import register_query_field
from graphql import GraphQLError
from sites.ownership import owners_for
from sites.site_resolution import find_site

REGIONAL_KEY = re.compile(r"\d{12}")
EXPIRED_MESSAGE = (
    "cursor expired, start over from the beginning (the snapshot): events up to it were pruned after "
    "{days} days. Read `changeSnapshot` and continue with its `changesCursor`."
)

ChangeKindEnum = graphene.Enum.from_enum(
    ChangeKind, description="UPSERT: the object is public with this data. TOMBSTONE: it is no longer public."
)
ChangeActionEnum = graphene.Enum.from_enum(ChangeAction, description="What happened to the object.")


class Change(graphene.ObjectType):
    cursor = graphene.String(required=True, description="Pass as `after` to continue after this change.")
    kind = graphene.Field(ChangeKindEnum, required=True)
    action = graphene.Field(ChangeActionEnum, required=True)
    id = graphene.ID(required=True, description='Key of the object, e.g. "page:42" or "idea:IDEE-ABCD2345".')
    content_type = graphene.String(required=True, description='Model, e.g. "projects.ProjectPage".')
    municipality = graphene.String(required=True, description="Regional key (ARS); empty outside municipalities.")
    url_path = graphene.String(required=True, description="Path below the municipality's home page.")
    title = graphene.String(required=True, description="For a tombstone, the title the object had when public.")
    occurred_at = graphene.DateTime(required=True)

    def resolve_cursor(event, info):
        return encode_changes(event.pk)

    def resolve_id(event, info):
        return event.object_key


class ChangeConnection(graphene.ObjectType):
    nodes = graphene.List(graphene.NonNull(Change), required=True, description="Changes in the order they happened.")
    end_cursor = graphene.String(
        required=True, description="Pass as `after` for the next page; also when `hasMore` is false, to poll later."
    )
    has_more = graphene.Boolean(required=True, description="More changes exist after `endCursor` right now.")


class PublicObject(graphene.ObjectType):
    id = graphene.ID(required=True)
    content_type = graphene.String(required=True)
    municipality = graphene.String(required=True)
    url_path = graphene.String(required=True)
    title = graphene.String(required=True)

    def resolve_id(item, info):
        return item.object_key


class ChangeSnapshot(graphene.ObjectType):
    nodes = graphene.List(graphene.NonNull(PublicObject), required=True, description="Public objects, by id.")
    next_page = graphene.String(description="Pass as `after` for the next page of the snapshot; null on the last.")
    changes_cursor = graphene.String(
        required=True, description="After reading every page, follow `changes(after:)` from this cursor."
    )


def _limit(limit):
    message = limit_error(limit)
    if message:
        raise GraphQLError(message, extensions={"code": BAD_USER_INPUT})
    return effective_limit(limit)


def _regional_key(info, municipality):
    value = municipality.strip()
    if REGIONAL_KEY.fullmatch(value):
        return value
    municipality = owners_for(info.context).of(find_site(info, value))
    if municipality is None:
        raise GraphQLError(f'The site "{value}" does not serve a municipality.')
    return municipality.regional_key


def _content_type(content_type):
    """Accepts "projects.ProjectPage" or just "ProjectPage"; the feed stores the first form."""
    value = content_type.strip().lower()
    labels = content_type_labels() + [
        f"{model._meta.app_label}.{model.__name__}" for model in apps.get_models() if issubclass(model, Page)
    ]
    matches = [label for label in labels if value in (label.lower(), label.split(".")[1].lower())]
    if len(matches) != 1:
        raise GraphQLError(f'Unknown content type "{content_type}". Use e.g. "projects.ProjectPage" or "ProjectPage".')
    return matches[0]


def _filtered(queryset, info, municipality, content_type):
    if municipality:
        queryset = queryset.filter(municipality=_regional_key(info, municipality))
    if content_type:
        queryset = queryset.filter(content_type=_content_type(content_type))
    return queryset


def _horizon():
    return FeedHorizon.objects.values_list("pruned_through", flat=True).first() or 0


def _decode(decoder, cursor):
    try:
        return decoder(cursor)
    except CursorError as error:
        raise GraphQLError(str(error)) from error


def resolve_changes(root, info, after=None, municipality=None, content_type=None, limit=None):
    limit = _limit(limit)
    reconcile_hidden_pages()
    start = _decode(decode_changes, after) if after else None
    pruned_through = _horizon()
    if start is None:
        if pruned_through:
            raise GraphQLError(
                "The beginning of the log has been pruned; read `changeSnapshot` first and continue with its "
                "`changesCursor`."
            )
        start = 0
    elif start < pruned_through:
        raise GraphQLError(EXPIRED_MESSAGE.format(days=settings.CHANGEFEED_RETENTION_DAYS))
    # The upper bound is read first: every event up to it has committed (see sync.lock_feed), so a
    # cursor at it is safe even if no event of this page matched the filters.
    newest = max(ChangeEvent.objects.aggregate(newest=Max("id"))["newest"] or 0, pruned_through)
    if start > newest:
        raise GraphQLError("Malformed cursor: it is ahead of this log. Start over from the beginning (the snapshot).")
    events = _filtered(ChangeEvent.objects.filter(id__gt=start, id__lte=newest), info, municipality, content_type)
    events = list(events.order_by("id")[: limit + 1])
    has_more = len(events) > limit
    events = events[:limit]
    end = events[-1].pk if has_more else newest
    return ChangeConnection(nodes=events, end_cursor=encode_changes(end), has_more=has_more)


def resolve_change_snapshot(root, info, after=None, municipality=None, content_type=None, limit=None):
    limit = _limit(limit)
    # Before the cursor is read: the tombstones it writes lie before the cursor, and PublishedObject then holds
    # nothing the publication rule hides now (every other change of the rule's inputs is a write that reconciles).
    reconcile_hidden_pages()
    if after:
        changes_from, last_key = _decode(decode_snapshot, after)
        if changes_from < _horizon():
            raise GraphQLError(EXPIRED_MESSAGE.format(days=settings.CHANGEFEED_RETENTION_DAYS))
    else:
        # Read before the objects: whatever changes after this point is also in the log after it.
        changes_from = max(ChangeEvent.objects.aggregate(newest=Max("id"))["newest"] or 0, _horizon())
        last_key = ""
    # Objects announced after the snapshot's cursor are left to the log, so that writes faster than the
    # reader cannot keep the snapshot from ending.
    items = PublishedObject.objects.filter(object_key__gt=last_key, last_event_id__lte=changes_from)
    items = _filtered(items, info, municipality, content_type)
    items = list(items.order_by("object_key")[: limit + 1])
    next_page = encode_snapshot(changes_from, items[limit - 1].object_key) if len(items) > limit else None
    return ChangeSnapshot(nodes=items[:limit], next_page=next_page, changes_cursor=encode_changes(changes_from))


def _filter_arguments():
    return {
        "municipality": graphene.String(description='Regional key (e.g. "066110000000") or site hostname.'),
        "content_type": graphene.String(description='e.g. "projects.ProjectPage", "ProjectPage", "IdeaSubmission".'),
        "limit": graphene.Int(description=f"Number of items, 1 to {settings.GRAPHQL_MAX_PAGE_SIZE}."),
    }


def register():
    register_query_field("changes", _changes_field())
    register_query_field("change_snapshot", _change_snapshot_field())


def _changes_field():
    return graphene.Field(
        ChangeConnection,
        required=True,
        after=graphene.String(description="A cursor from an earlier response; omit to start at the beginning."),
        resolver=resolve_changes,
        description="Changes of public content across all municipalities, oldest first: an append-only log "
        "with tombstones for everything that stops being public. See docs/changefeed.md.",
        **_filter_arguments(),
    )


def _change_snapshot_field():
    return graphene.Field(
        ChangeSnapshot,
        required=True,
        after=graphene.String(description="`nextPage` of the previous snapshot page."),
        resolver=resolve_change_snapshot,
        description="All public content now, with the cursor from which `changes` continues: where a new "
        "consumer starts, also after old changes have been pruned.",
        **_filter_arguments(),
    )
