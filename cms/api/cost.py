"""The cost of a GraphQL operation, computed from the document before anything runs (docs/api-limits.md).

Every field a query asks for costs its weight; a list multiplies the cost of what is selected on each item by the
number of items it may return: its `limit` (as written, from a variable, or the default) for the lists a client can
make long, a fixed bound for the others (ancestors, StreamField blocks). Nested lists multiply. Every alias counts,
because each one is resolved. Fragments are expanded where they are spread; of the fragments that apply to different
types of an interface, only the most expensive type counts, because each item has one type.

The walk is linear in the size of the document: the cost of a selection set is computed once per type it is selected
on, however often fragments spread it. It is also safe on documents that graphql-core's own rules would refuse (a
fragment cycle, an unknown fragment or field): those cost nothing here, and the rules report them.
"""

from dataclasses import dataclass, field

from django.conf import settings

from cms.graphql_base.errors import BAD_USER_INPUT, QUERY_TOO_COMPLEX
from cms.graphql_base.pagination import LIMIT_ARGUMENT, effective_limit, limit_error
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    VariableNode,
    value_from_ast_untyped,
)

# The unit is the work of resolving one plain value (a string, a number) of one object, about 4 µs of a server's CPU;
# the other weights were measured against it on 20 municipalities of 50 projects each (docs/api-limits.md, "How the
# weights were chosen").
FIELD_WEIGHT = 1
# An object in a response: a page is loaded with its specific model and checked against the publication rule; another
# object (a partner, a phase, an idea, a team member) is loaded with the list it is in; a StreamField block is part of
# its page already.
PAGE_WEIGHT = 70
OBJECT_WEIGHT = 20
BLOCK_WEIGHT = 2
# A page that the response's loader (cms/api/loaders.py) or the owner snapshot has already: one parent, child or
# ancestor is loaded once however often it appears, and each appearance is only put into the response.
LOADED_PAGE_WEIGHT = 5
LOADED_PAGE_FIELDS = {"children", "ancestors", "parent", "municipality"}
PAGE_INTERFACE = "PageInterface"
BLOCK_INTERFACE = "StreamFieldInterface"
# One SQL query of a resolver (building it with the publication and ownership conditions costs more than running it).
QUERY_WEIGHT = 400
# A list is one query per object it is resolved on, unless its items are loaded for the whole response at once
# (cms/api/loaders.py), are part of their page (StreamField blocks) or came along with the object (PREFETCHED_WITH).
BATCHED_LISTS = {"children", "ancestors", "nodes", "errors", "choices"}
# A lookup of one row by its key (an image or a document a page refers to).
LOOKUP_WEIGHT = 150
# Fields that are not lists but query the database each time they are resolved on an object (not on a block, whose
# images, documents and pages are loaded for the whole response), with the weight of their queries.
FIELD_QUERY_WEIGHTS = {
    "page": 2 * QUERY_WEIGHT,
    "programme": 2 * QUERY_WEIGHT,
    "team": 2 * QUERY_WEIGHT,
    "siteSettings": 2 * QUERY_WEIGHT,
    "image": LOOKUP_WEIGHT,
    "logo": LOOKUP_WEIGHT,
    "photo": LOOKUP_WEIGHT,
    "document": LOOKUP_WEIGHT,
    "fieldOfAction": LOOKUP_WEIGHT,
    "imprint": LOOKUP_WEIGHT,
    "privacy": LOOKUP_WEIGHT,
    "accessibility": LOOKUP_WEIGHT,
}
# The relations that a field loads together with its objects, whether they are asked for or not, by (type, field): a
# project list brings each project's fields of action and partners along (one more query each, and their objects), a
# home page's programme its phases and its team its members.
PREFETCHED_WITH = {
    ("Query", "projects"): ("fieldsOfAction", "partners"),
    ("MunicipalityHomePage", "projects"): ("fieldsOfAction", "partners"),
    ("FieldOfActionPage", "projects"): ("fieldsOfAction", "partners"),
    ("MunicipalityHomePage", "programme"): ("phases",),
    ("MunicipalityHomePage", "team"): ("members",),
}
# Per object and relation that comes along: the objects the relation loads for it.
PREFETCH_WEIGHT = 40
# Fields whose work is far above that of a plain value, by field name (the same name means the same work on every
# type): `search` is a full-text query over a site, `changes` and `changeSnapshot` reconcile the feed first,
# `structuredData` describes a page with its relations, a rendition is looked up (and made, the first time) per image
# and size; `srcSet` costs its weight per size asked for; a page's `url` is built from its site's settings.
WEIGHTS = {
    "search": 1500,
    "changes": 2500,
    "changeSnapshot": 2500,
    "structuredData": 300,
    # One query per image and size (measured 2.7 ms each in docs/benchmarks/api-cost.md), as for any other query.
    "rendition": QUERY_WEIGHT,
    "srcSet": QUERY_WEIGHT,
    "url": 2,
}
# Rich text is expanded where it is resolved: its links and embeds are looked up and checked.
RICH_TEXT_WEIGHT = 300
RICH_TEXT_TYPE = "RichText"
RICH_TEXT_FIELDS = {("RichTextBlock", "value")}
# The schema and type introspection of GraphQL tools (a full introspection of this schema).
INTROSPECTION_WEIGHT = 35000
INTROSPECTION_FIELDS = {"__schema", "__type"}
TYPENAME_FIELD = "__typename"
# Lists without `limit` whose length the client cannot choose, with the length the cost assumes. The ancestors of a
# page are as many as the levels above it; the nodes of the change feed's connections are counted by the `limit` of
# the connection; a payload's field errors are at most one per input field.
BOUNDED_LIST_LENGTHS = {"ancestors": 8, "nodes": 1, "errors": 10, "choices": 10}
# Lists of StreamField blocks are as long as the editors made them; the cost assumes these lengths for a page's
# StreamField and for the blocks within a block (the items of a list, the child blocks of a struct).
BODY_BLOCKS = 10
NESTED_BLOCKS = 5


