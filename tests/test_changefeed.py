"""The change feed: a consumer that replays it ends with exactly the public content of the database."""

import io
import time
from datetime import timedelta

import pytest
import wagtail_factories
from django.core import signing
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from cms.changefeed.models import ChangeEvent, PublishedObject
from cms.media.factories import ImageFactory
from cms.media.models import CustomImage
from cms.publication import Publication
from cms.webhooks.models import WebhookDelivery, WebhookEndpoint
from regions.calls.factories import CallForIdeasPageFactory
from regions.calls.models import CallIndexPage
from regions.ideas.models import IdeaStatus, IdeaSubmission
from sites.models import ContentPage, Municipality, MunicipalityHomePage
from tests.conftest import GraphQLClient
from tests.tenancy import onboard

CHANGES = """
query ($after: String, $municipality: String, $contentType: String, $limit: Int) {
  changes(after: $after, municipality: $municipality, contentType: $contentType, limit: $limit) {
    nodes { cursor kind action id contentType municipality urlPath title occurredAt }
    endCursor
    hasMore
  }
}
"""
SNAPSHOT = """
query ($after: String, $limit: Int, $municipality: String) {
  changeSnapshot(after: $after, limit: $limit, municipality: $municipality) {
    nodes { id contentType municipality urlPath title }
    nextPage
    changesCursor
  }
}
"""
KIEL, KASSEL = "010020000000", "066110000000"
HOST = "kiel.test"


# --- the truth: public content computed straight from the database with the API's rules -------------


def public_content():
    publication = Publication()
    homes = {home.path: home for home in MunicipalityHomePage.objects.all()}
    truth = {}
    for page in publication.pages(Page.objects.all()).select_related("content_type"):
        home = homes.get(page.path[: 2 * Page.steplen])
        if home is None:
            continue
        model = page.content_type.model_class()
        truth[f"page:{page.pk}"] = {
            "contentType": f"{page.content_type.app_label}.{model.__name__}",
            "municipality": home.regional_key,
            "urlPath": page.url_path[len(home.url_path) - 1 :],
            "title": page.title,
        }
    for idea in IdeaSubmission.objects.filter(status=IdeaStatus.PUBLISHED):
        call_key = f"page:{idea.call_id}"
        if call_key in truth:
            truth[f"idea:{idea.reference}"] = {
                **truth[call_key],
                "contentType": "ideas.IdeaSubmission",
                "title": idea.title,
            }
    media_paths = {
        Collection.objects.get(pk=home.media_collection_id).path: home
        for home in homes.values()
        if home.media_collection_id
    }
    for prefix, model, label in (
        ("image", CustomImage, "media.CustomImage"),
        ("document", get_document_model(), "wagtaildocs.Document"),
    ):
        for item in publication.media(model.objects.select_related("collection")):
            home = next((home for path, home in media_paths.items() if item.collection.path.startswith(path)), None)
            if home is not None:
                truth[f"{prefix}:{item.pk}"] = {
                    "contentType": label,
                    "municipality": home.regional_key,
                    "urlPath": "",
                    "title": item.title,
                }
    return truth


# --- a consumer ---------------------------------------------------------------------------------------


class Consumer:
    def __init__(self, gql, limit):
        self.gql, self.limit = gql, limit
        self.objects, self.cursor, self.cursors = {}, None, []

    def apply(self, node):
        if node["kind"] == "UPSERT":
            self.objects[node["id"]] = {
                field: node[field] for field in ("contentType", "municipality", "urlPath", "title")
            }
        else:
            self.objects.pop(node["id"], None)

    def read_page(self):
        page = self.gql.data(CHANGES, {"after": self.cursor, "limit": self.limit}, host=HOST)["changes"]
        for node in page["nodes"]:
            self.apply(node)
        self.cursor = page["endCursor"]
        self.cursors.append(self.cursor)
        return page["hasMore"]

    def catch_up(self):
        while self.read_page():
            pass

    def rewind(self, index):
        """At-least-once delivery: resume from an earlier cursor, keeping what was applied since."""
        if self.cursors:
            self.cursor = self.cursors[index % len(self.cursors)]

    def start_from_snapshot(self, between_pages):
        after, first = None, True
        while first or after:
            page = self.gql.data(SNAPSHOT, {"after": after, "limit": self.limit}, host=HOST)["changeSnapshot"]
            for node in page["nodes"]:
                self.objects[node["id"]] = {
                    field: node[field] for field in ("contentType", "municipality", "urlPath", "title")
                }
            if first:
                self.cursor = page["changesCursor"]
                self.cursors.append(self.cursor)
            after, first = page["nextPage"], False
            between_pages()


