"""Statements prepared once per PostgreSQL connection: same rows and types as the plain statement,
one PREPARE per connection, and a connection the server dropped is replaced, not reused."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import psycopg2
import pytest
import sqlalchemy as sa
from sqlalchemy import bindparam, select

from trace.db.catalog import Brand
from trace.db.database import Database
from trace.db.prepared import PreparedSelect

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
BRANDS = PreparedSelect("tracemark_test_brands", select(Brand.slug, Brand.created_at, Brand.company_prefix_length)
                        .where(Brand.created_at >= bindparam("since"), Brand.slug != "x")
                        .order_by(Brand.slug), ("since",))


def _brands(db: Database) -> None:
    with db.transaction() as session:
        session.add_all([Brand(slug="acme", name="Acme", domain="https://a.example", created_at=T0),
                         Brand(slug="bolt", name="Bolt", domain="https://b.example", created_at=T0 + timedelta(days=1),
                               company_prefix_length=7)])


def test_rows_and_types_match_the_plain_statement(db: Database) -> None:
    _brands(db)
    with db.engine.connect() as connection:
        rows = BRANDS.rows(connection, {"since": T0})
        again = BRANDS.rows(connection, {"since": T0 + timedelta(hours=1)})
        plain = [tuple(r) for r in connection.execute(BRANDS.statement, {"since": T0})]
        none = BRANDS.first(connection, {"since": T0 + timedelta(days=2)})
    assert rows == [("acme", T0, None), ("bolt", T0 + timedelta(days=1), 7)] == plain
    assert [r[1].utcoffset() for r in rows] == [timedelta(0), timedelta(0)]  # UTC-aware, as the column type says
    assert again == [("bolt", T0 + timedelta(days=1), 7)]
    assert none is None


def test_the_prepared_text_has_positional_parameters_and_literal_constants() -> None:
    sql = BRANDS.sql(sa.create_engine("postgresql+psycopg2://").dialect)
    assert "$1" in sql and "'x'" in sql and "%(" not in sql


def test_unknown_parameter_names_and_bad_names_are_programmer_errors() -> None:
    with pytest.raises(ValueError, match="must be a lower-case SQL identifier"):
        PreparedSelect("Bad-Name", BRANDS.statement, ("since",))
    wrong = PreparedSelect("tracemark_test_wrong", BRANDS.statement, ("until",))
    with pytest.raises(ValueError, match=r"has no parameters \['until'\]"):
        wrong.sql(sa.create_engine("postgresql+psycopg2://").dialect)


def test_postgresql_prepares_once_per_connection_and_replaces_a_dropped_one(postgres_migrated: str) -> None:
    db = Database.from_url(postgres_migrated, pool_size=1, max_overflow=0)
    try:
        with db.engine.connect() as connection:
            BRANDS.rows(connection, {"since": T0})
            BRANDS.rows(connection, {"since": T0})
            prepared = connection.exec_driver_sql(
                "SELECT count(*) FROM pg_prepared_statements WHERE name = 'tracemark_test_brands'").scalar_one()
            backend = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        assert prepared == 1
        killer = sa.create_engine(postgres_migrated)
        with killer.begin() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        killer.dispose()
        with db.engine.connect() as connection, pytest.raises(psycopg2.OperationalError):
            BRANDS.rows(connection, {"since": T0})
        with db.engine.connect() as connection:  # a fresh connection, prepared again
            assert BRANDS.rows(connection, {"since": T0}) == []
            assert connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one() != backend
    finally:
        db.dispose()
