"""A recall preview counted from ``item_state_count`` (kept by database triggers) gives the
same breakdown as reading every item; each state's root (outermost container, kept by
capture) and the counts stay exactly what ``epc_state``, ``verification`` and ``unit`` hold
through captures, packing, unpacking, moves, verifications and deletes; where the counts
cannot answer exactly, the item path answers."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import delete, insert, select, text

from recall_world import GTIN, MATERIAL, build, item, item_key, sscc, sscc_key, _doc, _event
from trace.db import blast_radius, blast_radius_counts
from trace.db.consumer import Verification
from trace.db.events import EpcState
from trace.services.capture import capture_document
from trace.services.lookups import brand_by_slug
from trace.services.recall_criteria import RecallCriteria
from trace.services.recall_scope import seeds_of

UNPACKED = (100, 720)  # recall_world unpacks these two cases at the shop


def _both(rt, criteria: RecallCriteria):
    with rt.db.reading() as session:
        brand_id = brand_by_slug(session, "acme").id
        seeds = seeds_of(session, brand_id, criteria)
        counted = blast_radius_counts.breakdown(session, brand_id, seeds)
        return (None if counted is None else sorted(counted, key=repr),
                sorted(blast_radius.breakdown(session, brand_id, seeds), key=repr))


def _expected_total(world, lot: str) -> int:
    """Pallets holding a case of the lot, every case on them, their items, the lot's loose items."""
    pallets = {world.case_pallet[c] for c, lot_of in world.case_lot.items() if lot_of == lot and c not in UNPACKED}
    cases = {c for c, p in world.case_pallet.items() if p in pallets}
    items = sum(world.per_case for c in cases if c not in UNPACKED)
    return len(pallets) + len(cases) + items + sum(1 for lot_of in world.loose.values() if lot_of == lot)


def _recount(rt) -> Counter:
    """The counts recomputed from the states, their parents and the verifications themselves."""
    with rt.db.reading() as session:
        verified = set(session.execute(select(Verification.brand_id, Verification.unit_key)).all())
        states = {(s.brand_id, s.epc_key): s for s in session.scalars(select(EpcState))}
        counts: Counter = Counter()
        for (brand_id, key), s in states.items():
            root = None
            parent = s.parent_key
            while parent is not None:
                root = parent
                above = states.get((brand_id, parent))
                parent = above.parent_key if above is not None else None
            assert s.root_key == root, f"{key}: root {s.root_key}, expected {root}"
            if key.startswith("00"):
                continue
            kind = "item" if key.startswith("01") and key[16:18] == "21" else "other"
            counts[(brand_id, root or "", s.lot_id or 0, s.biz_step or "", s.disposition or "",
                    s.biz_location or s.read_point or "", kind, (brand_id, key) in verified)] += 1
        return counts


def _unit_counts(rt) -> tuple[dict, dict]:
    with rt.db.reading() as session:
        stored = dict(session.execute(text("SELECT lot_id, n FROM lot_unit_count WHERE n <> 0")).all())
        counted = dict(session.execute(text("SELECT lot_id, count(*) FROM unit GROUP BY lot_id")).all())
    return stored, counted


def _stored(rt) -> Counter:
    with rt.db.reading() as session:
        rows = session.execute(text("SELECT brand_id, root_key, lot_id, biz_step, disposition, location, kind,"
                                    " verified, n FROM item_state_count WHERE n <> 0")).all()
    return Counter({(*row[:7], bool(row[7])): row[8] for row in rows})


def test_counted_breakdown_equals_the_item_by_item_one(runtime) -> None:
    world = build(runtime, per_case=2)
    for lot in ("LA", "LB", "LC"):
        counted, items = _both(runtime, RecallCriteria(gtin=GTIN, lots=(lot,)))
        assert counted is not None and counted == items
        assert sum(n for *_, n in counted) == _expected_total(world, lot)
    for criteria in (RecallCriteria(material_lots=(MATERIAL.format(lot="S1"),)),
                     RecallCriteria(material_lots=(MATERIAL.format(lot="S3"),)),
                     RecallCriteria(identifiers=(item(world.case_items[100][0]), sscc(300),
                                                 sscc(world.pallet_of(45)), item(world.case_items[7][1]))),
                     RecallCriteria(gtin=GTIN, lots=("LB",), identifiers=(item(world.case_items[100][1]),))):
        counted, items = _both(runtime, criteria)
        assert counted is not None and counted == items
    # Lot LA: 21 pallets (0-19 and 40, which carries LA case 5), their 420 cases, 2 items in
    # each case still packed (419: case 100 was unpacked), and case 100's two items loose.
    counted, _ = _both(runtime, RecallCriteria(gtin=GTIN, lots=("LA",)))
    by_kind = Counter()
    for _, _, kind, n in counted:
        by_kind[kind] += n
    assert by_kind == {"pallet": 21, "case": 420, "item": 840}
    statuses = Counter()
    for status, _, _, n in counted:
        statuses[status] += n
    assert statuses["verified"] == 2  # case 100's two items (one of them sold: verified comes first)