# --- the world that random operations change ---------------------------------------------------------


class World:
    def __init__(self, base):
        self.homes = base["homes"]
        self.calls = base["calls"]
        self.collections = base["collections"]
        self.counter = 0

    def pages(self):
        return list(ContentPage.objects.filter(slug__startswith="p-").order_by("pk"))

    def pick(self, choice, items):
        return items[choice % len(items)] if items else None

    def perform(self, op, a, b):
        pages = self.pages()
        page = self.pick(a, pages)
        self.counter += 1
        if op == "create" or page is None:
            parents = self.homes + pages
            parent = self.pick(b, parents).specific
            child = ContentPage(title=f"Seite {self.counter}", slug=f"p-{self.counter}", live=bool(b % 3))
            parent.add_child(instance=child)
        elif op == "edit":
            page.title = f"{page.title.split(' / ')[0]} / {self.counter}"
            if b % 2:
                page.slug = f"p-{self.counter}"
            page.save_revision().publish()
        elif op == "draft":
            page.title = f"Entwurf {self.counter}"
            page.save_revision()
        elif op == "publish":
            page.save_revision().publish()
        elif op == "unpublish":
            if page.live:
                page.unpublish()
        elif op == "move":
            targets = self.homes + [p for p in pages if not p.path.startswith(page.path)]
            page.move(self.pick(b, targets), pos="last-child")
        elif op == "delete":
            page.delete()
        elif op == "restrict":
            restriction = PageViewRestriction.objects.filter(page=page).first()
            if restriction:
                restriction.delete()
            else:
                PageViewRestriction.objects.create(page=page, restriction_type="password", password="geheim")
        elif op == "expire":
            page.expire_at = timezone.now() - timedelta(minutes=1)
            page.save()
        elif op == "time_passes":
            # An expiry time that passes by itself: no write, no signal, and publish_scheduled has not run.
            Page.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(seconds=1))
        elif op == "media":
            self.change_media(a, b)
        elif op == "idea":
            ideas = list(IdeaSubmission.objects.order_by("pk"))
            idea = self.pick(b, ideas)
            if idea is None or a % 4 == 0:
                call = self.pick(b, self.calls)
                IdeaSubmission.objects.create(
                    call=call,
                    home_page_id=call.get_parent().get_parent().pk,
                    title=f"Idee {self.counter}",
                    description="Beschreibung",
                    status=IdeaStatus.PUBLISHED if b % 2 else IdeaStatus.RECEIVED,
                    idempotency_key=f"key-{self.counter}",
                    content_fingerprint="x",
                    pseudonym="Teilnehmende·r 00001",
                )
            elif a % 4 == 1:
                idea.delete()
            else:
                idea.status = IdeaStatus.PUBLISHED if idea.status != IdeaStatus.PUBLISHED else IdeaStatus.REJECTED
                idea.title = f"Idee {self.counter}"
                idea.save()
        elif op == "restrict_call":
            call = self.pick(b, self.calls)
            restriction = PageViewRestriction.objects.filter(page=call).first()
            if restriction:
                restriction.delete()
            else:
                PageViewRestriction.objects.create(page=call, restriction_type="password", password="geheim")

    def change_media(self, a, b):
        items = list(CustomImage.objects.order_by("pk")) + list(get_document_model().objects.order_by("pk"))
        item = self.pick(b, items)
        collection = self.pick(b, self.collections)
        if item is None or a % 5 == 0:
            ImageFactory(collection=collection, title=f"Bild {self.counter}")
        elif a % 5 == 1:
            wagtail_factories.DocumentFactory(collection=collection, title=f"Dokument {self.counter}")
        elif a % 5 == 2:
            item.delete()
        elif a % 5 == 3:
            item.title = f"Medium {self.counter}"
            item.collection = collection
            item.save()
        else:
            restriction = CollectionViewRestriction.objects.filter(collection=collection).first()
            if restriction:
                restriction.delete()
            else:
                CollectionViewRestriction.objects.create(
                    collection=collection, restriction_type="password", password="geheim"
                )


