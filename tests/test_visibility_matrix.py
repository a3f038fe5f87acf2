"""The visibility matrix for every output.

One world is planted: municipality A (Kiel) gets one object of every kind that the public must not see, each with a
unique marker in its title, slug and (for media) file name, and public pages of A that point at those objects and at
objects of municipality B (Kassel). Then every output is read and searched for the markers, the file names and the
ids of those objects:

1. GraphQL. The queries are generated from the schema by introspection (`QueryBuilder`), not written by hand: every
   root query field, every field of every type below it to a bounded depth, inline fragments for every type behind
   an interface or union. A field added to the schema is queried without editing this test. Fields that fail are
   dropped in a further pass, so that one broken field does not null out its siblings; their error messages are
   searched too.
2. Open data: catalogues and every CSV and JSON export, instance-wide and per municipality.
3. Change feed: the state a consumer ends with after replaying every page of `changes`, and `changeSnapshot`.
4. Webhooks: the last event announced for each hidden page (never page.published), no event at all for a page
   that was never public, nothing of B in A's payloads.
5. Admin: what A's editor sees of B in choosers and in the project forms.

Outputs about A alone (GraphQL with `site`/`municipality` = A, A's open data, A's admin) must show neither A's hidden
objects nor B's; instance-wide outputs legitimately show B's public objects, so only hidden objects count there.

Every leak is collected with the output and the marker; the test fails once, at the end, listing all of them.
"""

import json
import os
import re
from dataclasses import dataclass, field
from functools import cached_property

import pytest
import wagtail_factories
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from grapple.types.documents import get_document_type
from grapple.types.images import get_image_type
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction
from wagtail.rich_text import RichText

from cms.api.schema import schema
from cms.media.factories import ImageFactory
from cms.webhooks.models import WebhookDelivery, WebhookEvent
from graphql import (
    get_named_type,
    get_nullable_type,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_required_argument,
)
from regions.calls.factories import CallForIdeasPageFactory
from regions.calls.models import CallIndexPage
from regions.fields_of_action.factories import FieldOfActionPageFactory
from regions.fields_of_action.models import FieldOfActionIndexPage
from regions.ideas.factories import IdeaSubmissionFactory
from regions.ideas.models import IdeaStatus
from regions.projects.factories import ProjectPageFactory
from regions.projects.models import ProjectIndexPage
from sites.factories import ContentPageFactory
from tests.conftest import GraphQLClient
from tests.tenancy import build_city, client_for
from tests.test_opendata import KASSEL, KIEL, all_urls
from tests.test_visibility import make_draft, make_expired, make_private
from tests.test_webhooks import endpoint_for, publish

HOST_A = "kiel.test"
HOST_B = "kassel.test"
# A host that serves no municipality: where instance-wide fields answer for every municipality.
HOST_INSTANCE = "instance.test"
# Levels of object fields below a root field that the generated queries expand; deeper ones get leaf fields only.
DEPTH = 3
LOOKUP_DEPTH = 1
# The change log is history: a tombstone names what was public once. It is replayed in check 3, not scanned raw.
HISTORY_FIELDS = {"changes"}
MAX_PASSES = 5


# --- the world ---------------------------------------------------------------------------------------------


@dataclass
class World:
    a: object
    b: object
    # Lowercase strings that must not appear, each with the label of the object it betrays.
    hidden_secrets: dict = field(default_factory=dict)
    foreign_secrets: dict = field(default_factory=dict)
    # {"page"|"image"|"document": {pk: label}}
    hidden_ids: dict = field(default_factory=lambda: {"page": {}, "image": {}, "document": {}})
    foreign_ids: dict = field(default_factory=lambda: {"page": {}, "image": {}, "document": {}})
    hidden_paths: list = field(default_factory=list)
    hidden_slugs: list = field(default_factory=list)
    search_words: list = field(default_factory=list)
    hidden_page_labels: dict = field(default_factory=dict)
    never_public: set = field(default_factory=set)
    public: dict = field(default_factory=dict)

    def hide(self, obj, label, kind):
        self.hidden_secrets[label.lower()] = label
        if kind == "page":
            self.hidden_secrets[obj.slug.lower()] = label
            home_url = self.a.home.url_path
            self.hidden_paths.append("/" + obj.url_path[len(home_url) :])
            self.hidden_slugs.append(obj.slug)
            self.hidden_page_labels[obj.pk] = label
        if kind in ("image", "document"):
            name = os.path.basename(obj.file.name)
            self.hidden_secrets[name.lower()] = label
            # The stem also names renditions ("...-img.width-800.jpg").
            self.hidden_secrets[os.path.splitext(name)[0].lower()] = label
        if kind == "idea":
            self.hidden_secrets[obj.reference.lower()] = label
        else:
            self.hidden_ids[kind][obj.pk] = label
        self.search_words.append(label)
        return obj

    def foreign(self, obj, label, kind):
        self.foreign_secrets[label.lower()] = label
        if kind == "page":
            self.foreign_secrets[obj.slug.lower()] = label
        else:
            name = os.path.basename(obj.file.name)
            self.foreign_secrets[name.lower()] = label
            # The stem also names renditions ("fremdbild.width-800.jpg").
            self.foreign_secrets[os.path.splitext(name)[0].lower()] = label
        self.foreign_ids[kind][obj.pk] = label
        return obj


