"""A generated supply chain for recall tests: items in cases on pallets across sites, lots
made from supplier lots by TransformationEvents; built through EPCIS capture (bulk
documents), units inserted in bulk (minting signatures are not what is tested here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import insert, select

from trace.db.catalog import Lot
from trace.db.consumer import Verification
from trace.db.units import MintJob, Unit
from trace.runtime import Runtime
from trace.services import brands, catalog
from trace.services.capture import capture_document
from trace.services.lookups import brand_by_slug

GTIN = "09506000134352"
PREFIX, ITEM_REF = "9506000", "013435"
MATERIAL = "urn:epc:class:lgtin:9506000.113436.{lot}"
FACTORY = "urn:epc:id:sgln:9506000.13435.0"
SITES = {  # pallet range → (location, step, disposition)
    range(0, 10): ("urn:epc:id:sgln:9506000.13435.3", "stocking", "sellable_accessible"),
    range(10, 20): (None, "shipping", "in_transit"),
    range(20, 30): ("urn:epc:id:sgln:9506000.13435.2", "storing", "sellable_not_accessible"),
    range(30, 40): ("urn:epc:id:sgln:9506000.13435.1", "receiving", "in_progress"),
    range(40, 50): ("urn:epc:id:sgln:9506000.13435.4", "receiving", "in_progress"),
}
RETURN_POINT = "urn:epc:id:sgln:9506000.13435.8"
LOTS = ("LA", "LB", "LC")  # LA made from supplier lots S1+S2, LB from S3, LC from no tracked material


def item(serial: int) -> str:
    return f"urn:epc:id:sgtin:{PREFIX}.{ITEM_REF}.{serial}"


def sscc(n: int) -> str:
    return f"urn:epc:id:sscc:{PREFIX}.{n:010d}"


def item_key(serial: int) -> str:
    return f"01{GTIN}21{serial}"


def sscc_key(n: int) -> str:
    from trace.domain.epcis import parse_identifier
    return parse_identifier(sscc(n)).key


@dataclass
class World:
    brand: str
    per_case: int
    cases: int = 1000
    pallets: int = 50
    case_lot: dict[int, str] = field(default_factory=dict)
    case_pallet: dict[int, int] = field(default_factory=dict)
    case_items: dict[int, list[int]] = field(default_factory=dict)
    loose: dict[int, str] = field(default_factory=dict)
    """Items taken out of their case at a shop: serial → their lot (sold or on the shelf)."""

    def item_lot(self) -> dict[int, str]:
        lots = {s: self.case_lot[c] for c, serials in self.case_items.items() for s in serials}
        return lots

    def pallet_of(self, p: int) -> int:
        return 900_000 + p


def _time(day: int, minute: int = 0) -> str:
    return f"2026-11-{day:02d}T{8 + minute // 60:02d}:{minute % 60:02d}:00+08:00"


def _event(kind: str, time: str, **fields) -> dict:
    return {"type": kind, "eventTime": time, "eventTimeZoneOffset": "+08:00", **fields}


def _doc(events: list[dict]) -> dict:
    return {"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"], "type": "EPCISDocument",
            "schemaVersion": "2.0", "creationDate": "2026-11-25T00:00:00Z", "epcisBody": {"eventList": events}}


def build(rt: Runtime, *, per_case: int, slug: str = "acme") -> World:
    brands.add_brand(rt.db, rt.key_store, name=f"{slug.title()} Tea", domain=f"https://id.{slug}.example", slug=slug)
    catalog.add_product(rt.db, brand=slug, gtin=GTIN, name="Longjing Green Tea 250 g")
    for n, lot in enumerate(LOTS):
        catalog.add_lot(rt.db, gtin=GTIN, lot=lot, produced_on=date(2026, 11, 1 + n), line="line-1", site="Hangzhou")
    world = World(brand=slug, per_case=per_case)
    # Cases 0-399 lot LA, 400-699 LB, 700-999 LC; 20 cases a pallet, except two swapped cases:
    # LA case 5 travels on LC pallet 40 and LC case 805 on LA pallet 0 (mixed pallets).
    for c in range(world.cases):
        world.case_lot[c] = "LA" if c < 400 else "LB" if c < 700 else "LC"
        world.case_pallet[c] = c // 20
        world.case_items[c] = [1_000_000 + c * per_case + i for i in range(per_case)]
    world.case_pallet[5], world.case_pallet[805] = 40, 0
    _units(rt, world)
    _capture(rt, world)
    return world


def _units(rt: Runtime, world: World) -> None:
    with rt.db.transaction() as session:
        brand = brand_by_slug(session, world.brand)
        lot_ids = {lot.lot_number: lot.id for lot in session.scalars(select(Lot))}
        job = MintJob(brand_id=brand.id, lot_id=lot_ids["LA"], kid="test", count=0, output_format="csv",
                      requested_by="test")
        session.add(job)
        session.flush()
        session.execute(insert(Unit), [
            {"brand_id": brand.id, "lot_id": lot_ids[world.case_lot[c]], "mint_job_id": job.id, "gtin": GTIN,
             "serial": str(s), "kid": "test", "state": "active"}
            for c, serials in world.case_items.items() for s in serials])


def _capture(rt: Runtime, world: World) -> None:
    events: list[dict] = [
        _event("TransformationEvent", _time(1), bizStep="commissioning", readPoint={"id": FACTORY},
               inputQuantityList=[{"epcClass": MATERIAL.format(lot="S1"), "quantity": 120, "uom": "KGM"},
                                  {"epcClass": MATERIAL.format(lot="S2"), "quantity": 80, "uom": "KGM"}],
               outputQuantityList=[{"epcClass": f"urn:epc:class:lgtin:{PREFIX}.{ITEM_REF}.LA", "quantity": 1}]),
        _event("TransformationEvent", _time(1, 1), bizStep="commissioning", readPoint={"id": FACTORY},
               inputQuantityList=[{"epcClass": MATERIAL.format(lot="S3"), "quantity": 150, "uom": "KGM"}],
               outputQuantityList=[{"epcClass": f"urn:epc:class:lgtin:{PREFIX}.{ITEM_REF}.LB", "quantity": 1}]),
    ]
    for c, serials in world.case_items.items():
        events.append(_event("AggregationEvent", _time(2, c % 600), parentID=sscc(c), childEPCs=[item(s) for s in serials],
                             action="ADD", bizStep="packing", disposition="in_progress",
                             readPoint={"id": FACTORY}, bizLocation={"id": FACTORY}))
    for p in range(world.pallets):
        cases = [sscc(c) for c, q in world.case_pallet.items() if q == p]
        events.append(_event("AggregationEvent", _time(3, p), parentID=sscc(world.pallet_of(p)), childEPCs=cases,
                             action="ADD", bizStep="packing", disposition="in_progress",
                             readPoint={"id": FACTORY}, bizLocation={"id": FACTORY}))
    for span, (location, step, disposition) in SITES.items():
        for p in span:
            fields = {"readPoint": {"id": location or FACTORY}}
            if location:
                fields["bizLocation"] = {"id": location}
            events.append(_event("ObjectEvent", _time(5, p), epcList=[sscc(world.pallet_of(p))], action="OBSERVE",
                                 bizStep=step, disposition=disposition, **fields))
    # At the shop (pallets 0-9): LA case 100 and LC case 720 unpacked; half of each sold.
    shop = SITES[range(0, 10)][0]
    for c in (100, 720):
        events.append(_event("AggregationEvent", _time(6, c % 60), parentID=sscc(c), action="DELETE",
                             bizStep="unpacking", disposition="sellable_accessible",
                             readPoint={"id": shop}, bizLocation={"id": shop}))
        sold = world.case_items[c][: world.per_case // 2]
        events.append(_event("ObjectEvent", _time(7, c % 60), epcList=[item(s) for s in sold], action="OBSERVE",
                             bizStep="retail_selling", disposition="retail_sold",
                             readPoint={"id": shop}, bizLocation={"id": shop}))
        for s in world.case_items[c]:
            world.loose[s] = world.case_lot[c]
    for start in range(0, len(events), 200):
        capture_document(rt.db, world.brand, _doc(events[start:start + 200]), captured_by="scenario")
    with rt.db.transaction() as session:
        brand_id = brand_by_slug(session, world.brand).id
        # Two consumers verified sold LA items.
        for s in world.case_items[100][:2]:
            session.add(Verification(brand_id=brand_id, unit_key=item_key(s), audit_group="g", client_hash=b"0" * 16,
                                     verdict="genuine"))


def return_all(rt: Runtime, world: World, keys_uris: list[str]) -> None:
    """Everything named comes back to the return point (pallets carry their contents)."""
    later = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat(timespec="milliseconds")
    events = [_event("ObjectEvent", later, epcList=keys_uris[i:i + 500], action="OBSERVE",
                     bizStep="receiving", disposition="returned", readPoint={"id": RETURN_POINT},
                     bizLocation={"id": RETURN_POINT}) for i in range(0, len(keys_uris), 500)]
    for start in range(0, len(events), 50):
        capture_document(rt.db, world.brand, _doc(events[start:start + 50]), captured_by="returns")
