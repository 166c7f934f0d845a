"""A simulated supply chain for the demo: what a factory, a distributor and a shop would send.

For the first 24 units of each demo lot: commissioning at the factory, packing into two
cases, the cases onto a pallet, shipping to the distributor, receiving at its DC, unpacking,
and one case shipped on to a shop in Shanghai — captured through the same EPCIS capture as
any partner's document, so state, history and ledger are real.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from trace.db.database import Database
from trace.services.capture import capture_document
from trace.services.units import serials_of_lot

FACTORY = "urn:epc:id:sgln:9506000.13435.0"
DC = "urn:epc:id:sgln:9506000.13435.7"
SHOP = "urn:epc:id:sgln:9506000.13435.9"
DISTRIBUTOR = "urn:epc:id:pgln:9506000.00001"
SHOP_PARTY = "urn:epc:id:pgln:9506000.00002"
CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
CHINA = timezone(timedelta(hours=8))


def _event(kind: str, when: datetime, **fields: Any) -> dict[str, Any]:
    return {"type": kind, "eventTime": when.isoformat(), "eventTimeZoneOffset": "+08:00", **fields}


def _where(location: str) -> dict[str, Any]:
    return {"readPoint": {"id": location}, "bizLocation": {"id": location}}


def supply_chain_document(gtin: str, serials: list[str], produced: date, lot_index: int) -> dict[str, Any]:
    items = [f"https://id.gs1.org/01/{gtin}/21/{serial}" for serial in serials]
    cases = [f"urn:epc:id:sscc:9506000.{lot_index * 10 + n:010d}" for n in (1, 2)]
    pallet = f"urn:epc:id:sscc:9506000.{lot_index * 10 + 9:010d}"
    day = datetime.combine(produced, time(8), CHINA)
    half = len(items) // 2
    events = [
        _event("ObjectEvent", day, epcList=items, action="ADD", bizStep="commissioning", disposition="active",
               **_where(FACTORY)),
        _event("AggregationEvent", day + timedelta(hours=2), parentID=cases[0], childEPCs=items[:half], action="ADD",
               bizStep="packing", disposition="in_progress", **_where(FACTORY)),
        _event("AggregationEvent", day + timedelta(hours=2, minutes=10), parentID=cases[1], childEPCs=items[half:],
               action="ADD", bizStep="packing", disposition="in_progress", **_where(FACTORY)),
        _event("AggregationEvent", day + timedelta(hours=3), parentID=pallet, childEPCs=cases, action="ADD",
               bizStep="packing", disposition="in_progress", **_where(FACTORY)),
        _event("ObjectEvent", day + timedelta(days=1), epcList=[pallet], action="OBSERVE", bizStep="shipping",
               disposition="in_transit", readPoint={"id": FACTORY},
               destinationList=[{"type": "owning_party", "destination": DISTRIBUTOR}]),
        _event("ObjectEvent", day + timedelta(days=3), epcList=[pallet], action="OBSERVE", bizStep="receiving",
               disposition="in_progress", **_where(DC)),
        _event("AggregationEvent", day + timedelta(days=4), parentID=pallet, action="DELETE", bizStep="unpacking",
               disposition="in_progress", **_where(DC)),
        _event("ObjectEvent", day + timedelta(days=6), epcList=[cases[0]], action="OBSERVE", bizStep="shipping",
               disposition="in_transit", readPoint={"id": DC},
               destinationList=[{"type": "owning_party", "destination": SHOP_PARTY}]),
        _event("ObjectEvent", day + timedelta(days=7), epcList=[cases[0]], action="OBSERVE", bizStep="receiving",
               disposition="sellable_accessible", **_where(SHOP)),
    ]
    return {"@context": CONTEXT, "type": "EPCISDocument", "schemaVersion": "2.0",
            "creationDate": (day + timedelta(days=7)).isoformat(), "epcisBody": {"eventList": events}}


def simulate(db: Database, brand: str, lots: list[tuple[str, str, date]], *, units_per_lot: int = 24) -> int:
    """Capture the simulated journey of each lot; returns the number of events captured."""
    captured = 0
    for index, (gtin, lot, produced) in enumerate(lots, start=1):
        serials = serials_of_lot(db, gtin, lot, limit=units_per_lot)
        if len(serials) < 2:
            continue
        result = capture_document(db, brand, supply_chain_document(gtin, serials, produced, index), captured_by="demo")
        captured += len(result.captured)
    return captured
