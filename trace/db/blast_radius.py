"""The blast radius of a recall in one SQL statement: seeds, the containers they are in,
everything inside those containers, with each unit's current state.

Seeds are the items of some lots (``unit.lot_id``) and named keys. The statement

1. reads each lot item's state once (``lot_item``: one range of the
   ``(brand_id, lot_id)`` index when every item of the lots has a state, else one
   primary-key probe per item), which also yields its container;
2. climbs from those containers and the named keys to every container above (``up``);
3. descends from all of ``up`` to everything recorded inside, level by level through the
   ``(brand_id, parent_key)`` index, carrying each row's state (``down``);
4. adds the lot items that are in no container (nothing else reaches them).

Every affected unit is then exactly one row: a lot item inside a container is reached by
step 3 only, one in no container by step 4 only, so nothing is counted twice and no
per-unit deduplication of the lot is needed. A lot item can itself be a container only if
some state names a GTIN-keyed parent; only then are lot items descended from too
(``items_contain``).

Statuses: :mod:`trace.db.recall_status`. Kinds: ``item`` (SGTIN), ``pallet`` (an SSCC holding SSCCs), ``case``
(any other SSCC), ``other``; every SSCC in the radius was reached by step 2 or 3 and has
all its contents in ``down``, so the kind is read from ``down`` itself (which also keeps
``affected`` a single pass, never stored).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from trace.db.bulk_text import pg_array
from trace.db.recall_status import item_kind_sql, status_sql


@dataclass(frozen=True, slots=True)
class Seeds:
    """What the criteria name: the items of these lots, and these keys (SGTIN, SSCC, …)."""

    lot_ids: tuple[int, ...] = ()
    keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ScopeRow:
    key: str
    uri: str | None
    kind: str
    status: str
    location: str | None
    custodian: str | None
    disposition: str | None
    last_event_time: datetime | None


_STATUS = status_sql("a.k IN (SELECT v.unit_key FROM verification v WHERE v.brand_id = :b)", "a")

# Element-string keys: SSCC "00…", SGTIN "01<gtin14>21<serial>".
_KIND = f"""CASE
  WHEN substr(a.k, 1, 2) = '00' THEN CASE WHEN a.k IN (SELECT k FROM pallet) THEN 'pallet' ELSE 'case' END
  ELSE {item_kind_sql("a.k")} END"""

_BREAKDOWN_COLUMNS = ("parent_key", "biz_step", "disposition", "location")
_UNIT_COLUMNS = (*_BREAKDOWN_COLUMNS, "uri", "custodian", "last_event_time")
_EXPRESSION = {"location": "COALESCE(s.biz_location, s.read_point)"}


_PLANNER = ("jit", "enable_hashjoin", "enable_mergejoin")


def breakdown(session: Session, brand_id: int, seeds: Seeds) -> list[tuple[str, str | None, str, int]]:
    """(status, location, kind, count) over the blast radius of ``seeds``."""
    sql = (_scope(session, brand_id, seeds, _BREAKDOWN_COLUMNS)
           + f" SELECT {_STATUS} AS status, a.location, {_KIND} AS kind, count(*) FROM affected a"
           " GROUP BY 1, 2, 3")
    with index_probes(session):
        rows = session.execute(bound(sql, session, brand_id, seeds)).all()
    return [(r[0], r[1], r[2], int(r[3])) for r in rows]


def scope_rows(session: Session, brand_id: int, seeds: Seeds) -> list[ScopeRow]:
    """Every unit of the blast radius of ``seeds`` with its current state, by key."""
    sql = (_scope(session, brand_id, seeds, _UNIT_COLUMNS)
           + f" SELECT a.k, a.uri, {_KIND}, {_STATUS}, a.location, a.custodian, a.disposition, a.last_event_time"
           " FROM affected a ORDER BY a.k")
    with index_probes(session):
        rows = session.execute(bound(sql, session, brand_id, seeds)).all()
    return [ScopeRow(*row) for row in rows]


@contextmanager
def index_probes(session: Session) -> Iterator[None]:
    """PostgreSQL: nested loops over indexes for the statement inside, defaults again after.

    The planner cannot estimate recursive CTEs (it expects 10⁸ rows for 10⁵) and would
    merge-join the whole parent index at every level; index probes are what scale here,
    and JIT compiling such a misestimated plan alone costs seconds. (Nor is work_mem
    raised: hash tables are sized from those estimates, up to work_mem, and allocating
    them cost more than the query.)
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        for name in _PLANNER:
            session.execute(text(f"SET LOCAL {name} = off"))
    yield
    if postgres:
        for name in _PLANNER:
            session.execute(text(f"SET LOCAL {name} TO DEFAULT"))


