"""The publication rule (cms.publication) in its two forms, the queryset filter and the check of one object, agrees
with itself and with an oracle written here from first principles, over generated page trees, collection trees and
ideas.

The oracle walks every object's ancestors one by one and knows nothing of the module's snapshot (hidden subtree roots,
path prefixes, restricted collection ids), so a mistake in either form of the rule makes these tests fail.
"""

import os
import time
from datetime import UTC, datetime, timedelta

import pytest
import wagtail_factories
from django.contrib.auth.models import Group
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction, Page, PageViewRestriction

from cms.media.factories import ImageFactory
from cms.publication import Publication
from regions.calls.factories import CallForIdeasPageFactory
from regions.ideas.factories import IdeaSubmissionFactory
from regions.ideas.models import IdeaStatus, IdeaSubmission
from sites.factories import ContentPageFactory, create_municipality

# A fixed instant with a fraction of a second, so that expiry times on either side of it differ from it in the
# microseconds as well as in whole seconds (SQLite compares datetimes as text).
NOW = datetime(2026, 6, 1, 12, 0, 0, 250000, tzinfo=UTC)
EXPIRY_OFFSETS = [
    None,
    -timedelta(days=400),
    -timedelta(microseconds=250000),  # the whole second just before NOW, stored without a fraction
    -timedelta(microseconds=1),
    timedelta(0),  # expires at NOW: hidden from that instant on
    timedelta(microseconds=1),
    timedelta(microseconds=750000),  # the next whole second
    timedelta(days=400),
]
RESTRICTIONS = [BaseViewRestriction.PASSWORD, BaseViewRestriction.LOGIN, BaseViewRestriction.GROUPS]
# How a page comes to its state: "unpublished" is published through a revision and then unpublished, "expired" is
# unpublished with the expiry flag as Wagtail's scheduler does, "flagged" keeps live=True with expired=True.
PAGE_STATES = ["live", "live", "live", "draft", "unpublished", "expired", "flagged"]
UNPUBLISHED_STATUSES = [status for status in IdeaStatus.values if status != IdeaStatus.PUBLISHED]
MAX_PAGES = 10
MAX_COLLECTIONS = 6

# Examples per run: page trees cost about half a second each, collection trees a tenth of that.
# PUBLICATION_RULE_EXAMPLES=500 searches deeper.
DEEPER = int(os.environ.get("PUBLICATION_RULE_EXAMPLES", "0"))
PAGE_TREE_EXAMPLES = DEEPER or 30
COLLECTION_TREE_EXAMPLES = DEEPER or 60
HYPOTHESIS_SETTINGS = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)


@pytest.fixture
def city(db):
    home = create_municipality(hostname="pubrule.test", title="Regelstadt")
    return {"home": home, "group": Group.objects.create(name="Regelstadt Redaktion")}


def restrict(model, target, restriction_type, group):
    field = "page" if model is PageViewRestriction else "collection"
    restriction = model.objects.create(
        **{field: target},
        restriction_type=restriction_type,
        password="geheim" if restriction_type == "password" else "",
    )
    if restriction_type == BaseViewRestriction.GROUPS:
        restriction.groups.set([group])


def run_examples(test, strategy, city, max_examples):
    """Runs `test` once per generated example, each in a transaction that is rolled back."""
    started, examples = time.monotonic(), []

    @settings(HYPOTHESIS_SETTINGS, max_examples=max_examples)
    @given(strategy)
    def example(spec):
        with transaction.atomic():
            test(city, spec)
            examples.append(spec)
            transaction.set_rollback(True)

    example()
    print(f"\n{len(examples)} examples, {time.monotonic() - started:.1f} s")
    assert examples


# --- the oracle -----------------------------------------------------------------------------------------------


