"""SQL side of EPCIS capture and query: event rows, the identifier index, current state."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from trace.db.events import EpcisEventEpc, EpcisEventRow, EpcState
from trace.domain.object_state import ObjectState

_STATE_FIELDS = ("uri", "last_event_row_id", "last_event_time", "biz_step", "disposition", "read_point",
                 "biz_location", "custodian", "parent_key")


def existing_hashes(session: Session, brand_id: int, hash_ids: Sequence[str], *, declarations: bool) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(hash_ids), 500):
        chunk = list(hash_ids[start:start + 500])
        found.update(session.scalars(select(EpcisEventRow.hash_id).where(
            EpcisEventRow.brand_id == brand_id, EpcisEventRow.hash_id.in_(chunk),
            EpcisEventRow.is_error_declaration.is_(declarations))))
    return found


def rows_by_event_id(session: Session, brand_id: int, event_ids: Sequence[str]) -> dict[str, int]:
    if not event_ids:
        return {}
    rows = session.execute(select(EpcisEventRow.event_id, EpcisEventRow.id).where(
        EpcisEventRow.brand_id == brand_id, EpcisEventRow.event_id.in_(list(event_ids)),
        EpcisEventRow.is_error_declaration.is_(False)))
    return {event_id: row_id for event_id, row_id in rows}


def insert_events(session: Session, rows: Sequence[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    result = session.execute(insert(EpcisEventRow).returning(EpcisEventRow.id, sort_by_parameter_order=True), list(rows))
    return [row[0] for row in result]


def insert_index(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(EpcisEventEpc), list(rows))


def load_states(session: Session, brand_id: int, keys: Iterable[str]) -> dict[str, ObjectState]:
    keys = sorted(set(keys))
    states: dict[str, ObjectState] = {}
    for start in range(0, len(keys), 500):
        for row in session.scalars(select(EpcState).where(EpcState.brand_id == brand_id,
                                                          EpcState.epc_key.in_(keys[start:start + 500]))):
            states[row.epc_key] = ObjectState(key=row.epc_key, **{f: getattr(row, f) for f in _STATE_FIELDS})
    return states


def upsert_states(session: Session, brand_id: int, states: Sequence[ObjectState], now: datetime) -> None:
    """Insert or update states; an update never goes back in time (a late event loses)."""
    if not states:
        return
    builder = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    rows = []
    for state in states:
        row = asdict(state)
        row["epc_key"] = row.pop("key")
        rows.append({**row, "brand_id": brand_id, "updated_at": now})
    statement = builder(EpcState)
    statement = statement.on_conflict_do_update(
        index_elements=["brand_id", "epc_key"],
        set_={name: getattr(statement.excluded, name) for name in (*_STATE_FIELDS, "updated_at")},
        where=EpcState.last_event_time <= statement.excluded.last_event_time,
    )
    session.execute(statement, rows)


def descendants_of(session: Session, brand_id: int, keys: Iterable[str]) -> list[str]:
    """Every object inside any of ``keys``, recursively (cases in a pallet, items in the cases)."""
    keys = sorted(set(keys))
    found: list[str] = []
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        marks = ", ".join(f":k{i}" for i in range(len(chunk)))
        rows = session.execute(text(
            "WITH RECURSIVE inside(k) AS ("
            f" SELECT epc_key FROM epc_state WHERE brand_id = :b AND parent_key IN ({marks})"
            " UNION SELECT s.epc_key FROM epc_state s JOIN inside ON s.parent_key = inside.k WHERE s.brand_id = :b)"
            " SELECT k FROM inside"), {"b": brand_id, **{f"k{i}": key for i, key in enumerate(chunk)}})
        found.extend(row[0] for row in rows)
    return found


def state_of(session: Session, brand_id: int, key: str) -> EpcState | None:
    return session.get(EpcState, (brand_id, key))


def children_of(session: Session, brand_id: int, key: str) -> list[EpcState]:
    return list(session.scalars(select(EpcState).where(EpcState.brand_id == brand_id, EpcState.parent_key == key)
                                .order_by(EpcState.epc_key)))

