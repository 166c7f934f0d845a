"""Bulk insertion of minted units: the hot path of minting, one round trip per batch.

The ORM's bulk insert costs more per row than signing the code does, so this module
talks to the driver directly, inside the session's own transaction:

- SQLite: ``executemany`` of ``INSERT … ON CONFLICT (gtin, serial) DO NOTHING``; the row
  count says whether every serial was new;
- PostgreSQL: ``COPY`` under a savepoint (twice the rate of a multi-row INSERT here); if a
  serial is already taken the COPY fails as a whole, the savepoint is rolled back and the
  batch goes through ``INSERT … ON CONFLICT DO NOTHING RETURNING serial`` instead.

A serial drawn twice (a 65-bit collision, or one already used) is simply not inserted,
and the caller redraws exactly those; no pre-check query on the common path.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trace.db.units import Unit

_COLUMNS = "brand_id, lot_id, mint_job_id, gtin, serial, kid, state, created_at"
_CONFLICT = "ON CONFLICT (gtin, serial) DO NOTHING"


@dataclass(frozen=True, slots=True)
class UnitBatch:
    """Units of one mint job that differ only by serial."""

    brand_id: int
    lot_id: int
    mint_job_id: int
    gtin: str
    kid: str
    state: str
    created_at: datetime
    serials: Sequence[str]


def insert_new_units(session: Session, batch: UnitBatch) -> set[str]:
    """Insert the batch; returns the serials actually inserted."""
    if not batch.serials:
        return set()
    connection = session.connection()
    dialect = connection.dialect
    created = Unit.__table__.c.created_at.type._cached_bind_processor(dialect)  # same storage as the ORM
    stamp = created(batch.created_at) if created else batch.created_at
    fixed = (batch.brand_id, batch.lot_id, batch.mint_job_id, batch.gtin)
    tail = (batch.kid, batch.state, stamp)
    rows = [(*fixed, serial, *tail) for serial in batch.serials]
    cursor = connection.connection.driver_connection.cursor()
    try:
        if dialect.name == "postgresql":
            return _copy_or_insert_postgresql(cursor, rows, batch.serials)
        cursor.executemany(f"INSERT INTO unit ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) {_CONFLICT}", rows)
        if cursor.rowcount == len(rows):
            return set(batch.serials)
    finally:
        cursor.close()
    # Rare: some serials were taken. Ask which of this batch's serials now belong to the job.
    mine = select(Unit.serial).where(Unit.mint_job_id == batch.mint_job_id, Unit.serial.in_(list(batch.serials)))
    return set(session.scalars(mine))


def _copy_or_insert_postgresql(cursor: Any, rows: list[tuple[Any, ...]], serials: Sequence[str]) -> set[str]:
    import psycopg2.errors
    from psycopg2.extras import execute_values

    # COPY text format: tab-separated, backslash escapes (PostgreSQL docs, COPY, "Text Format").
    text = "".join("\t".join(str(v).replace("\\", "\\\\") for v in row) + "\n" for row in rows)
    cursor.execute("SAVEPOINT tracemark_unit_copy")
    try:
        cursor.copy_expert(f"COPY unit ({_COLUMNS}) FROM STDIN", io.StringIO(text))
    except psycopg2.errors.UniqueViolation:
        cursor.execute("ROLLBACK TO SAVEPOINT tracemark_unit_copy")
        returned = execute_values(
            cursor, f"INSERT INTO unit ({_COLUMNS}) VALUES %s {_CONFLICT} RETURNING serial", rows,
            page_size=len(rows), fetch=True,
        )
        return {serial for (serial,) in returned}
    cursor.execute("RELEASE SAVEPOINT tracemark_unit_copy")
    return set(serials)