def live_content_page(parent, title, **fields):
    page = ContentPageFactory(parent=parent, title=title, live=False, **fields)
    publish(page)
    page.refresh_from_db()
    return page


def restrict(page, restriction_type, group):
    if restriction_type == PageViewRestriction.PASSWORD:
        return make_private(page)
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=restriction_type)
    if restriction_type == PageViewRestriction.GROUPS:
        restriction.groups.set([group])
    return page


def body_pointing_at(pages, documents, images):
    """StreamField data of a public page whose blocks and rich text lead to the given objects; no marker of its own."""
    links = "".join(f'<a linktype="page" id="{page.pk}">Seite {n}</a> ' for n, page in enumerate(pages))
    links += "".join(f'<a linktype="document" id="{doc.pk}">Datei {n}</a> ' for n, doc in enumerate(documents))
    embeds = "".join(f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="x"/>' for image in images)
    html = f"<p>Siehe {links}</p>{embeds}"
    return [
        *[("image", {"image": image, "alt_text": "Bild", "caption": "", "credit": ""}) for image in images],
        *[("document", {"document": doc, "title": "Datei"}) for doc in documents],
        *[
            ("call_to_action", {"title": "Mehr", "text": "", "link_label": "Los", "page": page, "url": ""})
            for page in pages
        ],
        ("paragraph", RichText(html)),
        ("faq", {"title": "Fragen", "items": [{"question": "Wo?", "answer": RichText(html)}]}),
    ]


def plant_world():
    a = build_city("Kiel", KIEL, HOST_A)
    # Registered before anything is planted, so that every announcement of a hidden page is recorded.
    endpoint_for(a, "http://127.0.0.1:9/matrix")
    b = build_city("Kassel", KASSEL, HOST_B)
    world = World(a=a, b=b)
    home = a.home

    # Media: a restricted collection of A and a collection below it.
    own = Collection.objects.get(pk=home.media_collection_id)
    restricted = own.add_child(name="Intern")
    CollectionViewRestriction.objects.create(
        collection=restricted, restriction_type=CollectionViewRestriction.PASSWORD, password="geheim"
    )
    below = restricted.add_child(name="Intern / Archiv")
    images, documents = [], []
    for label, collection in (("VERBORGEN-media-restricted", restricted), ("VERBORGEN-media-below", below)):
        image = ImageFactory(collection=collection, title=f"{label}-img", file__filename=f"{label}-img.jpg")
        document = wagtail_factories.DocumentFactory(
            collection=collection, title=f"{label}-doc", file__filename=f"{label}-doc.pdf"
        )
        images.append(world.hide(image, f"{label}-img", "image"))
        documents.append(world.hide(document, f"{label}-doc", "document"))

    # Pages: created public first, as editors do, then hidden.
    draft = ContentPageFactory(parent=home, title="VERBORGEN-draft", live=False)
    draft.save_revision()
    unpublished = make_draft(live_content_page(home, "VERBORGEN-unpublished"))
    # Expired at the very end (below), as time passes after editing: nothing that is published later repairs them.
    expired_by_time = live_content_page(home, "VERBORGEN-expired-time")
    expired_by_flag = live_content_page(home, "VERBORGEN-expired-flag")
    insiders = Group.objects.create(name="Intern Kiel")
    restricted_pages = []
    for restriction_type in (PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN, PageViewRestriction.GROUPS):
        page = live_content_page(home, f"VERBORGEN-{restriction_type}")
        child = live_content_page(page, f"VERBORGEN-below-{restriction_type}")
        restrict(page, restriction_type, insiders)
        restricted_pages += [(page, f"VERBORGEN-{restriction_type}"), (child, f"VERBORGEN-below-{restriction_type}")]
    offline_parent = live_content_page(home, "VERBORGEN-offline-parent")
    live_child = live_content_page(offline_parent, "VERBORGEN-live-child-of-offline")
    make_draft(offline_parent)
    live_child.refresh_from_db()
    assert live_child.live and not offline_parent.live

    foa_index = FieldOfActionIndexPage.objects.child_of(home).get()
    foa_draft = FieldOfActionPageFactory(parent=foa_index, title="VERBORGEN-foa-draft", live=False)
    foa_draft.save_revision()
    foa_restricted = FieldOfActionPageFactory(parent=foa_index, title="VERBORGEN-foa-restricted", live=False)
    publish(foa_restricted)
    make_private(foa_restricted)

    call_index = CallIndexPage.objects.child_of(home).get()
    calls = {}
    for title in ("Aufruf", "VERBORGEN-call-draft", "VERBORGEN-call-restricted"):
        calls[title] = CallForIdeasPageFactory(parent=call_index, title=title, is_open=True, live=False)
        calls[title].save_revision()
    public_call = calls["Aufruf"]
    public_call.field_of_action = foa_draft
    publish(public_call)
    publish(calls["VERBORGEN-call-restricted"])
    ideas = [
        (calls["VERBORGEN-call-draft"], IdeaStatus.PUBLISHED, "VERBORGEN-idea-on-draft-call"),
        (calls["VERBORGEN-call-restricted"], IdeaStatus.PUBLISHED, "VERBORGEN-idea-on-restricted-call"),
        (public_call, IdeaStatus.ACCEPTED, "VERBORGEN-idea-not-published"),
    ]
    for call, status, title in ideas:
        world.hide(IdeaSubmissionFactory(call=call, status=status, title=title), title, "idea")
    IdeaSubmissionFactory(call=public_call, status=IdeaStatus.PUBLISHED, title="Idee", field_of_action=foa_restricted)
    make_private(calls["VERBORGEN-call-restricted"])

    hidden_pages = [
        (draft, "VERBORGEN-draft"),
        (unpublished, "VERBORGEN-unpublished"),
        (expired_by_time, "VERBORGEN-expired-time"),
        (expired_by_flag, "VERBORGEN-expired-flag"),
        *restricted_pages,
        (offline_parent, "VERBORGEN-offline-parent"),
        (live_child, "VERBORGEN-live-child-of-offline"),
        (foa_draft, "VERBORGEN-foa-draft"),
        (foa_restricted, "VERBORGEN-foa-restricted"),
        (calls["VERBORGEN-call-draft"], "VERBORGEN-call-draft"),
        (calls["VERBORGEN-call-restricted"], "VERBORGEN-call-restricted"),
        (a.draft, a.draft.title),
    ]
    for page, label in hidden_pages:
        page.refresh_from_db()
        world.hide(page, label, "page")

    # B's objects, public in B.
    b_collection = Collection.objects.get(pk=b.home.media_collection_id)
    b_image = ImageFactory(collection=b_collection, title=f"{b.marker} Fremdbild", file__filename="fremdbild.jpg")
    b_document = wagtail_factories.DocumentFactory(
        collection=b_collection, title=f"{b.marker} Fremddokument", file__filename="fremddokument.pdf"
    )
    world.foreign(b.page, b.page.title, "page")
    world.foreign(b_image, b_image.title, "image")
    world.foreign(b_document, b_document.title, "document")

    # Public pages of A that point at all of it.
    targets = [page for page, _ in hidden_pages] + [b.page]
    body_documents, body_images = [*documents, b_document], [*images, b_image]
    showcase = live_content_page(home, "Schaufenster", body=body_pointing_at(targets, body_documents, body_images))
    project = ProjectPageFactory(
        parent=ProjectIndexPage.objects.child_of(home).get(),
        title="Schaufensterprojekt",
        fields_of_action=[a.page, foa_draft, foa_restricted, b.page],
        image=images[0],
        body=body_pointing_at(targets, body_documents, body_images),
        live=False,
    )
    publish(project)
    # A project with no references at all: what its form offers comes from the form, not from planted data.
    plain_project = ProjectPageFactory(parent=project.get_parent(), title="Zweitprojekt", live=False)
    publish(plain_project)
    second_call = CallForIdeasPageFactory(parent=call_index, title="Zweiter Aufruf", is_open=True, live=False)
    second_call.field_of_action = b.page
    publish(second_call)
    a.page.image = images[1]
    publish(a.page)
    home.logo = b_image
    publish(home)
    municipality_settings = a.settings
    municipality_settings.privacy_page = draft
    municipality_settings.accessibility_page = b.page
    municipality_settings.save()

    make_expired(expired_by_time)
    Page.objects.filter(pk=expired_by_flag.pk).update(expired=True)
    expired_by_flag.refresh_from_db()
    assert expired_by_time.live and expired_by_flag.live and expired_by_flag.expired

    world.never_public = {page.pk for page in (draft, foa_draft, calls["VERBORGEN-call-draft"], a.draft)}
    world.search_words += ["VERBORGEN", b.marker]
    world.public = {"showcase": showcase, "project": project, "plain_project": plain_project}
    return world


# --- finding leaks -----------------------------------------------------------------------------------------

RICH_TEXT_TAG = re.compile(r"<(?:a|embed)\b[^>]*>")
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
FEED_KEY = re.compile(r"^page:(\d+)$")


def field_of(path):
    """The schema field a response path ends in, from the "Type__field" aliases of the generated queries."""
    for segment in reversed(path):
        if isinstance(segment, str) and "__" in segment and not segment.startswith("__"):
            return segment.replace("__", ".", 1)
    return next((segment for segment in reversed(path) if isinstance(segment, str)), "")


def readable(path):
    return ".".join(str(segment) for segment in path)


@dataclass
class Matrix:
    """Collects leaks as (output, where, kind) -> labels of the betrayed objects, with one example each."""

    world: World
    leaks: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    def leak(self, output, where, kind, label, example=""):
        entry = self.leaks.setdefault((output, where, kind), {"labels": set(), "example": example})
        entry["labels"].add(label)

    @cached_property
    def patterns(self):
        """{foreign: (regex over every secret, secret -> label)}; longest first, so a file name beats its stem."""
        patterns = {}
        for foreign in (False, True):
            secrets = dict(self.world.hidden_secrets)
            if foreign:
                secrets.update(self.world.foreign_secrets)
            alternatives = "|".join(re.escape(secret) for secret in sorted(secrets, key=len, reverse=True))
            patterns[foreign] = (re.compile(alternatives), secrets)
        return patterns

    def ids(self, kind, foreign):
        found = dict(self.world.hidden_ids[kind])
        if foreign:
            found.update(self.world.foreign_ids[kind])
        return found

    def scan_text(self, output, text, foreign, path=(), prefix="", kind="text", suffix=""):
        """Markers, slugs, file names and references in a text, and ids in rich-text source or feed keys."""
        pattern, secrets = self.patterns[foreign]
        example = prefix + readable(path) + suffix
        for match in pattern.finditer(text.lower()):
            self.leak(output, field_of(path), kind, secrets[match.group()], example)
        if "linktype" in text or "embedtype" in text:
            for tag in RICH_TEXT_TAG.findall(text):
                attributes = dict(ATTRIBUTE.findall(tag))
                linked = {"page": "page", "document": "document"}.get(attributes.get("linktype"))
                linked = "image" if attributes.get("embedtype") == "image" else linked
                number = attributes.get("id", "")
                label = linked and number.isdigit() and self.ids(linked, foreign).get(int(number))
                if label:
                    self.leak(output, field_of(path), f"{linked} id in rich-text source", label, example)
        key = FEED_KEY.match(text)
        label = key and self.ids("page", foreign).get(int(key.group(1)))
        if label:
            self.leak(output, field_of(path), "page id", label, example)

    def scan_json(self, output, document, foreign, type_kinds=None, prefix=""):
        """Every string of a JSON document, and every object whose __typename and id name a hidden object.

        What lies inside an object that is itself a leak (its title, its children, ...) is not reported again."""
        ids = {kind: self.ids(kind, foreign) for kind in ("page", "image", "document")}

        def visit(value, path):
            if isinstance(value, dict):
                kind = (type_kinds or {}).get(value.get("__typename"))
                if kind:
                    for key, item in value.items():
                        label = key.endswith("__id") and str(item).isdigit() and ids[kind].get(int(item))
                        if label:
                            self.leak(output, field_of(path), f"{kind} object", label, prefix + readable(path))
                            return
                for key, item in value.items():
                    visit(item, (*path, key))
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    visit(item, (*path, index))
            elif isinstance(value, str):
                self.scan_text(output, value, foreign, path, prefix)

        visit(document, ())

    def scan_errors(self, output, errors, foreign, prefix=""):
        """Error messages are output too: naming a hidden object or a file on the server is a leak."""
        for error in errors:
            path, message = tuple(error.get("path") or ()), error["message"]
            suffix = f": {message[:200]}"
            self.scan_text(output, message, foreign, path, prefix, kind="error message", suffix=suffix)
            if settings.MEDIA_ROOT in message:
                example = prefix + readable(path) + suffix
                self.leak(output, field_of(path), "error message names a server path", settings.MEDIA_ROOT, example)

    def report(self):
        lines = [f"{len(self.leaks)} leak(s), {len(self.problems)} problem(s):"]
        for (output, where, kind), entry in sorted(self.leaks.items()):
            lines.append(f"  LEAK  {output} | {where} | {kind}: {', '.join(sorted(entry['labels']))}")
            if entry["example"]:
                lines.append(f"          e.g. {entry['example']}")
        lines += [f"  PROBLEM  {problem}" for problem in self.problems]
        return "\n".join(lines)


# --- 1. GraphQL, generated from the schema -----------------------------------------------------------------


class QueryBuilder:
    """Writes one GraphQL document that selects everything below the given root fields.

    Every field is aliased "Type__field", so that responses and error paths name the schema field, fields of
    different types behind one interface never conflict, and a failing field can be left out of the next pass.
    Object fields are expanded to a call's depth through named fragments ("Type_level"), abstract types with an
    inline fragment `... on X` for every possible type; below that depth only leaf fields are selected. Fields with
    required arguments that cannot be supplied are skipped and listed in `skipped`.
    """

    def __init__(self, graphql_schema, excluded=frozenset()):
        self.schema = graphql_schema
        self.excluded = excluded
        self.fragments = {}
        self.covered = set()
        self.skipped = set()

    def document(self, calls):
        """`calls`: (alias, root field name, argument text, depth). Returns the operation with its fragments."""
        root = self.schema.query_type
        selections = []
        for alias, name, arguments, depth in calls:
            selections.append(f"{alias}: {name}{arguments}{self.selection_of(root.fields[name].type, depth)}")
        fragments = "\n".join(text for text in self.fragments.values() if text)
        return "query Matrix {\n  " + "\n  ".join(selections) + "\n}\n" + fragments

    def selection_of(self, field_type, level):
        named = get_named_type(field_type)
        if is_leaf_type(named):
            return ""
        name = f"{named.name}_{level}"
        if name not in self.fragments:
            self.fragments[name] = None
            self.fragments[name] = f"fragment {name} on {named.name} {{ {self.fields_of(named, level)} }}"
        return f" {{ ...{name} }}"

    def fields_of(self, named, level):
        parts = ["__typename"]
        own = getattr(named, "fields", {})
        parts += self.selected(named, own, level)
        if is_abstract_type(named):
            for possible in self.schema.get_possible_types(named):
                extra = {name: value for name, value in possible.fields.items() if name not in own}
                inner = self.selected(possible, extra, level)
                if inner:
                    parts.append(f"... on {possible.name} {{ {' '.join(inner)} }}")
        return " ".join(parts)

    def selected(self, parent, fields, level):
        parts = []
        for name, definition in fields.items():
            if (parent.name, name) in self.excluded:
                continue
            arguments = nested_arguments(definition)
            if arguments is None:
                self.skipped.add(f"{parent.name}.{name}")
                continue
            alias = f"{parent.name}__{name}"
            if is_leaf_type(get_named_type(definition.type)):
                parts.append(f"{alias}: {name}{arguments}")
            elif level > 0:
                parts.append(f"{alias}: {name}{arguments}{self.selection_of(definition.type, level - 1)}")
            else:
                continue
            self.covered.add((parent.name, name))
        return parts


def literal(value):
    return str(value) if isinstance(value, int) else json.dumps(str(value))


def render_arguments(arguments):
    if not arguments:
        return ""
    return "(" + ", ".join(f"{name}: {literal(value)}" for name, value in arguments.items()) + ")"


def nested_arguments(definition):
    """Below the root only paging is set (to the maximum); a field with other required arguments is skipped."""
    arguments = {}
    for name, argument in definition.args.items():
        if name == "limit":
            arguments[name] = settings.GRAPHQL_MAX_PAGE_SIZE
        elif is_required_argument(argument):
            return None
    return render_arguments(arguments)


def lookup_values(world, name, argument):
    """Values to try for an argument that names one object: every hidden and foreign id, path, slug or word."""
    if get_named_type(argument.type).name == "ID":
        return [pk for ids in (*world.hidden_ids.values(), *world.foreign_ids.values()) for pk in ids]
    if name == "urlPath":
        return ["/", *world.hidden_paths, "/handlungsfelder/" + world.b.page.slug + "/"]
    if name == "slug":
        return [*world.hidden_slugs, world.b.page.slug]
    if name == "query":
        return world.search_words
    return None


@dataclass(frozen=True)
class Call:
    field: str
    arguments: str
    depth: int
    host: str
    scoped: bool

    @property
    def output(self):
        return "GraphQL, scoped to A" if self.scoped else "GraphQL, instance-wide"


def root_calls(world, name, definition):
    """Every call of a root field.

    A field with a `site` or `municipality` argument is called for A with it (B's objects must not appear either)
    and once without it on a host that serves no municipality, where it may answer for the whole instance (only
    hidden objects must not appear). A field without such an argument is called on A's host; it may be
    instance-wide (e.g. `municipalities`), so only hidden objects must not appear. Arguments that name one object
    (ids, paths, slugs, search words) get every hidden and foreign value in turn, with a shallower selection:
    whatever such a lookup returns at its top is already a leak. Returns [] if a required argument has no value.
    """
    base, scoping, lookups, required = {}, {}, {}, []
    for argument_name, argument in definition.args.items():
        values = lookup_values(world, argument_name, argument)
        if argument_name == "site":
            scoping[argument_name] = HOST_A
        elif argument_name == "municipality":
            scoping[argument_name] = KIEL
        elif argument_name == "limit":
            base[argument_name] = settings.GRAPHQL_MAX_PAGE_SIZE
        elif values is not None:
            lookups[argument_name] = values
            if is_required_argument(argument):
                required.append(argument_name)
        elif is_required_argument(argument):
            return []
    scoped = bool(scoping)
    calls = []
    if not required:
        calls.append(Call(name, render_arguments({**base, **scoping}), DEPTH, HOST_A, scoped))
        if scoped:
            calls.append(Call(name, render_arguments(base), DEPTH, HOST_INSTANCE, False))
    for argument_name, values in lookups.items():
        if required and argument_name not in required:
            continue
        others = {other: lookups[other][0] for other in required if other != argument_name}
        for value in values:
            arguments = render_arguments({**base, **scoping, **others, argument_name: value})
            calls.append(Call(name, arguments, LOOKUP_DEPTH, HOST_A, scoped))
    return calls


def broadest_last(item):
    """Roots returning lists of an interface give the largest responses; they run last, when the fields that fail
    are known already, so that they need one pass."""
    field_type = get_nullable_type(item[1].type)
    returns_list = is_list_type(field_type)
    return (returns_list and is_abstract_type(get_named_type(field_type)), returns_list)


def type_kinds(graphql_schema):
    page_types = graphql_schema.get_possible_types(graphql_schema.get_type("PageInterface"))
    kinds = {page_type.name: "page" for page_type in page_types}
    kinds[get_image_type()._meta.name] = "image"
    kinds[get_document_type()._meta.name] = "document"
    return kinds


def uncovered_fields(graphql_schema, covered, skip_roots):
    """Fields of types below the root query fields that no generated query selected."""
    seen, missing = set(), set()
    pending = [graphql_schema.query_type]
    while pending:
        named = pending.pop()
        if named.name in seen:
            continue
        seen.add(named.name)
        if is_abstract_type(named):
            pending += graphql_schema.get_possible_types(named)
        for name, definition in getattr(named, "fields", {}).items():
            if named is graphql_schema.query_type:
                if name in skip_roots:
                    continue
            else:
                owners = [named, *getattr(named, "interfaces", [])]
                if not any((owner.name, name) in covered for owner in owners):
                    missing.add(f"{named.name}.{name}")
            target = get_named_type(definition.type)
            if not is_leaf_type(target):
                pending.append(target)
    return missing


def check_graphql(matrix, gql):
    world = matrix.world
    graphql_schema = schema.graphql_schema
    kinds = type_kinds(graphql_schema)
    # A field that failed once is left out of later documents; its errors have been scanned by then.
    excluded, covered, skipped, seen_public = set(), set(), set(), set()
    public = ["Schaufenster", "Schaufensterprojekt", world.a.page.title, "ImageBlock", "IdeaSubmission"]
    for name, definition in sorted(graphql_schema.query_type.fields.items(), key=broadest_last):
        if name in HISTORY_FIELDS:
            continue
        calls = root_calls(world, name, definition)
        if not calls:
            skipped.add(f"Query.{name}")
            continue
        for host in sorted({call.host for call in calls}):
            aliased = {f"call{n}": call for n, call in enumerate(calls) if call.host == host}
            for _ in range(MAX_PASSES):
                builder = QueryBuilder(graphql_schema, frozenset(excluded))
                document = builder.document(
                    [(alias, call.field, call.arguments, call.depth) for alias, call in aliased.items()]
                )
                covered |= builder.covered
                skipped |= builder.skipped
                status, body = gql.post(document, host=host)
                text = json.dumps(body, ensure_ascii=False).lower()
                seen_public |= {word for word in public if word.lower() in text}
                errors = body.get("errors") or []
                for alias, call in aliased.items():
                    # Named after the root field, so that what a root field returns itself is "Query.<field>".
                    root = f"Query__{call.field}"
                    prefix = f"{call.field}{call.arguments} on {call.host} at "
                    matrix.scan_json(
                        call.output, {root: (body.get("data") or {}).get(alias)}, call.scoped, kinds, prefix
                    )
                    own = [
                        {**error, "path": [root, *error["path"][1:]]}
                        for error in errors
                        if (error.get("path") or [None])[0] == alias
                    ]
                    matrix.scan_errors(call.output, own, call.scoped, prefix)
                failing = set()
                for error in errors:
                    where = field_of(error.get("path") or ())
                    if not error.get("path"):
                        matrix.problems.append(
                            f"GraphQL {name}: invalid generated query ({status}): {error['message']}"
                        )
                    elif "." in where:
                        failing.add(tuple(where.split(".", 1)))
                new = failing - excluded
                excluded |= failing
                # A failing nullable field nulls only itself; a non-null one nulls its parent, so run again without it.
                if not any(is_non_null_type(graphql_schema.get_type(owner).fields[f].type) for owner, f in new):
                    break
    missing = uncovered_fields(graphql_schema, covered, HISTORY_FIELDS)
    if missing:
        matrix.problems.append(f"GraphQL fields that no generated query selects (raise DEPTH?): {sorted(missing)}")
    if skipped:
        print("GraphQL fields skipped for lack of argument values:", sorted(skipped))
    print("GraphQL fields left out after they failed once:", sorted(".".join(pair) for pair in excluded))
    for word in public:
        if word not in seen_public:
            matrix.problems.append(f"GraphQL: the public {word!r} never appeared; the sweep does not reach content")


# --- 2. open data ------------------------------------------------------------------------------------------


def check_opendata(matrix):
    client = Client()
    seen_project = False
    for url in all_urls():
        response = client.get(url)
        if response.status_code != 200:
            matrix.problems.append(f"open data {url}: HTTP {response.status_code}")
            continue
        text = response.content.decode("utf-8")
        seen_project |= "Schaufensterprojekt" in text
        # A's catalogue and exports must not carry B's objects; instance-wide ones carry both, but nothing hidden.
        scoped = f"/opendata/{KIEL}/" in url
        matrix.scan_text("open data" + (" of A" if scoped else ""), text, scoped, path=(url,))
    if not seen_project:
        matrix.problems.append("open data: the public project of A is in no export")


# --- 3. change feed ----------------------------------------------------------------------------------------


def plain(node):
    return {key.split("__", 1)[-1]: value for key, value in node.items()}


def feed_pages(gql, root_field, scope, next_of):
    """Every page of a change-feed root field, with a selection generated from the schema."""
    after, pages = None, []
    while True:
        arguments = {"limit": settings.GRAPHQL_MAX_PAGE_SIZE, **scope}
        if after:
            arguments["after"] = after
        document = QueryBuilder(schema.graphql_schema).document([("feed", root_field, render_arguments(arguments), 1)])
        page = plain(gql.data(document, host=HOST_A)["feed"])
        pages.append(page)
        after = next_of(page)
        if not after:
            return pages


def check_changefeed(matrix, gql):
    """The replayed log may have named a hidden object while it was public (a tombstone follows); the state a
    consumer ends with, and the snapshot, must not contain it."""
    kinds = type_kinds(schema.graphql_schema)
    for scope, scoped in (({}, False), ({"municipality": KIEL}, True)):
        label = render_arguments(scope) + ("" if scoped else " (instance-wide)")
        pages = feed_pages(gql, "changes", scope, lambda page: page["endCursor"] if page["hasMore"] else None)
        state = {}
        for node in (plain(node) for page in pages for node in page["nodes"]):
            if node["kind"] == "UPSERT":
                state[node["id"]] = node
            else:
                state.pop(node["id"], None)
        matrix.scan_json(f"change feed: state after replaying every page of changes{label}", state, scoped)
        if f"page:{matrix.world.public['project'].pk}" not in state:
            matrix.problems.append(f"change feed{label}: the public project of A is not in the replayed state")
        snapshot = [
            plain(node)
            for page in feed_pages(gql, "changeSnapshot", scope, lambda page: page["nextPage"])
            for node in page["nodes"]
        ]
        matrix.scan_json(f"change feed: every page of changeSnapshot{label}", snapshot, scoped, kinds)


# --- 4. webhooks -------------------------------------------------------------------------------------------


def check_webhooks(matrix):
    """A hidden page may have been announced while it was public, but its last event must not be page.published;
    a page that was never public must never be announced; nothing of B goes to A's endpoint."""
    world = matrix.world
    output = "webhooks to A's endpoint"
    pattern, foreign = re.compile("|".join(map(re.escape, world.foreign_secrets))), world.foreign_secrets
    last_event = {}
    for delivery in WebhookDelivery.objects.filter(endpoint__municipality=world.a.municipality).order_by("id"):
        page_id = delivery.payload["page"]["id"]
        last_event[page_id] = delivery.event
        for match in pattern.finditer(json.dumps(delivery.payload, ensure_ascii=False).lower()):
            matrix.leak(output, delivery.event, "text", foreign[match.group()])
        if page_id in world.never_public:
            matrix.leak(output, delivery.event, "page that was never public", world.hidden_page_labels[page_id])
    if not last_event:
        matrix.problems.append("webhooks: no delivery at all for A's endpoint")
    for page_id, label in world.hidden_page_labels.items():
        if last_event.get(page_id) == WebhookEvent.PAGE_PUBLISHED:
            matrix.leak(output, "last event of a hidden page", "page.published", label)


# --- 5. admin ----------------------------------------------------------------------------------------------


def check_admin(matrix):
    """Choosers and project forms of A's editor offer nothing of B. (A's own drafts may appear: they are A's.)"""
    world = matrix.world
    editor = client_for(world.a.editor)
    project = world.public["plain_project"]
    foa_type = "fields_of_action.fieldofactionpage"
    requests = [
        (reverse("wagtailadmin_choose_page"), {}),
        (reverse("wagtailadmin_choose_page"), {"page_type": foa_type}),
        (reverse("wagtailadmin_choose_page_search"), {"q": world.b.marker}),
        (reverse("wagtailadmin_choose_page_search"), {"q": "Handlungsfeld", "page_type": foa_type}),
        (reverse("wagtailimages_chooser:choose"), {}),
        (reverse("wagtailimages_chooser:choose_results"), {"q": world.b.marker}),
        (reverse("wagtaildocs_chooser:choose"), {}),
        (reverse("wagtaildocs_chooser:choose_results"), {"q": world.b.marker}),
        (reverse("wagtailadmin_pages:edit", args=[project.pk]), {}),
        (reverse("wagtailadmin_pages:add", args=["projects", "projectpage", project.get_parent().pk]), {}),
    ]
    pattern = re.compile("|".join(map(re.escape, world.foreign_secrets)))
    for url, params in requests:
        response = editor.get(url, params)
        if response.status_code != 200:
            matrix.problems.append(f"admin {url} {params}: HTTP {response.status_code}")
            continue
        text = response.content.decode()
        where = url + ("?" + "&".join(f"{key}={value}" for key, value in params.items()) if params else "")
        for match in pattern.finditer(text.lower()):
            matrix.leak("admin as A's editor", where, "text", world.foreign_secrets[match.group()])
        if url.endswith("/edit/") and world.a.page.title not in text:
            matrix.problems.append("admin: the project form does not offer A's own field of action")


# --- the test ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_nothing_hidden_or_foreign_leaves_any_output(settings):
    # The generated queries ask for every field at once, far beyond the budgets of the API (docs/api-limits.md), which
    # have tests of their own (tests/test_query_cost.py).
    settings.GRAPHQL_MAX_QUERY_LENGTH = settings.GRAPHQL_MAX_TOKENS = settings.GRAPHQL_MAX_COST = 10**15
    settings.GRAPHQL_MAX_FIELD_COMPARISONS = 500_000
    world = plant_world()
    matrix = Matrix(world)
    gql = GraphQLClient(Client())
    check_graphql(matrix, gql)
    check_opendata(matrix)
    check_changefeed(matrix, gql)
    check_webhooks(matrix)
    check_admin(matrix)
    report = matrix.report()
    print(report)
    assert not matrix.leaks and not matrix.problems, report
