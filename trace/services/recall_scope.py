"""The blast radius of a recall, in SQL: seeds from the criteria, then aggregation both ways.

Seeds (the units the criteria name) go into a per-connection temporary table; one
recursive query climbs from them to every container they are currently in
(``epc_state.parent_key``) and descends from all of those to everything recorded inside,
so a pallet holding one affected item is affected with all its cases and their items.
The status of each unit is derived in the same query, so a preview of millions of units
never leaves the database.

Status buckets (first match wins), from the unit's current bizStep/disposition (CBV 2.0):
``verified`` (a consumer verification of the unit exists) · ``sold`` (retail_sold,
dispensed, or bizStep retail_selling/dispensing) · ``in_transit`` (in_transit, or bizStep
shipping/departing/transporting) · ``at_retailer`` (sellable_accessible, or bizStep
stocking) · ``in_warehouse`` (everything else: receiving/storing at a DC, at the factory,
never scanned).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from trace.db.events import EpcisEventEpc, EpcisEventRow
from trace.domain.epcis import parse_event
from trace.identifiers.gtin import Gtin
from trace.services.recall_criteria import RecallCriteria, identifier

STATUSES = ("in_warehouse", "in_transit", "at_retailer", "sold", "verified")
KINDS = ("item", "case", "pallet", "other")
MAX_TRANSFORMATION_DEPTH = 10
_CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]

STATUS_SQL = """CASE
  WHEN EXISTS (SELECT 1 FROM verification v WHERE v.brand_id = :b AND v.unit_key = down.k) THEN 'verified'
  WHEN s.disposition IN ('retail_sold', 'dispensed', 'partially_dispensed')
       OR s.biz_step IN ('retail_selling', 'dispensing') THEN 'sold'
  WHEN s.disposition = 'in_transit' OR s.biz_step IN ('shipping', 'departing', 'transporting') THEN 'in_transit'
  WHEN s.disposition = 'sellable_accessible' OR s.biz_step = 'stocking' THEN 'at_retailer'
  ELSE 'in_warehouse' END"""

# Element-string keys: SSCC "00…", SGTIN "01<gtin14>21<serial>"; a pallet holds other SSCCs.
KIND_SQL = """CASE
  WHEN substr(down.k, 1, 2) = '00' THEN CASE WHEN EXISTS (
       SELECT 1 FROM epc_state c WHERE c.brand_id = :b AND c.parent_key = down.k AND substr(c.epc_key, 1, 2) = '00')
       THEN 'pallet' ELSE 'case' END
  WHEN substr(down.k, 1, 2) = '01' AND substr(down.k, 17, 2) = '21' THEN 'item'
  ELSE 'other' END"""

SCOPE_CTE = """WITH RECURSIVE up(k) AS (
  SELECT k FROM recall_seed
  UNION
  SELECT s.parent_key FROM epc_state s JOIN up ON s.brand_id = :b AND s.epc_key = up.k WHERE s.parent_key IS NOT NULL
), down(k) AS (
  SELECT k FROM up
  UNION
  SELECT s.epc_key FROM epc_state s JOIN down ON s.brand_id = :b AND s.parent_key = down.k
)
"""

_UNITS_OF_LOTS = """INSERT INTO recall_seed (k)
SELECT DISTINCT '01' || u.gtin || '21' || u.serial FROM unit u JOIN lot l ON l.id = u.lot_id
JOIN product p ON p.id = l.product_id WHERE u.brand_id = :b AND {where} ON CONFLICT DO NOTHING"""


@dataclass(frozen=True, slots=True)
class ScopedUnit:
    key: str
    uri: str | None
    kind: str
    status: str
    location: str | None
    custodian: str | None
    disposition: str | None
    last_event_time: datetime | None


def fill_seeds(session: Session, brand_id: int, criteria: RecallCriteria) -> None:
    """Put the keys the criteria name into the temporary ``recall_seed`` table (emptied first)."""
    session.execute(text("CREATE TEMPORARY TABLE IF NOT EXISTS recall_seed (k VARCHAR(300) PRIMARY KEY)"))
    session.execute(text("DELETE FROM recall_seed"))
    if criteria.gtin:
        params: dict[str, Any] = {"b": brand_id, "g": Gtin.parse(criteria.gtin).value}
        where = "p.gtin = :g"
        if criteria.lots:
            where += " AND l.lot_number IN (" + ", ".join(f":l{i}" for i in range(len(criteria.lots))) + ")"
            params.update({f"l{i}": lot for i, lot in enumerate(criteria.lots)})
        session.execute(text(_UNITS_OF_LOTS.format(where=where)), params)
    if criteria.line:
        where = "l.line = :line"
        params = {"b": brand_id, "line": criteria.line}
        if criteria.produced_from:
            where, params["f"] = where + " AND l.produced_on >= :f", criteria.produced_from
        if criteria.produced_to:
            where, params["t"] = where + " AND l.produced_on <= :t", criteria.produced_to
        session.execute(text(_UNITS_OF_LOTS.format(where=where)), params)
    keys = {identifier(uri).key for uri in criteria.identifiers}
    if criteria.material_lots:
        made = forward_through_transformations(session, brand_id, {identifier(m).key for m in criteria.material_lots})
        for key in made:
            if _is_lot_class(key):
                session.execute(text(_UNITS_OF_LOTS.format(where="p.gtin = :g AND l.lot_number = :l")),
                                {"b": brand_id, "g": key[2:16], "l": key[18:]})
            else:
                keys.add(key)
    if keys:
        session.execute(text("INSERT INTO recall_seed (k) VALUES (:k) ON CONFLICT DO NOTHING"),
                        [{"k": key} for key in sorted(keys)])
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE recall_seed"))  # temp tables have no statistics otherwise
        # The planner cannot estimate recursive CTEs (it guessed 5e9 rows for 1e4) and then
        # hash-joins whole-table scans of epc_state at every level; index probes are what
        # scale here. JIT compiling such a misestimated plan alone cost seconds.
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL enable_hashjoin = off"))
        session.execute(text("SET LOCAL enable_mergejoin = off"))


def _is_lot_class(key: str) -> bool:
    return key.startswith("01") and key[16:18] == "10"


def forward_through_transformations(session: Session, brand_id: int, keys: set[str]) -> set[str]:
    """Material keys followed forward: every output of a TransformationEvent whose inputs
    include one of them, recursively; returns the keys given and everything made from them.

    The identifier index marks quantity-list classes as ``class`` without saying input or
    output, so the (few) transformation events found are read back to tell them apart.
    """
    seen, frontier = set(keys), set(keys)
    for _ in range(MAX_TRANSFORMATION_DEPTH):
        if not frontier:
            break
        declared = select(EpcisEventRow.declares_error_of).where(
            EpcisEventRow.brand_id == brand_id, EpcisEventRow.declares_error_of.is_not(None))
        named = select(EpcisEventEpc.event_row_id).where(
            EpcisEventEpc.brand_id == brand_id, EpcisEventEpc.epc_key.in_(sorted(frontier)),
            EpcisEventEpc.role.in_(("input", "class")))
        documents = session.scalars(select(EpcisEventRow.document).where(
            EpcisEventRow.id.in_(named), EpcisEventRow.event_type == "TransformationEvent",
            EpcisEventRow.is_error_declaration.is_(False), EpcisEventRow.id.not_in(declared)))
        outputs: set[str] = set()
        for document in documents:
            stored = json.loads(document)
            event = parse_event({"@context": stored["context"] or _CONTEXT, **stored["event"]})
            inputs = {i.key for i in event.input_epcs} | {q.epc_class.key for q in event.input_quantity_list}
            if inputs & frontier:
                outputs |= {o.key for o in event.output_epcs} | {q.epc_class.key for q in event.output_quantity_list}
        frontier = outputs - seen
        seen |= outputs
    return seen


def breakdown(session: Session, brand_id: int) -> list[tuple[str, str | None, str, int]]:
    """(status, location, kind, count) over the blast radius of the filled seeds."""
    sql = (SCOPE_CTE + f"SELECT status, location, kind, count(*) FROM (SELECT {STATUS_SQL} AS status,"
           f" COALESCE(s.biz_location, s.read_point) AS location, {KIND_SQL} AS kind FROM down"
           " LEFT JOIN epc_state s ON s.brand_id = :b AND s.epc_key = down.k) x GROUP BY status, location, kind")
    return [(r[0], r[1], r[2], int(r[3])) for r in session.execute(text(sql), {"b": brand_id})]


def scoped_units(session: Session, brand_id: int) -> Iterable[ScopedUnit]:
    """Every unit of the blast radius of the filled seeds, with its current state."""
    sql = (SCOPE_CTE + f"SELECT down.k, s.uri, {KIND_SQL}, {STATUS_SQL}, COALESCE(s.biz_location, s.read_point),"
           " s.custodian, s.disposition, s.last_event_time FROM down"
           " LEFT JOIN epc_state s ON s.brand_id = :b AND s.epc_key = down.k ORDER BY down.k")
    for row in session.execute(text(sql), {"b": brand_id}):
        yield ScopedUnit(key=row[0], uri=row[1] or uri_of_key(row[0]), kind=row[2], status=row[3], location=row[4],
                         custodian=row[5], disposition=row[6], last_event_time=row[7])


def uri_of_key(key: str) -> str:
    """The GS1 Digital Link of an SGTIN or SSCC element-string key (units never scanned have no state)."""
    if key.startswith("00"):
        return f"https://id.gs1.org/00/{key[2:]}"
    if key.startswith("01") and key[16:18] == "21":
        return f"https://id.gs1.org/01/{key[2:16]}/21/{quote(key[18:], safe='')}"
    raise ValueError(f"not an SGTIN or SSCC key: {key!r}")