OPERATIONS = ["create", "create", "edit", "draft", "publish", "unpublish", "move", "move", "delete", "restrict"]
OPERATIONS += ["expire", "time_passes", "idea", "idea", "restrict_call", "media", "media"]
# Reads and rewinds are interleaved with the writes; a rewind resumes from an earlier cursor.
STEPS = OPERATIONS + ["read"] * 4 + ["rewind"] * 2
step = st.tuples(st.sampled_from(STEPS), st.integers(0, 50), st.integers(0, 50))


@pytest.fixture
def base(db):
    homes, calls, collections = [], [], []
    for name, key, host in (("Kiel", KIEL, "kiel.test"), ("Kassel", KASSEL, "kassel.test")):
        home = onboard(name, key, host).home_page
        index = CallIndexPage.objects.child_of(home).get()
        call = CallForIdeasPageFactory(parent=index, title=f"Aufruf {name}", slug=f"aufruf-{name.lower()}")
        call.save_revision().publish()
        # A few pages to start with, so that short examples already edit, move and restrict existing pages.
        first = home.add_child(instance=ContentPage(title=f"{name} A", slug=f"p-{name.lower()}-a"))
        first.add_child(instance=ContentPage(title=f"{name} B", slug=f"p-{name.lower()}-b"))
        media = Collection.objects.get(pk=home.media_collection_id)
        homes.append(home)
        calls.append(call)
        collections += [media, media.add_child(name=f"{name} intern")]
    return {"homes": homes, "calls": calls, "collections": collections}


def replay_scenario(base, steps, limit, snapshot_at):
    world = World(base)
    from_start = Consumer(GraphQLClient(Client()), limit)
    late = None
    for number, (op, a, b) in enumerate(steps):
        if op == "read":
            from_start.read_page()
            if late:
                late.read_page()
        elif op == "rewind":
            from_start.rewind(a)
            if late:
                late.rewind(a)
        else:
            world.perform(op, a, b)
        if number == snapshot_at:
            late = Consumer(GraphQLClient(Client()), limit)
            # Writes between the pages of the snapshot, as they would happen in production.
            late.start_from_snapshot(lambda number=number: world.perform("create", number, number))
    truth = public_content()
    from_start.catch_up()
    assert from_start.objects == truth
    if late:
        late.catch_up()
        assert late.objects == truth


def test_replaying_the_feed_ends_with_exactly_the_public_content(base):
    started = time.monotonic()
    examples = []

    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(steps=st.lists(step, min_size=8, max_size=25), limit=st.integers(1, 4), snapshot_at=st.integers(0, 25))
    def scenario(steps, limit, snapshot_at):
        with transaction.atomic():
            replay_scenario(base, steps, limit, snapshot_at)
            examples.append(len(steps))
            transaction.set_rollback(True)

    scenario()
    print(f"\n{len(examples)} examples, {sum(examples)} steps, {time.monotonic() - started:.1f} s")


# --- plain tests --------------------------------------------------------------------------------------


def changes(gql, **variables):
    return gql.data(CHANGES, variables, host=HOST)["changes"]


def all_changes(gql, **variables):
    nodes, after = [], None
    while True:
        page = changes(gql, after=after, limit=100, **variables)
        nodes += page["nodes"]
        after = page["endCursor"]
        if not page["hasMore"]:
            return nodes, after


def test_malformed_cursor_is_an_error(gql, base):
    for cursor in ("nonsense", "WzEsNV0:forged", signing.Signer(salt="other").sign_object([1, 5])):
        _, messages = gql.errors(CHANGES, {"after": cursor}, host=HOST)
        assert "Malformed cursor" in messages[0]
    _, messages = gql.errors(
        CHANGES, {"after": signing.Signer(salt="cms.changefeed.changes").sign_object([1, 10**9])}, host=HOST
    )
    assert "ahead of this log" in messages[0]


def test_expired_cursor_is_an_error_and_the_snapshot_starts_over(gql, base):
    # A consumer that stopped after the first change; one that read everything has missed nothing.
    old_cursor = changes(gql, limit=1)["endCursor"]
    _, current_cursor = all_changes(gql)
    ChangeEvent.objects.update(occurred_at=timezone.now() - timedelta(days=91))
    home = base["homes"][0]
    home.add_child(instance=ContentPage(title="Neu", slug="neu"))
    call_command("prune_changefeed", stdout=io.StringIO())
    _, messages = gql.errors(CHANGES, {"after": old_cursor}, host=HOST)
    assert messages[0].startswith("cursor expired, start over from the beginning (the snapshot)")
    _, messages = gql.errors(CHANGES, {}, host=HOST)
    assert "changeSnapshot" in messages[0]
    assert [node["title"] for node in changes(gql, after=current_cursor)["nodes"]] == ["Neu"]

    consumer = Consumer(gql, 7)
    consumer.start_from_snapshot(lambda: None)
    consumer.catch_up()
    assert consumer.objects == public_content()