def oracle_public_page_ids(now):
    """Public pages, decided page by page: the page and each ancestor below the root are live, not expired by flag or
    by time, and no page from the page up to the root carries a view restriction."""
    by_path = {page.path: page for page in Page.objects.all()}
    restricted = set(PageViewRestriction.objects.values_list("page_id", flat=True))

    def visible_itself(page):
        return page.live and not page.expired and (page.expire_at is None or page.expire_at > now)

    def ancestors_and_self(page):
        path = page.path
        while path:
            yield by_path[path]
            path = path[: -Page.steplen]

    public = set()
    for page in by_path.values():
        if page.depth <= 1:
            continue
        chain = list(ancestors_and_self(page))
        if any(node.pk in restricted for node in chain):
            continue
        if all(visible_itself(node) for node in chain if node.depth > 1):
            public.add(page.pk)
    return public


def oracle_public_media_ids(model):
    """Media in a collection that neither carries a view restriction nor has an ancestor that does."""
    restricted = set(CollectionViewRestriction.objects.values_list("collection_id", flat=True))
    collections = {collection.pk: collection for collection in Collection.objects.all()}
    public = set()
    for item in model.objects.all():
        lineage = [collections[item.collection_id], *collections[item.collection_id].get_ancestors()]
        if not any(collection.pk in restricted for collection in lineage):
            public.add(item.pk)
    return public


def oracle_public_idea_ids(public_page_ids):
    return {
        idea.pk
        for idea in IdeaSubmission.objects.all()
        if idea.status == IdeaStatus.PUBLISHED and idea.call_id in public_page_ids
    }


# --- pages and ideas ------------------------------------------------------------------------------------------


@st.composite
def page_trees(draw):
    """Nodes 1..n below the home page (node 0). Calls for ideas are leaves, as their page type demands."""
    size = draw(st.integers(1, MAX_PAGES))
    nodes = [
        {
            "kind": "home",
            "parent": None,
            "state": draw(st.sampled_from(["live"] * 5 + ["draft", "expired"])),
            "expiry": draw(st.sampled_from([None] * 6 + EXPIRY_OFFSETS)),
            "restriction": draw(st.sampled_from([None] * 6 + RESTRICTIONS)),
        }
    ]
    for _ in range(size):
        containers = [index for index, node in enumerate(nodes) if node["kind"] != "call"]
        kind = draw(st.sampled_from(["content", "content", "call"]))
        nodes.append(
            {
                "kind": kind,
                "parent": draw(st.sampled_from(containers)),
                "state": draw(st.sampled_from(PAGE_STATES)),
                "expiry": draw(st.sampled_from([None, None, None, *EXPIRY_OFFSETS])),
                "restriction": draw(st.sampled_from([None] * 5 + RESTRICTIONS)),
                # Every call has a published idea and one in another status, so both sides of the status test
                # meet calls that are public and calls that are not.
                "ideas": [IdeaStatus.PUBLISHED, draw(st.sampled_from(UNPUBLISHED_STATUSES))] if kind == "call" else [],
            }
        )
    moves = draw(st.lists(st.tuples(st.integers(1, size), st.integers(0, size)), max_size=2))
    return {"nodes": nodes, "moves": moves}


def build_page_tree(city, spec):
    """Creates the tree, returns {node index: page id} and the parent of each node after the moves."""
    nodes = spec["nodes"]
    ids = {0: city["home"].pk}
    for index, node in enumerate(nodes[1:], start=1):
        factory = CallForIdeasPageFactory if node["kind"] == "call" else ContentPageFactory
        page = factory(parent=Page.objects.get(pk=ids[node["parent"]]), live=node["state"] != "draft")
        ids[index] = page.pk
        for status in node["ideas"]:
            IdeaSubmissionFactory(call=page, status=status)

    for index, node in enumerate(nodes):
        page = Page.objects.get(pk=ids[index]).specific
        if node["state"] == "unpublished":
            page.save_revision().publish()
            page.unpublish()
        elif node["state"] == "expired":
            page.unpublish(set_expired=True)
        elif node["state"] == "draft" and index == 0:
            page.unpublish()
        elif node["state"] == "flagged":
            Page.objects.filter(pk=page.pk).update(expired=True)
        if node["expiry"] is not None:
            Page.objects.filter(pk=page.pk).update(expire_at=NOW + node["expiry"])
        if node["restriction"]:
            restrict(PageViewRestriction, page, node["restriction"], city["group"])

    # Moves come last, so that subtrees land below parents that are already restricted, unpublished or expired.
    parents = {index: node["parent"] for index, node in enumerate(nodes)}

    def in_subtree(index, root):
        while index is not None:
            if index == root:
                return True
            index = parents[index]
        return False

    for moved, target in spec["moves"]:
        if nodes[target]["kind"] == "call" or in_subtree(target, moved) or parents[moved] == target:
            continue
        Page.objects.get(pk=ids[moved]).move(Page.objects.get(pk=ids[target]), pos="last-child")
        parents[moved] = target
    return ids, parents


