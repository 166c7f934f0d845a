"""Re-creating the signed URL of an existing unit (a reprint, the demo's sample code).

Ed25519 signatures are deterministic (RFC 8032 §5.1.6), so signing the same message with
the unit's own key gives back exactly the code that was printed.
"""

from __future__ import annotations

from trace.crypto import KeyStore, sign_code
from trace.db.database import Database
from trace.errors import NotFound
from trace.identifiers import DigitalLink, Gtin
from trace.services.brands import get_brand
from trace.services.units import find_unit


def signed_url_for_unit(db: Database, key_store: KeyStore, *, gtin: str, serial: str) -> str:
    gtin14 = Gtin.parse(gtin).value
    unit = find_unit(db, gtin14, serial)
    if unit is None:
        raise NotFound(f"unknown unit: GTIN {gtin14} serial {serial!r} was never minted")
    brand = get_brand(db, unit.brand)
    signature = sign_code(key_store.load(unit.kid), brand=unit.brand, gtin14=gtin14, lot=unit.lot, serial=serial)
    link = DigitalLink.build(stem=brand.domain, gtin=gtin14, lot=unit.lot, serial=serial,
                             attributes=(("8030", signature),))
    return link.as_uri()
