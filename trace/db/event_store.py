"""SQL side of EPCIS capture and query: event rows, the identifier index, current state."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from trace.db.events import EpcisEventEpc, EpcisEventRow, EpcState
from trace.domain.object_state import ObjectState

_STATE_FIELDS = ("uri", "last_event_row_id", "last_event_time", "biz_step", "disposition", "read_point",
                 "biz_location", "custodian", "parent_key", "intended_region")


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
    """Insert event rows (all with the same keys); their ids, in order.

    PostgreSQL: the ids are drawn from the sequence first (ascending, in row order), then
    the rows go in by COPY. SQLite: one driver-level INSERT per row, its rowid read back.
    """
    if not rows:
        return []
    names = list(rows[0])
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        if session.get_bind().dialect.name == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence('epcis_event', 'id')) FROM generate_series(1, %s)",
                           (len(rows),))
            ids = sorted(row[0] for row in cursor.fetchall())
            text_rows = "".join(
                f"{row_id}\t" + "\t".join(_copy_value(row[name]) for name in names) + "\n"
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
    finally:
        cursor.close()


def _bind_processors(session: Session, model: Any, names: Sequence[str]) -> list[Any]:
    """The dialect's value conversions of ``model``'s columns ``names`` (None: as is), as the ORM applies them."""
    dialect = session.get_bind().dialect
    return [model.__table__.c[name].type._cached_bind_processor(dialect) for name in names]


def _copy_value(value: Any) -> str:
    """One value in COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return _copy_text(str(value))


