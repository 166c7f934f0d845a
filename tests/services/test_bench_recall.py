"""`tracemark bench recall`, briefly, on PostgreSQL (the bench needs it): the radius of lot
B1 and of supplier lot S1 is exactly the pallet holding their items, and the counts the
dataset's load left behind (kept by the triggers) equal a recomputation."""

from __future__ import annotations

from sqlalchemy import text

from trace.db.database import Database
from trace.db.models import Base
from trace.services.bench_recall import bench_recall

_RECOUNT = """SELECT COALESCE(s.root_key, ''), COALESCE(s.lot_id, 0), COALESCE(s.biz_step, ''),
  COALESCE(s.disposition, ''), COALESCE(s.biz_location, s.read_point, ''),
  CASE WHEN substr(s.epc_key, 1, 2) = '01' AND substr(s.epc_key, 17, 2) = '21' THEN 'item' ELSE 'other' END,
  EXISTS (SELECT 1 FROM verification v WHERE v.brand_id = s.brand_id AND v.unit_key = s.epc_key), count(*)
  FROM epc_state s WHERE s.brand_id = :b AND substr(s.epc_key, 1, 2) <> '00' GROUP BY 1, 2, 3, 4, 5, 6, 7"""
_STORED = ("SELECT root_key, lot_id, biz_step, disposition, location, kind, verified, n FROM item_state_count"
           " WHERE brand_id = :b AND n <> 0")


def test_bench_recall_counts_the_pallet_of_the_lot(postgres_migrated: str) -> None:
    db = Database.from_url(postgres_migrated)
    try:
        # 4,000 items in 80 cases on 2 pallets; lots B0-B3 of 1,000. B1 (items 1,000-1,999) and
        # S1 (B0 + B1) are both the 40 cases of pallet 0 with its 2,000 items, of which items 0
        # and 1,000 were verified; pallet 0 stands at the receiving site.
        result = bench_recall(database_url=postgres_migrated, items=4_000, lot_size=1_000)
        assert (result.bare_count, result.lot_units, result.supplier_lot_units) == (1_000, 2_041, 2_041)
        assert result.lot_by_status == {"in_warehouse": 2_039, "in_transit": 0, "at_retailer": 0, "sold": 0,
                                        "verified": 2}
        assert result.lot_seconds > 0 and result.supplier_lot_seconds > 0 and result.bare_count_seconds > 0
        with db.engine.connect() as conn:
            brand_id = conn.execute(text("SELECT id FROM brand WHERE slug = :s"), {"s": result.dataset}).scalar()
            stored = sorted(tuple(row) for row in conn.execute(text(_STORED), {"b": brand_id}))
            assert stored == sorted(tuple(row) for row in conn.execute(text(_RECOUNT), {"b": brand_id}))
            assert sum(row[-1] for row in stored) == 4_000
            units = conn.execute(text("SELECT lot_id, count(*) FROM unit WHERE brand_id = :b GROUP BY lot_id"),
                                 {"b": brand_id}).all()
            counted = conn.execute(text("SELECT c.lot_id, c.n FROM lot_unit_count c JOIN lot l ON l.id = c.lot_id"
                                        " JOIN product p ON p.id = l.product_id WHERE p.brand_id = :b"),
                                   {"b": brand_id}).all()
            assert sorted(counted) == sorted(units) and len(units) == 4
    finally:
        with db.engine.begin() as conn:  # what the database_url fixture does after each test
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            tables = ", ".join(t.name for t in reversed(Base.metadata.sorted_tables))
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.dispose()
