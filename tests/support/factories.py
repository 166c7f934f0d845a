"""Test data per domain: a brand with a product and a lot, ready to mint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from trace.runtime import Runtime
from trace.services import brands, catalog

GTIN = "09506000134352"
LOT = "LOT-2026/11"


@dataclass(frozen=True)
class Catalog:
    brand: str
    kid: str
    gtin: str
    lot: str


def seeded_catalog(rt: Runtime, *, slug: str = "acme", gtin: str = GTIN, lot: str = LOT,
                   domain: str = "https://id.acme.example") -> Catalog:
    info = brands.add_brand(rt.db, rt.key_store, name=f"{slug.title()} Tea", domain=domain, slug=slug)
    catalog.add_product(rt.db, brand=slug, gtin=gtin, name="Longjing Green Tea 250 g")
    catalog.add_lot(rt.db, gtin=gtin, lot=lot, produced_on=date(2026, 11, 1), expires_on=date(2028, 10, 31), line="line-1")
    assert info.active_kid is not None
    return Catalog(brand=slug, kid=info.active_kid, gtin=gtin, lot=lot)