@dataclass
class OperationCost:
    """The cost and nesting depth of one operation, and the `limit` arguments it gives outside their range."""

    operation: OperationDefinitionNode
    cost: int = 0
    depth: int = 0
    limit_errors: list = field(default_factory=list)


def operation_costs(schema, document, variables=None, operation_name=None):
    """[OperationCost] of the operation `operation_name` names, or of every operation of the document if it names
    none. (A list: graphql-core hashes a node with everything below it.)"""
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    operations = [
        definition
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
        and (operation_name is None or (definition.name and definition.name.value == operation_name))
    ]
    return [
        _CostWalk(schema, fragments, _variable_values(operation, variables)).operation(operation)
        for operation in operations
    ]


def cost_errors(costs):
    """The errors of this API's limits for the operations' costs (operation_costs): a `limit` outside its range, a
    depth or cost above the budget."""
    max_cost, max_depth = settings.GRAPHQL_MAX_COST, settings.GRAPHQL_MAX_DEPTH
    errors = []
    for measured in costs:
        operation = measured.operation
        errors += measured.limit_errors
        name = f"'{operation.name.value}'" if operation.name else "The operation"
        if measured.depth > max_depth:
            errors.append(
                GraphQLError(
                    f"{name} exceeds maximum operation depth of {max_depth}: its fields are nested "
                    f"{measured.depth} levels deep.",
                    operation,
                    extensions={"code": QUERY_TOO_COMPLEX, "depth": measured.depth, "maxDepth": max_depth},
                )
            )
        if measured.cost > max_cost:
            errors.append(
                GraphQLError(
                    f"{name} is too complex: it costs {measured.cost}, more than the budget of {max_cost}. Ask for "
                    "fewer items (a smaller limit), fewer nested lists or fewer aliases; docs/api-limits.md explains "
                    "the costs.",
                    operation,
                    extensions={"code": QUERY_TOO_COMPLEX, "cost": measured.cost, "budget": max_cost},
                )
            )
    return errors


def _variable_values(operation, variables):
    """The values the operation runs with: those sent, else the defaults the document declares."""
    sent = variables if isinstance(variables, dict) else {}
    values = {}
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name in sent:
            values[name] = sent[name]
        elif definition.default_value is not None:
            values[name] = value_from_ast_untyped(definition.default_value)
    return values


def _is_list(field_type):
    while isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    return isinstance(field_type, GraphQLList)


