"""The demo brand `make run` serves: products, lots, minted codes and their supply chain.

Idempotent: a second run finds the brand and only prints sample codes again.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from datetime import date

from codegen.mint_job import MintRequest, mint
from codegen.demo_supply_chain import simulate
from codegen.reprint import signed_url_for_unit
from trace.crypto import KeyStore
from trace.db.database import Database
from trace.domain.access import Role
from trace.errors import NotFound
from trace.services import brands, catalog, staff
from trace.services.units import first_serial_of_lot

DEMO_BRAND = "demo-tea"
PRODUCTS = (
    ("09506000134352", "West Lake Longjing Green Tea 250 g", "Hand-roasted spring harvest from Hangzhou."),
    ("09506000134369", "Yunnan Pu'er Tea Cake 357 g", "Aged raw pu'er, pressed in Menghai."),
)
LOTS = (
    ("09506000134352", "LJ2026-04A", date(2026, 4, 2), date(2028, 4, 1), "line-1"),
    ("09506000134352", "LJ2026-05B", date(2026, 5, 12), date(2028, 5, 11), "line-2"),
    ("09506000134369", "PE2025-11", date(2025, 11, 20), date(2035, 11, 19), "line-1"),
)


@dataclass(frozen=True, slots=True)
class DemoSample:
    product: str
    lot: str
    url: str


def seed_demo(db: Database, key_store: KeyStore, *, domain: str, codes_per_lot: int = 50) -> list[DemoSample]:
    """Create the demo brand (once) and return one sample code URL per lot."""
    try:
        brands.get_brand(db, DEMO_BRAND)
    except NotFound:
        brands.add_brand(db, key_store, name="Tracemark Demo Tea", domain=domain, slug=DEMO_BRAND)
        for gtin, name, description in PRODUCTS:
            catalog.add_product(db, brand=DEMO_BRAND, gtin=gtin, name=name, description=description)
        for gtin, lot, produced, expires, line in LOTS:
            catalog.add_lot(db, gtin=gtin, lot=lot, produced_on=produced, expires_on=expires, line=line, site="Hangzhou")
            mint(db, key_store, MintRequest(gtin=gtin, lot=lot, count=codes_per_lot, output_format="csv", out=None,
                                            requested_by="demo"), stdout=io.StringIO())
        simulate(db, DEMO_BRAND, [(gtin, lot, produced) for gtin, lot, produced, *_ in LOTS])
    names = {gtin: name for gtin, name, _ in PRODUCTS}
    return [
        DemoSample(product=names[gtin], lot=lot,
                   url=signed_url_for_unit(db, key_store, gtin=gtin, serial=first_serial_of_lot(db, gtin, lot)))
        for gtin, lot, *_ in LOTS
    ]


DEMO_ADMIN = "admin@demo-tea.example"


@dataclass(frozen=True, slots=True)
class DemoLogin:
    brand: str
    email: str
    password: str


def demo_console_login(db: Database) -> DemoLogin:
    """The demo brand's console admin, with a new random password on every call.

    Only the salted hash is stored, so the password can be shown only when it is set: each
    `tracemark demo seed` (development mode only) sets and prints a fresh one.
    """
    password = secrets.token_urlsafe(12)
    try:
        staff.set_password(db, brand=DEMO_BRAND, email=DEMO_ADMIN, password=password)
    except NotFound:
        staff.add_staff(db, brand=DEMO_BRAND, email=DEMO_ADMIN, role=Role.ADMIN, password=password)
    return DemoLogin(brand=DEMO_BRAND, email=DEMO_ADMIN, password=password)
