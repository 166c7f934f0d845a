"""History tables are append-only in the database itself: whatever the application does, a
plain UPDATE, DELETE (and on PostgreSQL TRUNCATE) of a ledger or mint-job row is refused by
the database's own triggers, and the rows stay exactly as they were."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from trace.db.database import Database
from trace.db.ledger import APPEND_ONLY_TABLES
from trace.db.ledger_store import COPY_THRESHOLD, NewEntry
from trace.services import ledger
from ledger_scenarios import HISTORY_TABLES, build_ledger

# One existing row per table, and a change of one of its columns.
TARGETS = {
    "ledger_entry": ("entry = :junk", "id = 5"),
    "ledger_leaf": ("leaf_hash = :junk", "leaf_index = 4"),
    "ledger_node": ("hash = :junk", "level = 4 AND node_index = 0"),
    "ledger_checkpoint": ("root_hash = :junk", "id = 2"),
    "mint_job": ("kid = 'forged'", "id = 1"),
}
ORDER = {"ledger_entry": "id", "ledger_leaf": "brand_id, leaf_index", "ledger_node": "brand_id, level, node_index",
         "ledger_checkpoint": "id", "mint_job": "id"}


def _rows(db: Database, table: str) -> list[tuple]:
    with db.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT * FROM {table} ORDER BY {ORDER[table]}")).tuples().all()
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]


def _refused(db: Database, statement: str) -> str:
    """Run ``statement`` in its own transaction; return the database's refusal (first line)."""
    with pytest.raises(IntegrityError) as refused:
        with db.engine.begin() as conn:
            conn.execute(text(statement), {"junk": b"\x00" * 32})
    if db.dialect == "postgresql":
        assert refused.value.orig.pgcode == "23000"  # integrity_constraint_violation, as the trigger says
    return str(refused.value.orig).splitlines()[0]


def test_the_protected_tables_are_the_history_tables() -> None:
    assert APPEND_ONLY_TABLES == HISTORY_TABLES


@pytest.mark.parametrize("table", HISTORY_TABLES)
def test_update_and_delete_are_refused_by_the_database(runtime, table: str) -> None:
    build_ledger(runtime)
    db = runtime.db
    before = _rows(db, table)
    assert len(before) == {"ledger_entry": 23, "ledger_leaf": 23, "ledger_node": 1, "ledger_checkpoint": 3,
                           "mint_job": 1}[table]
    change, row = TARGETS[table]
    statements = {
        "UPDATE": f"UPDATE {table} SET {change} WHERE {row}",
        "UPDATE (no-op)": f"UPDATE {table} SET {ORDER[table].split(',')[0]} = {ORDER[table].split(',')[0]} WHERE {row}",
        "DELETE": f"DELETE FROM {table} WHERE {row}",
        "DELETE (all rows)": f"DELETE FROM {table}",
    }
    if db.dialect == "postgresql":
        # CASCADE: the strongest form, which would otherwise also empty the referencing tables.
        statements["TRUNCATE"] = f"TRUNCATE {table} CASCADE"
    for name, statement in statements.items():
        operation = name.split()[0]
        assert _refused(db, statement) == f"{table} is append-only: {operation} refused", statement
        assert _rows(db, table) == before, statement


def test_a_refused_change_takes_the_rest_of_its_transaction_with_it(runtime) -> None:
    """An entry recorded in the same transaction as a refused DELETE is not kept either."""
    built = build_ledger(runtime)
    db = runtime.db
    entries_before = _rows(db, "ledger_entry")
    with pytest.raises(IntegrityError):
        with db.transaction() as session:
            ledger.record(session, built.brand_id, [NewEntry(kind="note", ref="note:smuggled", entry=b"smuggled")])
            session.execute(text("DELETE FROM ledger_entry WHERE id = 2"))
    assert _rows(db, "ledger_entry") == entries_before
    assert len(entries_before) == len(built.entries)


@pytest.mark.parametrize("count", [1, COPY_THRESHOLD], ids=["insert", "copy"])
def test_entries_of_a_brand_that_does_not_exist_are_refused_and_nothing_is_written(runtime, count: int) -> None:
    """ledger_entry has no foreign key to brand (a trigger per row): the writer checks the brand once per batch."""
    built = build_ledger(runtime)
    entries_before = _rows(runtime.db, "ledger_entry")
    with pytest.raises(ValueError, match="^brand 999999 does not exist: ledger entries need an existing brand$"):
        with runtime.db.transaction() as session:
            ledger.record(session, 999_999, [NewEntry(kind="note", ref=f"note:orphan-{i}", entry=b"orphan")
                                             for i in range(count)])
    assert _rows(runtime.db, "ledger_entry") == entries_before
    assert len(entries_before) == len(built.entries)
