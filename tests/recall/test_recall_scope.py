"""The blast radius of a lot, whichever way the lot's items are read: through the lot index
of their states when every item has one, item by item when some were never scanned; both
must give the same units, and the states must carry the lot capture found for them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select

from support.epcis_events import DC, PALLET, SHOP, aggregation, case, document, item, object_event
from trace.db.catalog import Lot
from trace.db.events import EpcState
from trace.db.units import MintJob, Unit
from trace.services import brands, catalog, recall
from trace.services.capture import capture_document
from trace.services.lookups import brand_by_slug
from trace.services.recall_criteria import RecallCriteria

GTIN = "09506000134352"
LOT_A = range(1, 7)  # items 1-3 in case 1, item 4 sold loose, items 5-6 not scanned at first
LOT_B = (10,)  # in case 2, on the same pallet as case 1


def _world(rt) -> None:
    brands.add_brand(rt.db, rt.key_store, name="Acme Tea", domain="https://id.acme.example", slug="acme")
    catalog.add_product(rt.db, brand="acme", gtin=GTIN, name="Longjing Green Tea 250 g")
    for lot in ("LA", "LB"):
        catalog.add_lot(rt.db, gtin=GTIN, lot=lot, produced_on=date(2026, 11, 1), line="line-1")
    with rt.db.transaction() as session:
        brand_id = brand_by_slug(session, "acme").id
        lots = {lot.lot_number: lot.id for lot in session.scalars(select(Lot))}
        job = MintJob(brand_id=brand_id, lot_id=lots["LA"], kid="test", count=0, output_format="csv",
                      requested_by="test")
        session.add(job)
        session.flush()
        session.execute(insert(Unit), [
            {"brand_id": brand_id, "lot_id": lots[lot], "mint_job_id": job.id, "gtin": GTIN, "serial": str(s),
             "kid": "test", "state": "active"} for lot, serials in (("LA", LOT_A), ("LB", LOT_B)) for s in serials])
    capture_document(rt.db, "acme", document([
        aggregation("2026-11-01T09:00:00+08:00", case(1), [item(s) for s in (1, 2, 3)]),
        aggregation("2026-11-01T09:05:00+08:00", case(2), [item(10)]),
        aggregation("2026-11-01T10:00:00+08:00", PALLET, [case(1), case(2)]),
        object_event("2026-11-02T10:00:00+08:00", [PALLET], step="receiving", disposition="in_progress", location=DC),
        object_event("2026-11-04T10:00:00+08:00", [item(4)], step="retail_selling", disposition="retail_sold",
                     location=SHOP),
    ]), captured_by="test")


def test_lot_radius_with_and_without_unscanned_items(runtime) -> None:
    _world(runtime)
    criteria = RecallCriteria(gtin=GTIN, lots=("LA",))

    unscanned = recall.preview(runtime.db, "acme", criteria)  # items 5 and 6 have no state: read unit by unit
    # Items 1-6 of LA, item 10 of LB (on the same pallet), cases 1 and 2, the pallet.
    assert unscanned.by_kind == {"item": 7, "case": 2, "pallet": 1}
    assert unscanned.by_status == {"in_warehouse": 9, "in_transit": 0, "at_retailer": 0, "sold": 1, "verified": 0}
    assert unscanned.by_location == {DC: 7, SHOP: 1, "": 2}

    capture_document(runtime.db, "acme", document([
        object_event("2026-11-05T10:00:00+08:00", [item(5), item(6)], step="receiving", disposition="in_progress",
                     location=DC)]), captured_by="test")
    with runtime.db.reading() as session:
        lots = {lot.lot_number: lot.id for lot in session.scalars(select(Lot))}
        lot_of = {key: lot for key, lot in session.execute(select(EpcState.epc_key, EpcState.lot_id))}
    assert lot_of[f"01{GTIN}215"] == lot_of[f"01{GTIN}211"] == lots["LA"]
    assert lot_of[f"01{GTIN}2110"] == lots["LB"]
    assert lot_of["00095060000000000015"] is None  # case 1 has no lot

    scanned = recall.preview(runtime.db, "acme", criteria)  # every LA item has a state: read by lot
    assert scanned.by_kind == unscanned.by_kind
    assert scanned.by_status == unscanned.by_status
    assert scanned.by_location == {DC: 9, SHOP: 1}
