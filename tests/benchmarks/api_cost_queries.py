"""The attacks of the API cost benchmark: the most expensive documents one can write under the API's limits.

Each attack is a family of variants of one shape, ordered by an estimate of the work it asks for on the benchmark
data (objects resolved, or validation steps for the shapes that attack validation). The most expensive variant is
the attack itself; when the server refuses it, the benchmark walks down the variants to the most expensive one it
accepts, which is the real worst case under the limits.

The documents follow the live schema: a list field gets `limit:` at its maximum when it has that argument (root
lists now, nested lists once the cost budget gives them one), so the same attacks run before and after a change of
the limits. Shapes come from issue 10: nested lists to the depth limit, the ancestors/children zigzag, aliases of
`pages(limit: 100)` and of a municipality query with `structuredData`, fragment nesting under 1 KB, a 1 MB document,
`search` with hundreds of words, and full lists with renditions, structured data and rich text.
"""

import re
from dataclasses import dataclass

from graphql import GraphQLError, parse

# Counts of the benchmark data (api_cost_data) that the estimates use.
MUNICIPALITIES = 20
PROJECTS_PER_MUNICIPALITY = 50
FIELDS_OF_ACTION_PER_PROJECT = 2
PROJECTS_PER_FIELD_OF_ACTION = 17
PAGES_PER_SITE = 63
CHILDREN_PER_ANCESTOR = 27
ANCESTORS_PER_PAGE = 2
IMAGES_PER_MUNICIPALITY = 3
ONE_KB = 1024
ONE_MB = 1024 * 1024
# Values of `limit` and numbers of aliases the variants try: fine enough that the most expensive accepted variant is
# close to the budget.
LIMIT_STEPS = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 17, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100)
COARSE_LIMIT_STEPS = (1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100)
COARSE_ALIAS_STEPS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100, 150, 200, 300)
ALIAS_STEPS = (
    *range(1, 31),
    *range(35, 101, 5),
    *range(110, 301, 10),
    *range(350, 1001, 50),
)
# Words of the benchmark data, so that a search has hits.
SEARCH_VOCABULARY = (
    ("Pilotprojekt", "Mobilität", "Quartier", "Energie", "Klima", "Bildung", "Verwaltung", "digital")
    + ("Stadtentwicklung", "Gesundheit", "Pflege", "Radwege", "Sharing", "Wärmewende", "Photovoltaik", "Lernorte")
    + ("Medienkompetenz", "Online-Dienste", "Daten", "Plätze", "Beteiligung", "Versorgung", "Raum", "Bürgerinnen")
    + ("Bürger", "Stadtgesellschaft", "Innenstadt", "Sitzbänke", "Trinkbrunnen", "Förderung")
)


@dataclass(frozen=True)
class Variant:
    label: str
    document: str
    estimate: float


@dataclass(frozen=True)
class Attack:
    key: str
    title: str
    variants: tuple  # ascending estimate; the last one is the attack

    @property
    def attack(self):
        return self.variants[-1]


class Fields:
    """What the live schema offers: which list fields take `limit` and up to which value."""

    def __init__(self, graphql_schema, max_page_size):
        self.schema = graphql_schema
        self.max_page_size = max_page_size

    def max_limit(self, type_name, field_name):
        """The field's largest `limit`, or None if it has no such argument."""
        argument = self.schema.type_map[type_name].fields[field_name].args.get("limit")
        if argument is None:
            return None
        match = re.search(r"1 to (\d+)", argument.description or "")
        return int(match.group(1)) if match else self.max_page_size

    def call(self, type_name, field_name, limit=None, available=None, **arguments):
        """`field(arguments, limit: …)` with the limit capped at the field's maximum and at the items `available` (an
        attacker who knows the data spends no budget on items that do not exist), or left out if it has none."""
        maximum = self.max_limit(type_name, field_name)
        if maximum is not None:
            arguments["limit"] = min(value for value in (limit, maximum, available) if value is not None)
        if not arguments:
            return field_name
        rendered = ", ".join(f"{name}: {_literal(value)}" for name, value in arguments.items())
        return f"{field_name}({rendered})"

    def size(self, type_name, field_name, limit, available):
        """How many items the field returns on the benchmark data with this limit."""
        maximum = self.max_limit(type_name, field_name)
        if maximum is None:
            return available
        return min(available, limit, maximum)


def _literal(value):
    return f'"{value}"' if isinstance(value, str) else str(value)


@dataclass(frozen=True)
class Limits:
    """The document limits of the server (settings), which the largest variants are sized to."""

    max_depth: int
    max_tokens: int
    max_page_size: int
    max_length: int | None = None

    def fit(self, document):
        """Whether the document is within the token and length limits."""
        if self.max_length is not None and len(document) > self.max_length:
            return False
        try:
            parse(document, max_tokens=self.max_tokens)
        except GraphQLError:
            return False
        return True


