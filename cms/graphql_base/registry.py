"""Root fields and mutations that content concepts and outputs contribute to the GraphQL API.

The API root builds its Query and Mutation types from what is registered here, so it imports none of the apps that
contribute (see docs/architecture.md). Apps register from their AppConfig.ready(), which runs before the first
request builds the schema.
"""

from dataclasses import dataclass

_query_fields = {}
_mutation_fields = {}
_municipality_filters = {}


@dataclass(frozen=True)
class MunicipalityFilter:
    """An argument of the `municipalities` root field: `apply(municipalities, value, info)` narrows the list."""

    argument: object
    apply: object


def _register(registry, name, value):
    if name in registry and registry[name] is not value:
        raise ValueError(f"GraphQL field {name!r} is contributed twice.")
    registry[name] = value


def register_query_field(name, field):
    _register(_query_fields, name, field)


def register_mutation_field(name, field):
    _register(_mutation_fields, name, field)


def register_municipality_filter(name, argument, apply):
    _register(_municipality_filters, name, MunicipalityFilter(argument, apply))


def query_fields():
    return dict(_query_fields)


def mutation_fields():
    return dict(_mutation_fields)


def municipality_filters():
    return dict(_municipality_filters)
