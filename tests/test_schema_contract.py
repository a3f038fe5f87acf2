from pathlib import Path

from cms.api.management.commands.export_schema import schema_sdl
from cms.api.schema import schema
from graphql import parse, validate

GRAPHQL_DIR = Path(__file__).resolve().parent.parent / "graphql"


def test_committed_schema_matches_the_code():
    committed = (GRAPHQL_DIR / "schema.graphql").read_text(encoding="utf-8")
    assert committed == schema_sdl(), "graphql/schema.graphql is stale: run `make schema` and commit it."


def test_every_query_document_is_valid_against_the_schema():
    documents = sorted((GRAPHQL_DIR / "queries").glob("*.graphql"))
    assert len(documents) >= 6
    for document in documents:
        errors = validate(schema.graphql_schema, parse(document.read_text(encoding="utf-8")))
        assert not errors, f"{document.name}: {errors}"


def test_internal_fields_are_not_in_the_schema():
    sdl = schema_sdl()
    for internal in ("owner", "lockedBy", "draftTitle", "latestRevision", "fileHash", "hasUnpublishedChanges"):
        assert f" {internal}" not in sdl, internal
    for internal_type in ("type User", "type CollectionObjectType", "SnippetInterface", "type Redirect"):
        assert internal_type not in sdl