def test_counts_follow_every_change_of_state(runtime) -> None:
    world = build(runtime, per_case=2)
    assert _stored(runtime) == _recount(runtime) and sum(_recount(runtime).values()) == 2000
    shop = "urn:epc:id:sgln:9506000.13435.3"
    moved = world.case_items[300] + world.case_items[301]
    capture_document(runtime.db, "acme", _doc([
        _event("AggregationEvent", "2026-11-08T08:00:00+08:00", parentID=sscc(300), action="DELETE",
               bizStep="unpacking", disposition="sellable_accessible", readPoint={"id": shop}, bizLocation={"id": shop}),
        _event("ObjectEvent", "2026-11-08T09:00:00+08:00", epcList=[item(s) for s in moved], action="OBSERVE",
               bizStep="retail_selling", disposition="retail_sold", readPoint={"id": shop}, bizLocation={"id": shop}),
        _event("AggregationEvent", "2026-11-08T10:00:00+08:00", parentID=sscc(301),
               childEPCs=[item(s) for s in world.case_items[300]], action="ADD", bizStep="packing",
               disposition="in_progress", readPoint={"id": shop}, bizLocation={"id": shop}),
    ]), captured_by="test")
    assert _stored(runtime) == _recount(runtime)
    # A case moves to another pallet, and a pallet is loaded into a container: every item
    # under them gets its new root.
    capture_document(runtime.db, "acme", _doc([
        _event("AggregationEvent", "2026-11-08T11:00:00+08:00", parentID=sscc(world.pallet_of(30)),
               childEPCs=[sscc(12)], action="ADD", bizStep="packing", disposition="in_progress",
               readPoint={"id": shop}),
        _event("AggregationEvent", "2026-11-08T12:00:00+08:00", parentID=sscc(777_777),
               childEPCs=[sscc(world.pallet_of(30)), sscc(world.pallet_of(31))], action="ADD", bizStep="loading",
               disposition="in_transit", readPoint={"id": shop}),
    ]), captured_by="test")
    recounted = _recount(runtime)
    assert _stored(runtime) == recounted
    # Pallet 30 (its 20 cases and case 12) and pallet 31 (20 cases), 2 items a case.
    assert sum(n for k, n in recounted.items() if k[1] == sscc_key(777_777)) == (21 + 20) * 2
    for lot in ("LA", "LB", "LC"):  # LA's case 12 now travels with LB's pallets 30 and 31
        counted, items = _both(runtime, RecallCriteria(gtin=GTIN, lots=(lot,)))
        assert counted is not None and counted == items
    with runtime.db.transaction() as session:
        brand_id = brand_by_slug(session, "acme").id
        first = item_key(world.case_items[301][0])
        for key in (first, first, item_key(world.case_items[400][1])):  # a second verification changes nothing
            session.add(Verification(brand_id=brand_id, unit_key=key, audit_group="consumer",
                                     client_hash=b"1" * 16, verdict="genuine"))
            session.flush()
    assert _stored(runtime) == _recount(runtime)
    with runtime.db.transaction() as session:  # one statement, three rows of one unit: it moves once
        session.execute(insert(Verification), [
            {"brand_id": brand_id, "unit_key": item_key(world.case_items[402][0]), "audit_group": "consumer",
             "client_hash": b"2" * 16, "verdict": "genuine"} for _ in range(3)])
    assert _stored(runtime) == _recount(runtime)
    verified = {k: n for k, n in _stored(runtime).items() if k[7]}
    assert sum(verified.values()) == 5  # the two from recall_world and the three units above
    with runtime.db.transaction() as session:
        session.execute(delete(EpcState).where(EpcState.epc_key == item_key(world.case_items[500][0])))
    recounted = _recount(runtime)
    assert _stored(runtime) == recounted and sum(recounted.values()) == 1999
    stored, counted = _unit_counts(runtime)
    assert stored == counted and sum(stored.values()) == 2000
    with runtime.db.transaction() as session:  # units that change lot, or go
        session.execute(text("UPDATE unit SET lot_id = (SELECT min(lot_id) FROM unit) WHERE serial IN ('1000600', '1000601')"))
        session.execute(text("DELETE FROM unit WHERE serial = '1000602'"))
    stored, counted = _unit_counts(runtime)
    assert stored == counted and sum(stored.values()) == 1999


def test_the_item_path_answers_where_counts_cannot(runtime) -> None:
    world = build(runtime, per_case=2)
    # A unit of lot LB that no event named: the counts would miss it.
    with runtime.db.transaction() as session:
        brand_id = brand_by_slug(session, "acme").id
        job_unit = session.execute(text("SELECT lot_id, mint_job_id FROM unit WHERE serial = :s"),
                                   {"s": str(world.case_items[400][0])}).one()
        session.execute(text("INSERT INTO unit (brand_id, lot_id, mint_job_id, gtin, serial, kid, state, created_at)"
                             " VALUES (:b, :l, :j, :g, '77', 'test', 'active', CURRENT_TIMESTAMP)"),
                        {"b": brand_id, "l": job_unit[0], "j": job_unit[1], "g": GTIN})
    counted, items = _both(runtime, RecallCriteria(gtin=GTIN, lots=("LB",)))
    assert counted is None and sum(n for *_, n in items) == _expected_total(world, "LB") + 1
    assert _both(runtime, RecallCriteria(gtin=GTIN, lots=("LA",)))[0] is not None
    # An item used as a container (a GTIN-keyed parent): only the item path knows its contents.
    capture_document(runtime.db, "acme", _doc([
        _event("AggregationEvent", "2026-11-09T08:00:00+08:00", parentID=item(world.case_items[10][0]),
               childEPCs=[item(world.case_items[11][0])], action="ADD", bizStep="packing",
               disposition="in_progress", readPoint={"id": "urn:epc:id:sgln:9506000.13435.0"})]), captured_by="test")
    assert _both(runtime, RecallCriteria(gtin=GTIN, lots=("LA",)))[0] is None
