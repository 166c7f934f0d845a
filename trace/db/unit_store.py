"""Bulk insertion of minted units, the hot path of minting.

``INSERT … ON CONFLICT (gtin, serial) DO NOTHING RETURNING serial`` on both databases: one
round trip per batch, and a serial drawn twice (a 65-bit collision, or a replayed pool) is
simply not returned, so the caller redraws exactly those — no savepoints, no pre-check query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from trace.db.units import Unit


def insert_new_units(session: Session, rows: Sequence[dict[str, Any]]) -> set[str]:
    """Insert ``rows`` into ``unit``; returns the serials actually inserted."""
    if not rows:
        return set()
    dialect = session.get_bind().dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = builder(Unit).on_conflict_do_nothing(index_elements=["gtin", "serial"]).returning(Unit.serial)
    return set(session.scalars(statement, list(rows)))