def in_feed_order(*keys):
    """Within one reconciliation the feed writes its events by key."""
    return sorted(keys)


def test_tombstones_for_unpublish_delete_and_view_restriction(gql, base):
    home = base["homes"][0]
    parent = home.add_child(instance=ContentPage(title="Eltern", slug="eltern"))
    child = parent.add_child(instance=ContentPage(title="Kind", slug="kind"))
    _, cursor = all_changes(gql)

    restriction = PageViewRestriction.objects.create(page=parent, restriction_type="password", password="x")
    restriction.delete()
    parent.unpublish()
    parent.save_revision().publish()
    child_pk = child.pk
    child.delete()

    nodes = changes(gql, after=cursor)["nodes"]
    seen = [(node["kind"], node["action"], node["id"]) for node in nodes]
    both = in_feed_order(f"page:{parent.pk}", f"page:{child_pk}")
    assert seen == [
        *[("TOMBSTONE", "RESTRICT", key) for key in both],
        *[("UPSERT", "RESTRICT", key) for key in both],
        # An unpublished section hides its subpages (the publication rule), and publishing it shows them again.
        *[("TOMBSTONE", "UNPUBLISH", key) for key in both],
        *[("UPSERT", "PUBLISH", key) for key in both],
        ("TOMBSTONE", "DELETE", f"page:{child_pk}"),
    ]
    assert nodes[-1]["title"] == "Kind" and nodes[-1]["urlPath"] == "/eltern/kind/"


def test_move_renames_descendants_and_draft_saves_are_not_changes(gql, base):
    kiel, kassel = base["homes"]
    parent = kiel.add_child(instance=ContentPage(title="Eltern", slug="eltern"))
    child = parent.add_child(instance=ContentPage(title="Kind", slug="kind"))
    _, cursor = all_changes(gql)
    _, kiel_cursor = all_changes(gql, municipality=KIEL)
    child.title = "Entwurf"
    child.save_revision()
    assert changes(gql, after=cursor)["nodes"] == []

    parent.move(kassel, pos="last-child")
    nodes = changes(gql, after=cursor)["nodes"]
    # Out of one municipality into another: a tombstone where it was, an upsert where it is now.
    assert [(node["kind"], node["action"], node["id"], node["municipality"], node["urlPath"]) for node in nodes] == [
        (kind, "MOVE", key, municipality, {f"page:{parent.pk}": "/eltern/", f"page:{child.pk}": "/eltern/kind/"}[key])
        for key in in_feed_order(f"page:{parent.pk}", f"page:{child.pk}")
        for kind, municipality in (("TOMBSTONE", KIEL), ("UPSERT", KASSEL))
    ]
    # A consumer that follows Kiel only sees both pages leave.
    kiel_nodes = changes(gql, after=kiel_cursor, municipality=KIEL)["nodes"]
    assert {(node["kind"], node["id"]) for node in kiel_nodes} == {
        ("TOMBSTONE", f"page:{parent.pk}"),
        ("TOMBSTONE", f"page:{child.pk}"),
    }


def snapshot_keys(gql, **variables):
    keys, after = set(), None
    while True:
        page = gql.data(SNAPSHOT, {"after": after, "limit": 100, **variables}, host=HOST)["changeSnapshot"]
        keys |= {node["id"] for node in page["nodes"]}
        after = page["nextPage"]
        if not after:
            return keys