def insert_index(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """The identifier index rows of captured events (COPY on PostgreSQL, executemany on SQLite)."""
    if not rows:
        return
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        if session.get_bind().dialect.name == "postgresql":
            stamps: dict[int, str] = {}  # the rows of one event share its time: written once
            text_rows = "".join(
                f"{r['event_row_id']}\t{r['role']}\t{_copy_text(r['epc_key'])}\t{r['brand_id']}\t"
                f"{stamps.get(r['event_row_id']) or stamps.setdefault(r['event_row_id'], r['event_time'].isoformat())}\n"
                for r in rows)
            cursor.copy_expert("COPY epcis_event_epc (event_row_id, role, epc_key, brand_id, event_time) FROM STDIN",
                               io.StringIO(text_rows))
            return
        stamp = EpcisEventEpc.__table__.c.event_time.type._cached_bind_processor(session.get_bind().dialect)
        cursor.executemany(
            "INSERT INTO epcis_event_epc (event_row_id, role, epc_key, brand_id, event_time) VALUES (?, ?, ?, ?, ?)",
            [(r["event_row_id"], r["role"], r["epc_key"], r["brand_id"], stamp(r["event_time"])) for r in rows])
    finally:
        cursor.close()


def _copy_text(value: str) -> str:
    # COPY text format escapes (PostgreSQL docs: COPY, "Text Format").
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def load_states(session: Session, brand_id: int, keys: Iterable[str]) -> dict[str, ObjectState]:
    keys = sorted(set(keys))
    if not keys:
        return {}
    columns = [EpcState.__table__.c[name] for name in ("epc_key", *_STATE_FIELDS)]
    member, values = _one_of(session, keys)
    statement = select(*columns).where(EpcState.brand_id == brand_id, text(f"epc_key {member}").bindparams(keys=values))
    return {key: ObjectState(key=key, **dict(zip(_STATE_FIELDS, values)))
            for key, *values in session.execute(statement)}


def _one_of(session: Session, keys: Sequence[str]) -> tuple[str, str]:
    """``IN``-like SQL matching any of ``keys`` and its one parameter ``:keys``, however many keys:
    an array on PostgreSQL, a JSON array read by ``json_each`` on SQLite."""
    if session.get_bind().dialect.name == "postgresql":
        return "= ANY(CAST(:keys AS text[]))", pg_array(keys)
    return "IN (SELECT value FROM json_each(:keys))", json.dumps(list(keys))


_UPSERT_COLUMNS = ("brand_id", "epc_key", *_STATE_FIELDS, "updated_at")
_UPSERT_SET = ", ".join(f"{name} = excluded.{name}" for name in (*_STATE_FIELDS, "updated_at"))
# An item's lot, from its unit (SGTIN key "01<gtin14>21<serial>"); kept once known.
_LOT_OF = ("(SELECT u.lot_id FROM unit u WHERE u.brand_id = {b} AND u.gtin = substr({k}, 3, 14)"
           " AND u.serial = substr({k}, 19) AND substr({k}, 1, 2) = '01' AND substr({k}, 17, 2) = '21')")


def upsert_states(session: Session, brand_id: int, states: Sequence[ObjectState], now: datetime) -> None:
    """Insert or update states; an update never goes back in time (a late event loses).

    One statement per batch: PostgreSQL takes whole columns as arrays (``unnest``).
    """
    if not states:
        return
    columns = ", ".join(_UPSERT_COLUMNS)
    conflict = (f"ON CONFLICT (brand_id, epc_key) DO UPDATE SET {_UPSERT_SET}, "
                "lot_id = COALESCE(epc_state.lot_id, excluded.lot_id) "
                "WHERE epc_state.last_event_time <= excluded.last_event_time")
    if session.get_bind().dialect.name == "postgresql":
        casts = ("int", "text", "text", "bigint", "timestamptz", "text", "text", "text", "text", "text", "text", "text",
                 "timestamptz")
        columns_of = {"brand_id": [brand_id] * len(states), "epc_key": [state.key for state in states],
                      **{name: [getattr(state, name) for state in states] for name in _STATE_FIELDS},
                      "updated_at": [now] * len(states)}
        values = {name: pg_array(column) for name, column in columns_of.items()}
        arrays = ", ".join(f"CAST(:{name} AS {cast}[])" for name, cast in zip(_UPSERT_COLUMNS, casts))
        lot = _LOT_OF.format(b="x.brand_id", k="x.epc_key")
        session.execute(text(f"INSERT INTO epc_state ({columns}, lot_id) SELECT x.*, {lot} FROM unnest({arrays})"
                             f" AS x({columns}) {conflict}"), values)
        return
    stamp = EpcState.__table__.c.last_event_time.type._cached_bind_processor(session.get_bind().dialect)
    rows = [(brand_id, state.key, state.uri, state.last_event_row_id, stamp(state.last_event_time), state.biz_step,
             state.disposition, state.read_point, state.biz_location, state.custodian, state.parent_key,
             state.intended_region, stamp(now)) for state in states]
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        numbered = ", ".join(f"?{n}" for n in range(1, len(_UPSERT_COLUMNS) + 1))
        cursor.executemany(f"INSERT INTO epc_state ({columns}, lot_id) VALUES ({numbered}, "
                           f"{_LOT_OF.format(b='?1', k='?2')}) {conflict}", rows)
    finally:
        cursor.close()


def pg_array(values: Iterable[Any]) -> str:
    """A PostgreSQL array literal of the values' text forms (NULL for None), for ``CAST(:p AS type[])``.

    One string parameter per column: the server reads it with the array input function,
    instead of one cast expression per element (PostgreSQL docs: Arrays, "Array Value Input").
    """
    items = []
    last: Any = None
    for value in values:
        if value is None:
            items.append("NULL")
            continue
        if value is last:  # runs of one value (a timestamp per event, "now"): written once
            items.append(items[-1])
            continue
        last = value
        text = value if isinstance(value, str) else value.isoformat() if isinstance(value, datetime) else str(value)
        if "\\" in text or '"' in text:
            text = text.replace("\\", "\\\\").replace('"', '\\"')
        items.append(f'"{text}"')
    return "{" + ",".join(items) + "}"


def descendants_of(session: Session, brand_id: int, keys: Iterable[str]) -> list[str]:
    """Every object inside any of ``keys``, recursively (cases in a pallet, items in the cases)."""
    keys = sorted(set(keys))
    if not keys:
        return []
    member, values = _one_of(session, keys)
    return list(session.scalars(text(
        "WITH RECURSIVE inside(k) AS ("
        f" SELECT epc_key FROM epc_state WHERE brand_id = :b AND parent_key {member}"
        " UNION SELECT s.epc_key FROM epc_state s JOIN inside ON s.parent_key = inside.k WHERE s.brand_id = :b)"
        " SELECT k FROM inside"), {"b": brand_id, "keys": values}))


def state_of(session: Session, brand_id: int, key: str) -> EpcState | None:
    return session.get(EpcState, (brand_id, key))


def children_of(session: Session, brand_id: int, key: str) -> list[EpcState]:
    return list(session.scalars(select(EpcState).where(EpcState.brand_id == brand_id, EpcState.parent_key == key)
                                .order_by(EpcState.epc_key)))