def _largest_fitting(build, limits, upper):
    """The largest n ≤ upper for which build(n) is within the document limits (at least 1)."""
    low, high = 1, upper
    while low < high:
        middle = (low + high + 1) // 2
        if limits.fit(build(middle)):
            low = middle
        else:
            high = middle - 1
    return low


def _variants(candidates):
    """Distinct documents, ascending by estimate."""
    unique = {}
    for variant in candidates:
        if variant.document not in unique or unique[variant.document].estimate > variant.estimate:
            unique[variant.document] = variant
    return tuple(sorted(unique.values(), key=lambda variant: (variant.estimate, len(variant.document))))


def _alias_steps(upper):
    return sorted({n for n in ALIAS_STEPS if n < upper} | {upper})


def _nest(levels, leaf):
    """`a { b { c { leaf } } }` for levels [a, b, c]."""
    document = leaf
    for level in reversed(levels):
        document = f"{level} {{ {document} }}"
    return document


def _nested(key, title, root, path, limits, fields):
    """Variants of `root { path[0] { path[1] { … { id title } } } }` for every depth up to the depth limit and every
    limit step; `path` lists (type, field, items available) per level, `root` is (field, items available)."""
    candidates = []
    root_field, root_available = root
    for depth in range(1, limits.max_depth):
        levels = [("Query", root_field, root_available), *path[:depth]]
        for limit in LIMIT_STEPS:
            estimate = 1
            for type_name, name, available in levels:
                estimate *= fields.size(type_name, name, limit, available)
            document = "{ %s }" % _nest(
                [fields.call(type_name, name, limit, available) for type_name, name, available in levels], "id title"
            )
            # The largest `limit` the document gives: each list gets at most the step and the items that exist.
            given = [
                min(limit, available, fields.max_limit(type_name, name))
                for type_name, name, available in levels
                if fields.max_limit(type_name, name) is not None
            ]
            label = f"{depth} level{'s' if depth > 1 else ''}" + (f", limits ≤ {max(given)}" if given else "")
            candidates.append(Variant(label, document, estimate))
    return Attack(key, title, _variants(candidates))


def _alternating(first, second, length):
    return [first if level % 2 == 0 else second for level in range(length)]


def nested_lists(fields, limits):
    """municipalities { projects { fieldsOfAction { projects { … } } } } with the leaf at the depth limit."""
    path = [("MunicipalityHomePage", "projects", PROJECTS_PER_MUNICIPALITY)] + _alternating(
        ("ProjectPage", "fieldsOfAction", FIELDS_OF_ACTION_PER_PROJECT),
        ("FieldOfActionPage", "projects", PROJECTS_PER_FIELD_OF_ACTION),
        limits.max_depth,
    )
    return _nested(
        "nested-lists",
        "municipalities → projects → fieldsOfAction → projects … to the depth limit",
        ("municipalities", MUNICIPALITIES),
        path,
        limits,
        fields,
    )


def ancestors_zigzag(fields, limits):
    """pages { ancestors { children { ancestors { children { … } } } } } with the leaf at the depth limit."""
    path = _alternating(
        ("PageInterface", "ancestors", ANCESTORS_PER_PAGE),
        ("PageInterface", "children", CHILDREN_PER_ANCESTOR),
        limits.max_depth,
    )
    return _nested(
        "ancestors-zigzag",
        "pages → ancestors → children → ancestors … to the depth limit",
        ("pages", PAGES_PER_SITE),
        path,
        limits,
        fields,
    )


def municipality_loop(fields, limits):
    """callsForIdeas of all municipalities → municipality → projects → municipality → projects … to the depth limit:
    every project leads back to its municipality's 50 projects."""
    path = _alternating(
        ("CallForIdeasPage", "municipality", 1),
        ("MunicipalityHomePage", "projects", PROJECTS_PER_MUNICIPALITY),
        limits.max_depth,
    )
    # From the second level on, `municipality` hangs on a project.
    path = [path[0]] + [
        ("ProjectPage", name, available) if name == "municipality" else (t, name, available)
        for t, name, available in path[1:]
    ]
    return _nested(
        "municipality-loop",
        "callsForIdeas → municipality → projects → municipality … to the depth limit",
        ("callsForIdeas", MUNICIPALITIES),
        path,
        limits,
        fields,
    )