def test_an_expiry_time_that_passes_by_itself_leaves_snapshot_and_log_without_the_scheduler(gql, base):
    kiel = base["homes"][0]
    section = kiel.add_child(instance=ContentPage(title="Befristet", slug="befristet"))
    child = section.add_child(instance=ContentPage(title="Darunter", slug="darunter"))
    other = kiel.add_child(instance=ContentPage(title="Auch befristet", slug="auch-befristet"))
    endpoint = WebhookEndpoint.objects.create(
        municipality=Municipality.objects.get(home_page=kiel), url="http://127.0.0.1:9/hook"
    )
    _, cursor = all_changes(gql)
    section_keys = {f"page:{section.pk}", f"page:{child.pk}"}
    assert section_keys <= snapshot_keys(gql)

    # Time passes: the database is not written, no signal runs, publish_scheduled has not run.
    Page.objects.filter(pk__in=[section.pk, other.pk]).update(expire_at=timezone.now() - timedelta(seconds=1))
    assert PublishedObject.objects.filter(object_key__in=section_keys).count() == 2

    # Reading the snapshot first: it does not list the expired section nor its subpage ...
    keys = snapshot_keys(gql)
    assert not keys & (section_keys | {f"page:{other.pk}"}) and f"page:{kiel.pk}" in keys
    assert keys == {key for key in public_content()}
    # ... the log has their tombstones, and the webhooks got page.unpublished in the same transaction.
    nodes = changes(gql, after=cursor)["nodes"]
    assert {(node["kind"], node["action"], node["id"]) for node in nodes} == {
        ("TOMBSTONE", "UNPUBLISH", key) for key in section_keys | {f"page:{other.pk}"}
    }
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("id")
    assert sorted((delivery.event, delivery.payload["page"]["id"]) for delivery in deliveries) == sorted(
        ("page.unpublished", page.pk) for page in (section, child, other)
    )
    assert deliveries[0].payload["page"]["municipality"] == {"regional_key": KIEL, "name": "Kiel"}

    # Reading the log first works the same; reading again writes nothing twice.
    late = kiel.add_child(instance=ContentPage(title="Später befristet", slug="spaeter"))
    _, cursor = all_changes(gql)
    Page.objects.filter(pk=late.pk).update(expire_at=timezone.now() - timedelta(seconds=1))
    nodes = changes(gql, after=cursor)["nodes"]
    assert [(node["kind"], node["action"], node["id"]) for node in nodes] == [
        ("TOMBSTONE", "UNPUBLISH", f"page:{late.pk}")
    ]
    assert f"page:{late.pk}" not in snapshot_keys(gql, municipality=KIEL)
    assert changes(gql, after=nodes[-1]["cursor"])["nodes"] == []
    assert WebhookDelivery.objects.filter(event="page.unpublished").count() == 4


def test_a_page_hidden_by_a_bypassing_write_leaves_on_the_next_read_and_one_made_public_waits_for_sync(gql, base):
    kiel = base["homes"][0]
    hidden = kiel.add_child(instance=ContentPage(title="Verborgen", slug="verborgen"))
    draft = kiel.add_child(instance=ContentPage(title="Entwurf", slug="entwurf", live=False))
    _, cursor = all_changes(gql)
    Page.objects.filter(pk=hidden.pk).update(expired=True)
    Page.objects.filter(pk=draft.pk).update(live=True)
    assert f"page:{hidden.pk}" not in snapshot_keys(gql)
    nodes = changes(gql, after=cursor)["nodes"]
    assert [(node["kind"], node["action"], node["id"]) for node in nodes] == [
        ("TOMBSTONE", "UNPUBLISH", f"page:{hidden.pk}")
    ]
    # What became public behind the feed's back is not guessed at read time: sync_changefeed announces it.
    assert f"page:{draft.pk}" not in snapshot_keys(gql)
    call_command("sync_changefeed", stdout=io.StringIO())
    assert [
        (node["kind"], node["action"], node["id"]) for node in changes(gql, after=nodes[-1]["cursor"])["nodes"]
    ] == [("UPSERT", "SYNC", f"page:{draft.pk}")]