def _named(field_type):
    while isinstance(field_type, (GraphQLNonNull, GraphQLList)):
        field_type = field_type.of_type
    return field_type


def _implements(named_type, interface_name):
    return named_type.name == interface_name or any(
        interface.name == interface_name for interface in getattr(named_type, "interfaces", ())
    )


def _is_page(named_type):
    return _implements(named_type, PAGE_INTERFACE)


def _is_block(named_type):
    return _implements(named_type, BLOCK_INTERFACE)


class _CostWalk:
    """One operation's walk; its memos are valid for the variable values it was made with."""

    def __init__(self, schema, fragments, variables):
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.costs = {}
        self.leaf_costs = {}
        self.depths = {}
        self.possible = {}
        self.limit_errors = []
        self.reported_limits = set()

    def operation(self, operation):
        root = self.schema.get_root_type(operation.operation)
        if root is None:
            return OperationCost(operation)
        cost = self.selection_cost(operation.selection_set, root)
        # The root fields are level 0, as in graphene's depth limit that this replaces.
        depth = self.selection_depth(operation.selection_set) - 1
        return OperationCost(operation, cost=cost, depth=max(depth, 0), limit_errors=self.limit_errors)

    # Cost ---------------------------------------------------------------------------------------------------------

    def selection_cost(self, selection_set, parent_type, prefetched=()):
        """The cost of one object's selection; `prefetched` names the lists that came along with the object."""
        key = (id(selection_set), parent_type.name, prefetched)
        if key in self.costs:
            cost = self.costs[key]
            # None: this selection set is being priced further up, a fragment cycle the specified rules refuse.
            return cost or 0
        self.costs[key] = None
        own = self.possible_types(parent_type)
        always = 0
        # What applies only to some of the parent's possible types (an inline fragment or spread on one of them),
        # by type: each item has one type, so only the most expensive type counts.
        by_type = {}
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                always += self.field_cost(selection, parent_type, prefetched)
                continue
            if isinstance(selection, InlineFragmentNode):
                condition, inner = selection.type_condition, selection.selection_set
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is None:
                    continue
                condition, inner = fragment.type_condition, fragment.selection_set
            else:
                continue
            condition_type = self.schema.get_type(condition.name.value) if condition else parent_type
            if condition_type is None:
                continue
            applies_to = own & self.possible_types(condition_type)
            if applies_to == own:
                # On a concrete type, its own fields; on an interface, those of the fragment's type, which may have
                # more than the interface.
                concrete = condition_type is parent_type or isinstance(parent_type, GraphQLObjectType)
                always += self.selection_cost(inner, parent_type if concrete else condition_type, prefetched)
            elif applies_to:
                cost = self.selection_cost(inner, condition_type, prefetched)
                for type_name in applies_to:
                    by_type[type_name] = by_type.get(type_name, 0) + cost
        cost = always + max(by_type.values(), default=0)
        self.costs[key] = cost
        return cost

    def field_cost(self, node, parent_type, prefetched):
        if node.arguments or node.selection_set is not None:
            return self._field_cost(node, parent_type, prefetched)
        # A plain field costs the same wherever it is selected on the same type: documents that repeat one field or
        # alias it a thousand times are priced in one step per field.
        key = (node.name.value, parent_type.name, prefetched)
        if key not in self.leaf_costs:
            self.leaf_costs[key] = self._field_cost(node, parent_type, prefetched)
        return self.leaf_costs[key]

    def _field_cost(self, node, parent_type, prefetched):
        name = node.name.value
        if name == TYPENAME_FIELD:
            return 0
        if name in INTROSPECTION_FIELDS:
            return INTROSPECTION_WEIGHT
        definition = getattr(parent_type, "fields", {}).get(name)
        if definition is None:
            return 0
        named_type = _named(definition.type)
        is_list = _is_list(definition.type)
        length = 1
        if is_list or LIMIT_ARGUMENT in definition.args:
            length = self.list_length(node, definition, parent_type, named_type)
        brought_along = PREFETCHED_WITH.get((parent_type.name, name), ())
        cost = self.weight(node, parent_type, name, named_type) + QUERY_WEIGHT * len(brought_along)
        cost += self.query_weight(parent_type, name, named_type, is_list, prefetched)
        if not isinstance(named_type, (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType)):
            return cost + (length - 1) * FIELD_WEIGHT
        per_item = self.object_weight(name, named_type, is_list, prefetched) + PREFETCH_WEIGHT * len(brought_along)
        if node.selection_set is not None:
            per_item += self.selection_cost(node.selection_set, named_type, brought_along)
        return cost + length * per_item

    @staticmethod
    def query_weight(parent_type, name, named_type, is_list, prefetched):
        """The SQL queries of one resolution of the field, besides those of the relations it brings along."""
        if name in prefetched or _is_block(parent_type) or _is_block(named_type):
            return 0
        if is_list:
            return 0 if name in BATCHED_LISTS else QUERY_WEIGHT
        return FIELD_QUERY_WEIGHTS.get(name, 0)

    @staticmethod
    def object_weight(name, named_type, is_list, prefetched):
        if _is_block(named_type):
            return BLOCK_WEIGHT
        if name in prefetched:
            return OBJECT_WEIGHT
        if _is_page(named_type):
            return LOADED_PAGE_WEIGHT if name in LOADED_PAGE_FIELDS else PAGE_WEIGHT
        return OBJECT_WEIGHT if is_list else 0

    def weight(self, node, parent_type, name, named_type):
        if named_type.name == RICH_TEXT_TYPE or (parent_type.name, name) in RICH_TEXT_FIELDS:
            return RICH_TEXT_WEIGHT
        weight = WEIGHTS.get(name, FIELD_WEIGHT)
        if name == "srcSet":
            sizes = self.argument(node, "sizes")
            weight *= max(len(set(sizes)) if isinstance(sizes, list) else 1, 1)
        return weight

    def list_length(self, node, definition, parent_type, named_type):
        if LIMIT_ARGUMENT in definition.args:
            limit = self.argument(node, LIMIT_ARGUMENT)
            if not isinstance(limit, int) or isinstance(limit, bool):
                # Missing, or a value of another type, which execution refuses before anything resolves.
                limit = None
            message = limit_error(limit)
            if message:
                self.report_limit(node, message)
                return settings.GRAPHQL_MAX_PAGE_SIZE
            return effective_limit(limit)
        if _is_block(named_type):
            return NESTED_BLOCKS if _is_block(parent_type) else BODY_BLOCKS
        # A list this table does not know is priced as a full page: tests/test_query_cost.py asks that none exists.
        return BOUNDED_LIST_LENGTHS.get(node.name.value, settings.GRAPHQL_MAX_PAGE_SIZE)

    def argument(self, node, name):
        for argument in node.arguments or ():
            if argument.name.value == name:
                if isinstance(argument.value, VariableNode):
                    return self.variables.get(argument.value.name.value)
                return value_from_ast_untyped(argument.value, self.variables)
        return None

    def report_limit(self, node, message):
        if id(node) not in self.reported_limits:
            self.reported_limits.add(id(node))
            self.limit_errors.append(GraphQLError(message, node, extensions={"code": BAD_USER_INPUT}))

    def possible_types(self, named_type):
        if named_type.name not in self.possible:
            if isinstance(named_type, (GraphQLInterfaceType, GraphQLUnionType)):
                types = frozenset(possible.name for possible in self.schema.get_possible_types(named_type))
            else:
                types = frozenset((named_type.name,))
            self.possible[named_type.name] = types
        return self.possible[named_type.name]

    # Depth --------------------------------------------------------------------------------------------------------

    def selection_depth(self, selection_set):
        """Levels of fields in this selection set, fragments expanded; introspection counts as one level."""
        key = id(selection_set)
        if key in self.depths:
            return self.depths[key] or 0
        self.depths[key] = None
        depth = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                inner = selection.selection_set
                nested = 1
                if inner is not None and selection.name.value not in INTROSPECTION_FIELDS:
                    nested += self.selection_depth(inner)
            elif isinstance(selection, InlineFragmentNode):
                nested = self.selection_depth(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                nested = self.selection_depth(fragment.selection_set) if fragment else 0
            else:
                nested = 0
            depth = max(depth, nested)
        self.depths[key] = depth
        return depth
