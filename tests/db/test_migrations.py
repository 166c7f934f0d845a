"""Migrations are the only way the schema is made, and they match the models on both databases."""

from __future__ import annotations

import sqlalchemy as sa

from trace.db import migrate
from trace.db.models import Base


def test_alembic_check_finds_no_drift(database_url: str) -> None:
    migrate.check(database_url)  # raises ConfigurationError on any difference


def test_migrated_schema_has_every_model_table(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    try:
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {t.name for t in Base.metadata.sorted_tables} | {"alembic_version"} == tables
    assert migrate.current_revision(database_url) == migrate.head_revision()