def aliases_of_pages(fields, aliases=1000):
    """1,000 aliases of pages(limit: 100): the attack of the issue, beyond the token limit."""
    selection = "%s { id title urlPath }" % fields.call("Query", "pages", 100)

    def build(count):
        return "{ %s }" % " ".join(f"a{n}: {selection}" for n in range(count))

    per_alias = fields.size("Query", "pages", 100, PAGES_PER_SITE)
    candidates = [Variant(f"{n} alias{'es' if n > 1 else ''}", build(n), n * per_alias) for n in _alias_steps(aliases)]
    return Attack("aliases-pages", "1,000 aliases of pages(limit: 100)", _variants(candidates))


def aliases_of_municipalities(fields, limits, aliases=100):
    """100 aliases of municipalities with structuredData on every municipality and project."""

    def build(count, limit):
        selection = "%s { structuredData %s { structuredData } }" % (
            fields.call("Query", "municipalities", available=MUNICIPALITIES),
            fields.call("MunicipalityHomePage", "projects", limit, PROJECTS_PER_MUNICIPALITY),
        )
        return "{ %s }" % " ".join(f"m{n}: {selection}" for n in range(count))

    return _aliases_and_limits(
        "aliases-structured-data",
        "100 aliases of municipalities { structuredData projects { structuredData } }",
        build,
        aliases,
        PROJECTS_PER_MUNICIPALITY,
        MUNICIPALITIES,
        limits,
    )


def fragment_nesting(size_limit=ONE_KB):
    """Fragments that each spread the next one several times: tiny, but exponential for a validator that expands
    every spread (execution merges repeated spreads)."""
    candidates = []
    for fanout in (2, 3, 4):
        for count in range(1, 64):
            spreads = " ".join(["...f{next}"] * fanout)
            definitions = [f"fragment f{n} on Query {{ {spreads.format(next=n + 1)} }}" for n in range(1, count)]
            definitions.append(f"fragment f{count} on Query {{ municipalities {{ id title }} }}")
            document = "{ ...f1 } " + " ".join(definitions)
            if len(document.encode()) >= size_limit:
                break
            candidates.append(Variant(f"{count} fragments × {fanout} spreads", document, fanout ** (count - 1)))
    return Attack("fragment-nesting", "nested fragment spreads, under 1 KB", _variants(candidates))


