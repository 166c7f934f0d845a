"""The blast radius of a recall: what the criteria name (seeds), then aggregation both ways
and transformation forward, with every unit's current state.

The criteria become :class:`~trace.db.blast_radius.Seeds` (lot ids and named keys) here;
the radius and its breakdown are one SQL statement each (:mod:`trace.db.blast_radius`),
so a preview of millions of units never leaves the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from trace.db import blast_radius, blast_radius_counts
from trace.db.blast_radius import ScopeRow, Seeds
from trace.db.catalog import Lot, Product
from trace.db.events import EpcisEventEpc, EpcisEventRow
from trace.domain.epcis import parse_event
from trace.identifiers.gtin import Gtin
from trace.services.recall_criteria import RecallCriteria, identifier

STATUSES = ("in_warehouse", "in_transit", "at_retailer", "sold", "verified")
KINDS = ("item", "case", "pallet", "other")
MAX_TRANSFORMATION_DEPTH = 10
_CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]

ScopedUnit = ScopeRow
"""One affected unit with its current state (key, uri, kind, status, location, custodian,
disposition, last event time)."""


def seeds_of(session: Session, brand_id: int, criteria: RecallCriteria) -> Seeds:
    """The lots and keys the criteria name (their union is the seed of the blast radius)."""
    lots = select(Lot.id).join(Product, Product.id == Lot.product_id).where(Product.brand_id == brand_id)
    lot_ids: set[int] = set()
    if criteria.gtin:
        query = lots.where(Product.gtin == Gtin.parse(criteria.gtin).value)
        if criteria.lots:
            query = query.where(Lot.lot_number.in_(criteria.lots))
        lot_ids |= set(session.scalars(query))
    if criteria.line:
        query = lots.where(Lot.line == criteria.line)
        if criteria.produced_from:
            query = query.where(Lot.produced_on >= criteria.produced_from)
        if criteria.produced_to:
            query = query.where(Lot.produced_on <= criteria.produced_to)
        lot_ids |= set(session.scalars(query))
    keys = {identifier(uri).key for uri in criteria.identifiers}
    if criteria.material_lots:
        made = forward_through_transformations(session, brand_id, {identifier(m).key for m in criteria.material_lots})
        for key in made:
            if _is_lot_class(key):
                lot_ids |= set(session.scalars(lots.where(Product.gtin == key[2:16], Lot.lot_number == key[18:])))
            else:
                keys.add(key)
    return Seeds(lot_ids=tuple(sorted(lot_ids)), keys=tuple(sorted(keys)))


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


def breakdown(session: Session, brand_id: int, seeds: Seeds) -> list[tuple[str, str | None, str, int]]:
    """(status, location, kind, count) over the blast radius of ``seeds``: from the item
    counts where they answer exactly, else from the items."""
    counted = blast_radius_counts.breakdown(session, brand_id, seeds)
    return counted if counted is not None else blast_radius.breakdown(session, brand_id, seeds)


def scoped_units(session: Session, brand_id: int, seeds: Seeds) -> Iterable[ScopedUnit]:
    """Every unit of the blast radius of ``seeds``, with its current state (a URI even for
    units never scanned)."""
    for row in blast_radius.scope_rows(session, brand_id, seeds):
        yield row if row.uri else ScopeRow(row.key, uri_of_key(row.key), row.kind, row.status, row.location,
                                           row.custodian, row.disposition, row.last_event_time)


def uri_of_key(key: str) -> str:
    """The GS1 Digital Link of an SGTIN or SSCC element-string key (units never scanned have no state)."""
    if key.startswith("00"):
        return f"https://id.gs1.org/00/{key[2:]}"
    if key.startswith("01") and key[16:18] == "21":
        return f"https://id.gs1.org/01/{key[2:16]}/21/{quote(key[18:], safe='')}"
    raise ValueError(f"not an SGTIN or SSCC key: {key!r}")