def _scope(session: Session, brand_id: int, seeds: Seeds, columns: Sequence[str]) -> str:
    names = ", ".join(columns)
    state = ", ".join(_EXPRESSION.get(c, f"s.{c}") for c in columns)
    if not seeds.lot_ids or _states_cover(session, brand_id, seeds.lot_ids):
        lot_items = f"SELECT s.epc_key, {state} FROM epc_state s WHERE s.brand_id = :b AND s.lot_id IN :lots"
    else:  # some item of these lots has no state (never scanned) or predates epc_state.lot_id
        lot_items = (f"SELECT x.k, {state} FROM (SELECT '01' || u.gtin || '21' || u.serial AS k FROM unit u"
                     " WHERE u.brand_id = :b AND u.lot_id IN :lots) x"
                     " LEFT JOIN epc_state s ON s.brand_id = :b AND s.epc_key = x.k")
    postgres = session.get_bind().dialect.name == "postgresql"
    named = "SELECT unnest(CAST(:keys AS text[]))" if postgres else "SELECT value FROM json_each(:keys)"
    # Items are the leaves almost always: probing 10⁵ items for contents that no state can
    # name would be a third of the work. Only when some state names a GTIN-keyed container
    # are lot items (and every SGTIN reached) searched for contents.
    items_contain = _items_contain(session, brand_id)
    lot_items_contain = " UNION SELECT k FROM lot_item" if items_contain else ""
    leaves = "" if items_contain else " WHERE substr(down.k, 1, 2) <> '01'"
    # NOT IN and IN over CTEs stay hashed only when the planner expects few rows: the
    # DISTINCT (estimated at a few hundred) says so, a recursive CTE's estimate does not.
    return f"""WITH RECURSIVE
named(k) AS ({named}),
lot_item(k, {names}) AS ({lot_items}),
lot_parent(k) AS (SELECT DISTINCT parent_key FROM lot_item WHERE parent_key IS NOT NULL),
up(k) AS (
  SELECT k FROM lot_parent
  UNION SELECT k FROM named{lot_items_contain}
  UNION SELECT s.parent_key FROM epc_state s JOIN up ON s.brand_id = :b AND s.epc_key = up.k
    WHERE s.parent_key IS NOT NULL),
down(k, {names}) AS (
  SELECT up.k, {state} FROM up LEFT JOIN epc_state s ON s.brand_id = :b AND s.epc_key = up.k
  UNION
  SELECT s.epc_key, {state} FROM down JOIN epc_state s ON s.brand_id = :b AND s.parent_key = down.k{leaves}),
affected(k, {names}) AS (
  SELECT k, {names} FROM down
  UNION ALL
  SELECT k, {names} FROM lot_item WHERE parent_key IS NULL AND k NOT IN (SELECT DISTINCT k FROM up)),
pallet(k) AS (SELECT DISTINCT parent_key FROM down WHERE substr(k, 1, 2) = '00' AND parent_key IS NOT NULL)
"""


def _states_cover(session: Session, brand_id: int, lot_ids: Sequence[int]) -> bool:
    """Whether every item of these lots has a state that names its lot: then the lot's
    states are read in one index range (``epc_state.lot_id``), not probed item by item.

    States take their lot from the unit with the same key, so equal counts mean the same
    items (two index-only counts, each about the cost of counting the lot's items).
    """
    return bool(session.execute(text(
        "SELECT (SELECT count(*) FROM unit WHERE lot_id IN :lots)"
        " = (SELECT count(*) FROM epc_state WHERE brand_id = :b AND lot_id IN :lots)").bindparams(
        bindparam("lots", value=list(lot_ids), expanding=True), b=brand_id)).scalar())


def _items_contain(session: Session, brand_id: int) -> bool:
    """Whether any state of the brand names a GTIN-keyed container (one index probe)."""
    return session.execute(text("SELECT 1 FROM epc_state WHERE brand_id = :b AND parent_key >= '01' "
                                "AND parent_key < '02' LIMIT 1"), {"b": brand_id}).first() is not None


def bound(sql: str, session: Session, brand_id: int, seeds: Seeds):
    postgres = session.get_bind().dialect.name == "postgresql"
    keys = pg_array(sorted(set(seeds.keys))) if postgres else json.dumps(sorted(set(seeds.keys)))
    return text(sql).bindparams(bindparam("lots", value=list(seeds.lot_ids), expanding=True), b=brand_id, keys=keys)
