"""gunicorn configuration of the API cost benchmark (tests/benchmarks/api_cost.py), which adds the flags."""

import importlib
import json
import os

# Where the master writes the limits and the schema it runs with (set by the benchmark).
DESCRIPTION_FILE = "BENCH_API_COST_SERVER_FILE"


def api_limits(settings):
    """The API's limits: every GRAPHQL_* setting and anything about the search input or the database time budget."""
    names = sorted(
        name
        for name in dir(settings)
        if name.isupper()
        and (name.startswith(("GRAPHQL_", "API_")) or "STATEMENT_TIMEOUT" in name or name.startswith("SEARCH_"))
    )
    return {name: getattr(settings, name) for name in names}


def when_ready(server):
    """Loads the URLconf and the GraphQL schema in the master, before any worker is forked. The benchmark replaces
    the workers after a hung request; the new ones are forked from the master and so run the code the run started
    with, quickly, even if someone edits the tree meanwhile. The limits and the schema go to DESCRIPTION_FILE, so
    that the attacks and the report follow the server, not the benchmark's own import of the code."""
    from django.conf import settings
    from django.db import connections
    from django.urls import get_resolver

    from graphql import print_schema

    get_resolver().resolve("/graphql/")
    module_name, attribute = settings.GRAPHENE["SCHEMA"].rsplit(".", 1)
    schema = getattr(importlib.import_module(module_name), attribute)
    # The workers must not share the master's database connection.
    connections.close_all()
    with open(os.environ[DESCRIPTION_FILE], "w", encoding="utf-8") as description:
        json.dump(
            {"limits": api_limits(settings), "schema": print_schema(schema.graphql_schema)}, description, default=str
        )