def one_megabyte_of_fields(size=ONE_MB):
    """The same field repeated up to 1 MB: past the token limit it is a parse error, below it every pair of fields
    is compared by the overlapping-fields rule."""
    # No arguments: the fewest tokens per field, so the most pairs of fields under the token limit.
    selection = "pages { id } "
    candidates = []
    repetitions = 10
    while True:
        document = "{ " + selection * repetitions + "}"
        candidates.append(Variant(f"{repetitions} fields, {_size(len(document))}", document, repetitions**2))
        if len(document) >= size:
            break
        repetitions = min(int(repetitions * 1.25) + 1, (size - 4) // len(selection) + 1)
    return Attack("document-1mb-fields", "1 MB document: one field repeated", _variants(candidates))


def one_megabyte_of_comment(fields, size=ONE_MB):
    """A small query followed by a comment of up to 1 MB: one token, but a megabyte for the lexer."""
    query = "{ %s { id title } }\n#" % fields.call("Query", "pages", 100)
    candidates = []
    padding = ONE_KB
    while padding <= size:
        document = query + "x" * (padding - len(query))
        candidates.append(Variant(f"{_size(len(document))} with comment", document, len(document)))
        padding *= 2
    return Attack("document-1mb-comment", "1 MB document: a query and a long comment", _variants(candidates))


def _size(length):
    if length >= ONE_MB:
        return f"{length / ONE_MB:.1f} MB"
    return f"{length / ONE_KB:.0f} KB" if length >= ONE_KB else f"{length} B"


def search_words(fields, hostnames, words_steps=(*range(1, 16), 20, 30, 50, 100, 200, 300)):
    """search with up to 300 words, up to one alias per municipality, with structuredData on every hit."""
    candidates = []
    for aliases in (1, 2, 5, 10, len(hostnames)):
        for words in words_steps:
            text = " ".join(SEARCH_VOCABULARY[n % len(SEARCH_VOCABULARY)] for n in range(words))
            selections = [
                "s%d: %s { id title structuredData }"
                % (n, fields.call("Query", "search", 100, PAGES_PER_SITE, site=host, query=text))
                for n, host in enumerate(hostnames[:aliases])
            ]
            estimate = aliases * words * fields.size("Query", "search", 100, PAGES_PER_SITE)
            candidates.append(
                Variant(
                    f"{aliases} × search of {words} word{'s' if words > 1 else ''}",
                    "{ %s }" % " ".join(selections),
                    estimate,
                )
            )
    return Attack("search-words", "search with hundreds of words, one alias per municipality", _variants(candidates))


RICH_PROJECT = """fragment Rich on ProjectPage {
  id title teaser urlPath url structuredData status kind startDate endDate
  image { url rendition(width: 640) { url width height } srcSet(sizes: [320, 640, 960, 1280, 1920]) }
  body {
    blockType
    ... on RichTextBlock { value }
    ... on ImageBlock { altText image { rendition(fill: "640x360") { url } } }
    ... on FaqBlock { items { ... on FaqItemBlock { question answer } } }
  }
  %s { title structuredData }
  partners { name role }
}"""

ALL_RENDITIONS = """fragment Img on CustomImage {
  id title url width height
  r1: rendition(width: 320) { url } r2: rendition(width: 640) { url } r3: rendition(width: 960) { url }
  r4: rendition(width: 1280) { url } r5: rendition(width: 1920) { url } r6: rendition(fill: "320x320") { url }
  r7: rendition(fill: "640x360") { url } r8: rendition(fill: "1280x720") { url } r9: rendition(max: "1200x1200") { url }
  r10: rendition(format: "webp") { url }
  srcSet(sizes: [320, 640, 960, 1280, 1920])
}"""


def _aliases_and_limits(key, title, build, aliases, available, per_item, limits):
    """Variants of build(aliases, limit) for numbers of aliases up to `aliases` (or as many as the token and length
    limits allow, if None) and limits up to the items `available`: the attack is the most of both."""
    if aliases is None:
        aliases = _largest_fitting(lambda count: build(count, available), limits, 2000)
    counts = sorted({n for n in COARSE_ALIAS_STEPS if n < aliases} | {aliases})
    candidates = []
    for count in counts:
        for limit in sorted({step for step in COARSE_LIMIT_STEPS if step < available} | {available}):
            document = build(count, limit)
            if count == aliases and limit == available or limits.fit(document):
                label = f"{count} alias{'es' if count > 1 else ''}, limit {limit}"
                candidates.append(Variant(label, document, count * min(limit, available) * per_item))
    return Attack(key, title, _variants(candidates))


def rich_lists(fields, hostnames, limits):
    """The projects of every municipality, aliased as often as the limits allow, with renditions, srcSet, structured
    data and rich text."""
    fragment = RICH_PROJECT % fields.call("ProjectPage", "fieldsOfAction", available=FIELDS_OF_ACTION_PER_PROJECT)

    def build(count, limit):
        selections = [
            "p%d: %s { ...Rich }" % (n, fields.call("Query", "projects", limit, site=hostnames[n % len(hostnames)]))
            for n in range(count)
        ]
        return "{ %s } %s" % (" ".join(selections), fragment)

    return _aliases_and_limits(
        "rich-lists",
        "projects with renditions, structuredData, rich text, aliased",
        build,
        None,
        PROJECTS_PER_MUNICIPALITY,
        10,
        limits,
    )


def image_renditions(fields, hostnames, limits):
    """The images of every municipality with every allowed rendition, aliased as often as the limits allow."""

    def build(count, limit):
        selections = [
            "i%d: %s { ...Img }" % (n, fields.call("Query", "images", limit, site=hostnames[n % len(hostnames)]))
            for n in range(count)
        ]
        return "{ %s } %s" % (" ".join(selections), ALL_RENDITIONS)

    return _aliases_and_limits(
        "image-renditions",
        "images with every allowed rendition and srcSet, aliased",
        build,
        None,
        IMAGES_PER_MUNICIPALITY,
        11,
        limits,
    )


def change_snapshots(fields, hostnames, limits):
    """changeSnapshot of every municipality, aliased as often as the limits allow."""

    def build(count, limit):
        selections = [
            "c%d: %s { nodes { id contentType municipality urlPath title } nextPage }"
            % (n, fields.call("Query", "changeSnapshot", limit, municipality=hostnames[n % len(hostnames)]))
            for n in range(count)
        ]
        return "{ %s }" % " ".join(selections)

    return _aliases_and_limits(
        "change-snapshots",
        "changeSnapshot per municipality, aliased",
        build,
        None,
        limits.max_page_size,
        1,
        limits,
    )


def attacks(graphql_schema, hostnames, limits):
    fields = Fields(graphql_schema, limits.max_page_size)
    return [
        nested_lists(fields, limits),
        ancestors_zigzag(fields, limits),
        municipality_loop(fields, limits),
        aliases_of_pages(fields),
        aliases_of_municipalities(fields, limits),
        fragment_nesting(),
        one_megabyte_of_fields(),
        one_megabyte_of_comment(fields),
        search_words(fields, hostnames),
        rich_lists(fields, hostnames, limits),
        image_renditions(fields, hostnames, limits),
        change_snapshots(fields, hostnames, limits),
    ]