def test_images_and_documents_follow_their_collection_and_send_no_webhooks(gql, base):
    media, intern = base["collections"][:2]
    WebhookEndpoint.objects.create(
        municipality=Municipality.objects.get(home_page=base["homes"][0]), url="http://127.0.0.1:9/hook"
    )
    _, cursor = all_changes(gql)
    image = ImageFactory(collection=intern, title="Plan")
    document = wagtail_factories.DocumentFactory(collection=intern, title="Satzung")
    both = in_feed_order(f"image:{image.pk}", f"document:{document.pk}")
    restriction = CollectionViewRestriction.objects.create(collection=media, restriction_type="password", password="x")
    image.title = "Plan, geändert"
    image.save()
    restriction.delete()
    image.collection = Collection.get_first_root_node()
    image.save()
    document_pk = document.pk
    document.delete()

    nodes = changes(gql, after=cursor)["nodes"]
    assert [(node["kind"], node["action"], node["id"]) for node in nodes] == [
        ("UPSERT", "CREATE", f"image:{image.pk}"),
        ("UPSERT", "CREATE", f"document:{document_pk}"),
        *[("TOMBSTONE", "RESTRICT", key) for key in both],
        # Saved while restricted: still nothing to announce, but the restriction's removal shows the new title.
        *[("UPSERT", "RESTRICT", key) for key in both],
        # Outside the municipalities' collections an image is no content of this feed.
        ("TOMBSTONE", "UNPUBLISH", f"image:{image.pk}"),
        ("TOMBSTONE", "DELETE", f"document:{document_pk}"),
    ]
    assert {(node["contentType"], node["municipality"], node["urlPath"]) for node in nodes} == {
        ("media.CustomImage", KIEL, ""),
        ("wagtaildocs.Document", KIEL, ""),
    }
    assert [node["title"] for node in nodes if node["id"] == f"image:{image.pk}"] == ["Plan"] * 2 + [
        "Plan, geändert"
    ] * 2
    images, _ = all_changes(gql, contentType="CustomImage")
    assert {node["id"] for node in images} == {f"image:{image.pk}"}
    assert not WebhookDelivery.objects.exists()


def test_filters_by_municipality_and_content_type(gql, base):
    nodes, _ = all_changes(gql)
    assert {node["municipality"] for node in nodes} == {KIEL, KASSEL}
    by_key, _ = all_changes(gql, municipality=KASSEL)
    by_host, _ = all_changes(gql, municipality="kassel.test")
    assert by_key == by_host == [node for node in nodes if node["municipality"] == KASSEL]
    calls, _ = all_changes(gql, contentType="CallForIdeasPage")
    assert calls == all_changes(gql, contentType="calls.CallForIdeasPage")[0]
    assert {node["title"] for node in calls} == {"Aufruf Kiel", "Aufruf Kassel"}
    assert "Unknown content type" in gql.errors(CHANGES, {"contentType": "Nope"}, host=HOST)[1][0]
    assert "Unknown site" in gql.errors(CHANGES, {"municipality": "nowhere.test"}, host=HOST)[1][0]
    assert "limit must be between" in gql.errors(CHANGES, {"limit": 101}, host=HOST)[1][0]


def test_cursor_after_the_last_page_sees_later_changes_only(gql, base):
    _, cursor = all_changes(gql, municipality=KIEL)
    base["homes"][1].add_child(instance=ContentPage(title="Kassel neu", slug="kassel-neu"))
    page = changes(gql, after=cursor, municipality=KIEL)
    assert page["nodes"] == [] and not page["hasMore"]
    base["homes"][0].add_child(instance=ContentPage(title="Kiel neu", slug="kiel-neu"))
    nodes = changes(gql, after=page["endCursor"], municipality=KIEL)["nodes"]
    assert [(node["action"], node["title"]) for node in nodes] == [("CREATE", "Kiel neu")]


def test_query_count_is_constant_per_page(gql, base):
    home = base["homes"][0]
    for number in range(60):
        home.add_child(instance=ContentPage(title=f"Seite {number}", slug=f"seite-{number}"))

    def count(limit):
        with CaptureQueriesContext(connection) as queries:
            changes(gql, limit=limit, municipality="kiel.test", contentType="ContentPage")
        return len(queries)

    # 3 for the log, 2 for the hostname, 2 for the check of pages hidden since the last read.
    assert count(2) == count(50) <= 7
    with CaptureQueriesContext(connection) as small:
        gql.data(SNAPSHOT, {"limit": 2}, host=HOST)
    with CaptureQueriesContext(connection) as large:
        gql.data(SNAPSHOT, {"limit": 80}, host=HOST)
    assert len(small) == len(large)


def test_sync_command_repairs_changes_that_bypassed_signals(gql, base):
    home = base["homes"][0]
    page = home.add_child(instance=ContentPage(title="Umgangen", slug="umgangen"))
    Page.objects.filter(pk=page.pk).update(live=False)
    call_command("sync_changefeed", stdout=io.StringIO())
    assert not PublishedObject.objects.filter(object_key=f"page:{page.pk}").exists()
    consumer = Consumer(gql, 50)
    consumer.catch_up()
    assert consumer.objects == public_content()
