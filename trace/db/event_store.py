"""SQL side of EPCIS capture and query: event rows, the identifier index, state lookups
(capture's state reads and writes: :mod:`trace.db.state_store`)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from trace.db.bulk_text import BRAND, copy_text, copy_value, driver_cursor, pg_array
from trace.db.events import EpcisEventEpc, EpcisEventRow, EpcState


def existing_hashes(session: Session, brand_id: int, hash_ids: Sequence[str], *, declarations: bool) -> set[str]:
    """Which of ``hash_ids`` are stored already (as events, or as error declarations)."""
    if not hash_ids:
        return set()
    if session.get_bind().dialect.name == "postgresql":
        return set(session.scalars(_EXISTING_PG, {"b": brand_id, "hashes": pg_array(hash_ids), "d": declarations}))
    found: set[str] = set()
    for start in range(0, len(hash_ids), 500):
        chunk = list(hash_ids[start:start + 500])
        found.update(session.scalars(select(EpcisEventRow.hash_id).where(
            EpcisEventRow.brand_id == brand_id, EpcisEventRow.hash_id.in_(chunk),
            EpcisEventRow.is_error_declaration.is_(declarations))))
    return found


# One unique-index lookup per hash, whatever the statistics say (BRAND: see trace.db.bulk_text).
_EXISTING_PG = text(
    "SELECT e.hash_id FROM unnest(CAST(:hashes AS text[])) AS n(hash), LATERAL (SELECT hash_id FROM epcis_event "
    f"WHERE brand_id = {BRAND} AND hash_id = n.hash AND is_error_declaration = :d OFFSET 0) AS e")


def rows_by_event_id(session: Session, brand_id: int, event_ids: Sequence[str]) -> dict[str, int]:
    if not event_ids:
        return {}
    rows = session.execute(select(EpcisEventRow.event_id, EpcisEventRow.id).where(
        EpcisEventRow.brand_id == brand_id, EpcisEventRow.event_id.in_(list(event_ids)),
        EpcisEventRow.is_error_declaration.is_(False)))
    return {event_id: row_id for event_id, row_id in rows}


def insert_events(session: Session, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert event rows (all with the same keys); their ids, in order.

    PostgreSQL: the ids are drawn from the sequence first (ascending, in row order), then
    the rows go in by COPY. SQLite: one driver-level INSERT per row, its rowid read back.
    """
    if not rows:
        return []
    names = list(rows[0])
    with driver_cursor(session) as cursor:
        if session.get_bind().dialect.name == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence('epcis_event', 'id')) FROM generate_series(1, %s)",
                           (len(rows),))
            ids = sorted(row[0] for row in cursor.fetchall())
            text_rows = "".join(
                f"{row_id}\t" + "\t".join(copy_value(row[name]) for name in names) + "\n"
                for row_id, row in zip(ids, rows))
            cursor.copy_expert(f"COPY epcis_event (id, {', '.join(names)}) FROM STDIN", io.StringIO(text_rows))
            return ids
        processors = _bind_processors(session, EpcisEventRow, names)
        statement = f"INSERT INTO epcis_event ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        ids = []
        for row in rows:
            cursor.execute(statement, [process(row[name]) if process else row[name]
                                       for name, process in zip(names, processors)])
            ids.append(cursor.lastrowid)
        return ids


def _bind_processors(session: Session, model: Any, names: Sequence[str]) -> list[Any]:
    """The dialect's value conversions of ``model``'s columns ``names`` (None: as is), as the ORM applies them."""
    dialect = session.get_bind().dialect
    return [model.__table__.c[name].type._cached_bind_processor(dialect) for name in names]


def insert_index(session: Session, brand_id: int, rows: Sequence[tuple[int, str, str, datetime]]) -> None:
    """The identifier index of captured events: (event row id, role, key, event time) per
    row (COPY on PostgreSQL, executemany on SQLite)."""
    if not rows:
        return
    with driver_cursor(session) as cursor:
        if session.get_bind().dialect.name == "postgresql":
            stamps: dict[datetime, str] = {}  # the rows of one event share its time: written once
            tail = f"\t{brand_id}\t"
            text_rows = "".join(
                f"{row_id}\t{role}\t{copy_text(key)}{tail}"
                f"{stamps.get(time) or stamps.setdefault(time, time.isoformat())}\n"
                for row_id, role, key, time in rows)
            cursor.copy_expert("COPY epcis_event_epc (event_row_id, role, epc_key, brand_id, event_time) FROM STDIN",
                               io.StringIO(text_rows))
            return
        stamp = EpcisEventEpc.__table__.c.event_time.type._cached_bind_processor(session.get_bind().dialect)
        cursor.executemany(
            "INSERT INTO epcis_event_epc (event_row_id, role, epc_key, brand_id, event_time) VALUES (?, ?, ?, ?, ?)",
            [(row_id, role, key, brand_id, stamp(time)) for row_id, role, key, time in rows])


def state_of(session: Session, brand_id: int, key: str) -> EpcState | None:
    return session.get(EpcState, (brand_id, key))


def children_of(session: Session, brand_id: int, key: str) -> list[EpcState]:
    return list(session.scalars(select(EpcState).where(EpcState.brand_id == brand_id, EpcState.parent_key == key)
                                .order_by(EpcState.epc_key)))

