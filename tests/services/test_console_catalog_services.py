"""What the console's products, lots and keys pages read: codes per product and lot, codes by
state, items recalled now, codes per signing key; every answer scoped to one brand."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import update

from codegen.mint_job import MintRequest, mint
from support.epcis_events import document, object_event
from support.factories import seeded_catalog
from trace.db.units import Unit
from trace.errors import Conflict, NotFound
from trace.services import catalog, lot_codes, signing_keys
from trace.services.capture import capture_document

TODAY = date(2026, 11, 25)


def _mint(rt, gtin: str, lot: str, count: int) -> list[str]:
    out = io.StringIO()
    mint(rt.db, rt.key_store, MintRequest(gtin=gtin, lot=lot, count=count, output_format="csv", out=None,
                                          requested_by="test"), stdout=out)
    return [row["serial"] for row in csv.DictReader(io.StringIO(out.getvalue()))]


@pytest.fixture
def two_brands(runtime):
    cat = seeded_catalog(runtime)
    catalog.add_lot(runtime.db, gtin=cat.gtin, lot="OLD-1", produced_on=date(2024, 1, 2), expires_on=date(2025, 1, 2))
    catalog.add_product(runtime.db, brand="acme", gtin="09506000134369", name="Oolong 100 g")
    seeded_catalog(runtime, slug="other", gtin="09506000134376", lot="O-1", domain="https://id.other.example")
    serials = _mint(runtime, cat.gtin, cat.lot, 5) + _mint(runtime, cat.gtin, cat.lot, 3)
    _mint(runtime, cat.gtin, "OLD-1", 2)
    _mint(runtime, "09506000134376", "O-1", 4)
    return cat, serials


def test_products_and_lots_count_the_brands_codes(runtime, two_brands) -> None:
    cat, _ = two_brands
    rows = lot_codes.products(runtime.db, "acme")
    assert [(p.product.gtin, p.product.name, p.lots, p.codes) for p in rows] == [
        ("09506000134352", "Longjing Green Tea 250 g", 2, 10), ("09506000134369", "Oolong 100 g", 0, 0)]
    product, lots = lot_codes.lots(runtime.db, "acme", "9506000134352", today=TODAY)  # GTIN-13 accepted
    assert product.gtin == cat.gtin
    assert [(x.lot.lot, x.codes, x.mint_jobs, x.status) for x in lots] == [
        ("OLD-1", 2, 1, "expired"), (cat.lot, 8, 2, "current")]
    assert [p.product.gtin for p in lot_codes.products(runtime.db, "other")] == ["09506000134376"]
    with pytest.raises(NotFound, match="brand 'other' has no product with GTIN 09506000134352"):
        lot_codes.lots(runtime.db, "other", cat.gtin, today=TODAY)


def test_lot_detail_counts_codes_by_state_and_items_recalled_now(runtime, two_brands) -> None:
    cat, serials = two_brands
    with runtime.db.transaction() as session:
        session.execute(update(Unit).where(Unit.serial == serials[0]).values(state="voided"))
        session.execute(update(Unit).where(Unit.serial.in_(serials[1:3])).values(state="reserved"))
    capture_document(runtime.db, "acme", document([object_event(
        "2026-11-20T10:00:00+08:00", [f"https://id.gs1.org/01/{cat.gtin}/21/{s}" for s in serials[3:5]],
        step="holding", disposition="recalled")]), captured_by="test")
    detail = lot_codes.lot_detail(runtime.db, "acme", cat.gtin, cat.lot, today=TODAY)
    assert (detail.summary.lot.lot, detail.summary.codes, detail.summary.mint_jobs, detail.summary.status) == (
        cat.lot, 8, 2, "current")
    assert detail.by_state == {"commissioned": 5, "reserved": 2, "voided": 1}
    assert detail.recalled == 2
    old = lot_codes.lot_detail(runtime.db, "acme", cat.gtin, "OLD-1", today=TODAY)
    assert (old.by_state, old.recalled, old.summary.status) == ({"commissioned": 2, "reserved": 0, "voided": 0}, 0,
                                                                "expired")
    with pytest.raises(NotFound, match="unknown lot 'NOPE' for GTIN 09506000134352"):
        lot_codes.lot_detail(runtime.db, "acme", cat.gtin, "NOPE", today=TODAY)
    with pytest.raises(NotFound, match="brand 'other' has no product"):
        lot_codes.lot_detail(runtime.db, "other", cat.gtin, cat.lot, today=TODAY)


def test_add_lot_for_a_brand_refuses_another_brands_product(runtime, two_brands) -> None:
    cat, _ = two_brands
    with pytest.raises(NotFound, match="brand 'other' has no product with GTIN 09506000134352"):
        catalog.add_lot(runtime.db, brand="other", gtin=cat.gtin, lot="X-1", produced_on=date(2026, 1, 1))
    assert [x.lot for x in catalog.list_lots(runtime.db, cat.gtin)] == ["OLD-1", cat.lot]
    added = catalog.add_lot(runtime.db, brand="acme", gtin=cat.gtin, lot="X-1", produced_on=date(2026, 1, 1))
    assert (added.brand, added.lot) == ("acme", "X-1")
    with pytest.raises(Conflict, match="lot 'X-1' already exists for GTIN 09506000134352"):
        catalog.add_lot(runtime.db, brand="acme", gtin=cat.gtin, lot="X-1", produced_on=date(2026, 1, 1))


def test_codes_signed_per_key_survive_rotation(runtime, two_brands) -> None:
    cat, _ = two_brands
    first = cat.kid
    new = signing_keys.rotate_key(runtime.db, runtime.key_store, "acme").kid
    _mint(runtime, cat.gtin, cat.lot, 7)
    assert signing_keys.codes_signed(runtime.db, "acme") == {first: 10, new: 7}
    assert list(signing_keys.codes_signed(runtime.db, "other").values()) == [4]