def check_page_tree(city, spec):
    ids, parents = build_page_tree(city, spec)

    # The tree is the one the generator meant, so the oracle judges the intended structure.
    for index, parent in parents.items():
        if parent is not None:
            assert Page.objects.get(pk=ids[index]).get_parent().pk == ids[parent]
    for index, node in enumerate(spec["nodes"]):
        assert Page.objects.get(pk=ids[index]).live == (node["state"] in ("live", "flagged"))

    publication = Publication(NOW)
    by_filter = set(publication.pages(Page.objects.all()).values_list("pk", flat=True))
    by_object = {page.pk for page in Page.objects.all() if publication.is_public_page(page)}
    by_object_specific = {page.pk for page in Page.objects.specific() if publication.is_public_page(page)}
    expected = oracle_public_page_ids(NOW)
    assert by_filter == by_object == by_object_specific == expected
    # The Q form, as other querysets embed it.
    assert set(Page.objects.filter(publication.page_condition()).values_list("pk", flat=True)) == expected

    ideas = IdeaSubmission.objects.all()
    pages = {page.pk: page for page in Page.objects.all()}
    records_by_filter = set(publication.records(ideas).values_list("pk", flat=True))
    records_by_object = {idea.pk for idea in ideas.select_related("call") if publication.is_public_record(idea)}
    # With the page handed in as a plain row, as listings do.
    records_with_row = {idea.pk for idea in ideas if publication.is_public_record(idea, page=pages[idea.call_id])}
    assert records_by_filter == records_by_object == records_with_row == oracle_public_idea_ids(expected)


def test_page_and_idea_rule_agrees_with_the_oracle(city):
    run_examples(check_page_tree, page_trees(), city, PAGE_TREE_EXAMPLES)


# --- images and documents -------------------------------------------------------------------------------------


@st.composite
def collection_trees(draw):
    """Collections 1..n below the municipality's collection (node 0); items may also sit in the root collection
    (node -1), which is never restricted here, because that would hide every city's media."""
    size = draw(st.integers(1, MAX_COLLECTIONS))
    return {
        "parents": [draw(st.integers(0, index)) for index in range(size)],
        "restrictions": draw(
            st.lists(st.sampled_from([None] * 4 + RESTRICTIONS), min_size=size + 1, max_size=size + 1)
        ),
        "items": draw(st.lists(st.tuples(st.integers(-1, size), st.sampled_from(["image", "document"])), max_size=8)),
        "moves": draw(st.lists(st.tuples(st.integers(1, size), st.integers(0, size)), max_size=2)),
    }


def check_collection_tree(city, spec):
    collections = {-1: Collection.get_first_root_node(), 0: city["home"].media_collection}
    parents = {0: None}
    for index, parent in enumerate(spec["parents"], start=1):
        collections[index] = Collection.objects.get(pk=collections[parent].pk).add_child(name=f"Sammlung {index}")
        parents[index] = parent
    for index, restriction_type in enumerate(spec["restrictions"]):
        if restriction_type:
            restrict(CollectionViewRestriction, collections[index], restriction_type, city["group"])
    for index, kind in spec["items"]:
        factory = ImageFactory if kind == "image" else wagtail_factories.DocumentFactory
        factory(collection=collections[index])

    def in_subtree(index, root):
        while index is not None:
            if index == root:
                return True
            index = parents[index]
        return False

    for moved, target in spec["moves"]:
        if in_subtree(target, moved) or parents[moved] == target:
            continue
        # Collections keep their children sorted by name.
        Collection.objects.get(pk=collections[moved].pk).move(
            Collection.objects.get(pk=collections[target].pk), pos="sorted-child"
        )
        parents[moved] = target
    for index, parent in parents.items():
        if parent is not None:
            assert Collection.objects.get(pk=collections[index].pk).get_parent().pk == collections[parent].pk

    publication = Publication(NOW)
    for model in (get_image_model(), get_document_model()):
        by_filter = set(publication.media(model.objects.all()).values_list("pk", flat=True))
        by_object = {item.pk for item in model.objects.all() if publication.is_public_media(item)}
        assert by_filter == by_object == oracle_public_media_ids(model), model.__name__


