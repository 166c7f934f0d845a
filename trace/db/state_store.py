"""SQL side of the current state kept beside the event log (``epc_state``).

Capture reads the states of every object a document names, and of everything inside
them; applies the events in memory (:mod:`trace.domain.object_state`); and
writes back only what changed: new objects by COPY on PostgreSQL (the cheapest way in),
known ones by one UPDATE that never goes back in time (a late event loses).

A new object is one the read did not find. Another capture may add the same object
between that read and our COPY: the COPY then fails on the primary key and the caller
retries the whole document (:func:`lost_insert_race`), which now finds it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence, Set
from datetime import datetime
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trace.db.bulk_text import BRAND, copy_text, copy_value, driver_cursor, pg_array
from trace.db.events import EpcState
from trace.domain.object_state import ObjectState

_FIELDS = ("uri", "last_event_row_id", "last_event_time", "biz_step", "disposition", "read_point",
           "biz_location", "custodian", "parent_key", "intended_region", "root_key")
_COLUMNS = ("brand_id", "epc_key", *_FIELDS, "updated_at")
_SELECTED = ", ".join(("epc_key", *_FIELDS))
# Constraints a concurrent capture can make us trip over: the same new object, the same event.
_RACE_CONSTRAINTS = frozenset({"pk_epc_state", "uq_epcis_event_brand_id_hash_id_is_error_declaration",
                               "uq_ledger_entry_brand_id_ref"})


def load_with_contents(session: Session, brand_id: int, keys: Iterable[str]) -> dict[str, ObjectState]:
    """The states of ``keys`` and of every object inside them, recursively (cases in a
    pallet, items in the cases); objects without a state are absent.

    One query for the objects and what is directly inside them, then one per further level
    of containment, only while something was found inside.
    """
    named = sorted(set(keys))
    if not named:
        return {}
    postgres = session.get_bind().dialect.name == "postgresql"
    states: dict[str, ObjectState] = {}
    level = _read(session, _PG_NAMED if postgres else _SQLITE_NAMED, brand_id, named, postgres=postgres)
    named_set = set(named)
    while level:
        added = [state.key for state in level if state.key not in states]
        states.update((state.key, state) for state in level)
        inside = [key for key in added if key not in named_set]  # the named ones' contents are read already
        if not inside:
            break
        level = _read(session, _PG_INSIDE if postgres else _SQLITE_INSIDE, brand_id, inside, postgres=postgres)
    return states


def _read(session: Session, statement: TextClause, brand_id: int, keys: Sequence[str], *,
          postgres: bool) -> list[ObjectState]:
    values = pg_array(keys) if postgres else json.dumps(list(keys))
    return [ObjectState(*row) for row in session.execute(statement, {"b": brand_id, "keys": values})]


def _typed(sql: str) -> TextClause:
    return text(sql).columns(*(EpcState.__table__.c[name] for name in ("epc_key", *_FIELDS)))  # UTC times


# Only an object with a state can contain anything (an aggregation gives its parent a state
# in the same event), so contents are looked up for the objects found, not for every key:
# a document of new objects costs one lookup per key.
# PostgreSQL: one index lookup per key, whatever the statistics say (BRAND hides the brand
# id from the planner: see trace.db.bulk_text); OFFSET 0 keeps each LATERAL lookup a lookup.
_PG_KEYS = "unnest(CAST(:keys AS text[])) AS n(key)"
_PG_STATE_OF = f"SELECT {_SELECTED} FROM epc_state WHERE brand_id = {BRAND} AND epc_key = n.key OFFSET 0"
_PG_INSIDE_OF = f"SELECT {_SELECTED} FROM epc_state WHERE brand_id = {BRAND} AND parent_key = n.key OFFSET 0"
_PG_NAMED = _typed(f"WITH found AS MATERIALIZED (SELECT s.* FROM {_PG_KEYS}, LATERAL ({_PG_STATE_OF}) AS s) "
                   f"SELECT * FROM found UNION ALL SELECT c.* FROM (SELECT epc_key AS key FROM found) AS n, "
                   f"LATERAL ({_PG_INSIDE_OF}) AS c")
_PG_INSIDE = _typed(f"SELECT c.* FROM {_PG_KEYS}, LATERAL ({_PG_INSIDE_OF}) AS c")
# SQLite: the key list as one JSON parameter (json_each), however many keys.
_SQLITE_KEYS = "(SELECT value FROM json_each(:keys))"
_SQLITE_INSIDE_SQL = f"SELECT {_SELECTED} FROM epc_state WHERE brand_id = :b AND parent_key IN {_SQLITE_KEYS}"
_SQLITE_NAMED = _typed(f"WITH found AS (SELECT {_SELECTED} FROM epc_state WHERE brand_id = :b AND epc_key IN "
                       f"{_SQLITE_KEYS}) SELECT * FROM found UNION ALL SELECT {_SELECTED} FROM epc_state "
                       "WHERE brand_id = :b AND parent_key IN (SELECT epc_key FROM found)")
_SQLITE_INSIDE = _typed(_SQLITE_INSIDE_SQL)


def write(session: Session, brand_id: int, states: Sequence[ObjectState], *, known: Set[str], now: datetime) -> None:
    """Store ``states``: insert those whose key is not in ``known`` (as read in this
    transaction), update the others unless their stored event is later."""
    if not states:
        return
    if session.get_bind().dialect.name != "postgresql":
        _upsert_sqlite(session, brand_id, states, now)
        return
    new = [state for state in states if state.key not in known]
    if new:
        _copy_new(session, brand_id, new, now)
    changed = [state for state in states if state.key in known]
    if changed:
        _update_known(session, brand_id, changed, now)


def _copy_new(session: Session, brand_id: int, states: Sequence[ObjectState], now: datetime) -> None:
    lots = _lots_of(session, brand_id, [state.key for state in states])
    head = f"{brand_id}\t"
    tail = f"\t{now.isoformat()}"
    # The objects of one event share its time, step, location…: those fields are written once per event.
    shared: dict[tuple[Any, ...], str] = {}
    lines = []
    for s in states:
        fields = (s.last_event_time, s.biz_step, s.disposition, s.read_point, s.biz_location, s.custodian,
                  s.parent_key, s.intended_region, s.root_key)
        written = shared.get(fields)
        if written is None:
            written = shared[fields] = "\t".join([fields[0].isoformat(), *map(copy_value, fields[1:])]) + tail
        lines.append(f"{head}{copy_text(s.key)}\t{copy_text(s.uri)}\t{s.last_event_row_id}\t{written}"
                     f"\t{copy_value(lots.get(s.key))}\n")
    rows = "".join(lines)
    with driver_cursor(session) as cursor:
        cursor.copy_expert(f"COPY epc_state ({', '.join(_COLUMNS)}, lot_id) FROM STDIN", io.StringIO(rows))


# An item's lot comes from its unit (SGTIN key "01<gtin14>21<serial>"): a recall by lot then
# reads the lot's states in one index range (trace.db.blast_radius). One index lookup per key.
_PG_LOTS = text(f"SELECT n.key, u.lot_id FROM {_PG_KEYS}, LATERAL (SELECT lot_id FROM unit "
                f"WHERE brand_id = {BRAND} AND gtin = substr(n.key, 3, 14) AND serial = substr(n.key, 19) "
                "OFFSET 0) AS u")


def _lots_of(session: Session, brand_id: int, keys: Sequence[str]) -> dict[str, int]:
    items = [key for key in keys if key[:2] == "01" and key[16:18] == "21"]
    if not items:
        return {}
    return dict(session.execute(_PG_LOTS, {"b": brand_id, "keys": pg_array(items)}).all())


_UPDATE_CASTS = {"epc_key": "text", "uri": "text", "last_event_row_id": "bigint", "last_event_time": "timestamptz",
                 "biz_step": "text", "disposition": "text", "read_point": "text", "biz_location": "text",
                 "custodian": "text", "parent_key": "text", "intended_region": "text", "root_key": "text"}
_UPDATE = text(
    "UPDATE epc_state AS s SET "
    + ", ".join(f"{name} = u.{name}" for name in _FIELDS)
    + ", updated_at = :now FROM unnest("
    + ", ".join(f"CAST(:{name} AS {cast}[])" for name, cast in _UPDATE_CASTS.items())
    + f") AS u({', '.join(_UPDATE_CASTS)}) "
    "WHERE s.brand_id = :brand AND s.epc_key = u.epc_key AND s.last_event_time <= u.last_event_time")


def _update_known(session: Session, brand_id: int, states: Sequence[ObjectState], now: datetime) -> None:
    values = {name: pg_array(getattr(state, "key" if name == "epc_key" else name) for state in states)
              for name in _UPDATE_CASTS}
    session.execute(_UPDATE, {**values, "brand": brand_id, "now": now})


_UPSERT_SQLITE = (
    f"INSERT INTO epc_state ({', '.join(_COLUMNS)}, lot_id) VALUES ({', '.join(f'?{n}' for n in range(1, len(_COLUMNS) + 1))}, "
    "(SELECT u.lot_id FROM unit u WHERE u.brand_id = ?1 AND u.gtin = substr(?2, 3, 14) AND u.serial = substr(?2, 19)"
    " AND substr(?2, 1, 2) = '01' AND substr(?2, 17, 2) = '21')) "
    f"ON CONFLICT (brand_id, epc_key) DO UPDATE SET {', '.join(f'{n} = excluded.{n}' for n in (*_FIELDS, 'updated_at'))}, "
    "lot_id = COALESCE(epc_state.lot_id, excluded.lot_id) "
    "WHERE epc_state.last_event_time <= excluded.last_event_time")


def _upsert_sqlite(session: Session, brand_id: int, states: Sequence[ObjectState], now: datetime) -> None:
    # One writer at a time on SQLite (write transactions begin IMMEDIATE): no race to lose.
    stamp = EpcState.__table__.c.last_event_time.type._cached_bind_processor(session.get_bind().dialect)
    rows = [(brand_id, s.key, s.uri, s.last_event_row_id, stamp(s.last_event_time), s.biz_step, s.disposition,
             s.read_point, s.biz_location, s.custodian, s.parent_key, s.intended_region, s.root_key, stamp(now))
            for s in states]
    with driver_cursor(session) as cursor:
        cursor.executemany(_UPSERT_SQLITE, rows)


def lost_insert_race(exc: IntegrityError) -> bool:
    """Whether ``exc`` says a concurrent capture stored the same new object or event first
    (then the whole document can be tried again: it will find them)."""
    diag = getattr(exc.orig, "diag", None)
    return getattr(diag, "constraint_name", None) in _RACE_CONSTRAINTS