def test_media_rule_agrees_with_the_oracle(city):
    run_examples(check_collection_tree, collection_trees(), city, COLLECTION_TREE_EXAMPLES)


# --- the rule's edges, one example each -----------------------------------------------------------------------


def test_an_unpublished_section_hides_its_live_subpages(city):
    section = ContentPageFactory(parent=city["home"])
    subpage = ContentPageFactory(parent=section)
    grandchild = ContentPageFactory(parent=subpage)
    section.save_revision().publish()
    section.unpublish()

    publication = Publication(NOW)
    assert Page.objects.get(pk=subpage.pk).live
    assert not publication.is_public_page(Page.objects.get(pk=subpage.pk))
    assert not publication.is_public_page(Page.objects.get(pk=grandchild.pk))
    assert not publication.pages(Page.objects.descendant_of(city["home"])).exists()
    assert publication.is_public_page(Page.objects.get(pk=city["home"].pk))


def test_a_page_past_its_expiry_time_is_hidden_while_still_live(city):
    page = ContentPageFactory(parent=city["home"], expire_at=NOW - timedelta(minutes=1))
    child = ContentPageFactory(parent=page)
    page.refresh_from_db()
    assert page.live and not page.expired

    assert not Publication(NOW).is_public_page(page)
    assert not Publication(NOW).is_public_page(Page.objects.get(pk=child.pk))
    assert not Publication(NOW).pages(Page.objects.filter(pk__in=[page.pk, child.pk])).exists()
    # Before its expiry time the same page was public, and so was its child.
    earlier = Publication(NOW - timedelta(minutes=2))
    assert earlier.is_public_page(page)
    assert set(earlier.pages(Page.objects.filter(pk__in=[page.pk, child.pk])).values_list("pk", flat=True)) == {
        page.pk,
        child.pk,
    }


def test_expiry_times_around_now_in_both_forms(city):
    pages = {offset: ContentPageFactory(parent=city["home"]) for offset in EXPIRY_OFFSETS}
    for offset, page in pages.items():
        if offset is not None:
            Page.objects.filter(pk=page.pk).update(expire_at=NOW + offset)

    publication = Publication(NOW)
    by_filter = set(publication.pages(Page.objects.all()).values_list("pk", flat=True))
    by_object = {page.pk for page in Page.objects.all() if publication.is_public_page(page)}
    assert by_filter == by_object == oracle_public_page_ids(NOW)
    # Public only while the expiry time lies ahead: a page that expires at NOW is hidden at NOW.
    visible = {offset for offset, page in pages.items() if page.pk in by_filter}
    assert visible == {None, timedelta(microseconds=1), timedelta(microseconds=750000), timedelta(days=400)}


def test_a_restricted_parent_collection_hides_a_document_in_an_unrestricted_subcollection(city):
    parent = city["home"].media_collection.add_child(name="Intern")
    subcollection = parent.add_child(name="Protokolle")
    document = wagtail_factories.DocumentFactory(collection=subcollection)
    sibling_document = wagtail_factories.DocumentFactory(collection=city["home"].media_collection)
    assert Publication(NOW).is_public_media(document)

    restrict(CollectionViewRestriction, parent, BaseViewRestriction.LOGIN, city["group"])
    assert not CollectionViewRestriction.objects.filter(collection=subcollection).exists()

    publication = Publication(NOW)
    assert not publication.is_public_media(document)
    assert publication.is_public_media(sibling_document)
    documents = get_document_model().objects.filter(pk__in=[document.pk, sibling_document.pk])
    assert list(publication.media(documents)) == [sibling_document]
