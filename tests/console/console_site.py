"""The console's test world and browser helpers, shared by the console's browser tests."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from urllib.parse import quote

from sqlalchemy import insert

from codegen.mint_job import MintRequest, mint
from support import browser as browser_helpers
from support.epcis_events import DC, FACTORY, SHOP, aggregation, case, document, object_event
from support.factories import Catalog, seeded_catalog
from trace.db.base import utc_now
from trace.db.consumer import Alert, Verification
from trace.domain.access import Role
from trace.runtime import Runtime
from trace.services import brands, catalog, staff
from trace.services.capture import capture_document
from trace.services.lookups import brand_by_slug

PASSWORD = "console password 1"


def seed_console(runtime: Runtime) -> tuple[Catalog, list[str]]:
    """Brand acme with six minted units in one case at a DC, verifications and an alert; brand
    other; staff admin@acme, viewer@acme and admin@other (all with PASSWORD)."""
    cat = seeded_catalog(runtime)
    out = io.StringIO()
    mint(runtime.db, runtime.key_store, MintRequest(gtin=cat.gtin, lot=cat.lot, count=6, output_format="csv",
                                                    out=None, requested_by="console-test"), stdout=out)
    serials = [row["serial"] for row in csv.DictReader(io.StringIO(out.getvalue()))]
    items = [f"https://id.gs1.org/01/{cat.gtin}/21/{s}" for s in serials]
    capture_document(runtime.db, "acme", document([
        aggregation("2026-11-01T09:00:00+08:00", case(1), items),
        object_event("2026-11-02T10:00:00+08:00", [case(1)], step="receiving", disposition="in_progress",
                     location=DC)]), captured_by="test")
    brands.add_brand(runtime.db, runtime.key_store, name="Other", domain="https://id.other.example", slug="other")
    for slug, email, role in (("acme", "admin@acme.example", Role.ADMIN), ("acme", "viewer@acme.example", Role.VIEWER),
                              ("other", "admin@other.example", Role.ADMIN)):
        staff.add_staff(runtime.db, brand=slug, email=email, role=role, password=PASSWORD)
    now = utc_now()
    with runtime.db.transaction() as session:
        brand_id = brand_by_slug(session, "acme").id
        session.execute(insert(Verification), [
            {"brand_id": brand_id, "unit_key": f"01{cat.gtin}21{serials[i % 3]}", "verified_at": now - timedelta(days=d),
             "audit_group": "g", "region": "CN-ZJ" if i % 2 else "CN-SH", "client_hash": b"0" * 16, "verdict": "genuine"}
            for i, d in enumerate((0, 0, 1, 3, 3, 3, 10))])
        session.add(Alert(brand_id=brand_id, kind="copy", unit_key=f"01{cat.gtin}21{serials[0]}",
                          reason="seen in two cities within an hour", evidence="{}"))
    return cat, serials


def sign_in(browser, base: str, email: str, *, brand: str = "acme", password: str = PASSWORD,
            language: str = "en-US"):
    page = browser_page(browser, language)
    page.goto(f"{base}/console/login")
    page.fill("#brand", brand)
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():  # the session cookie is set by the answer to this post
        page.click("button[type=submit]")
    return page


def browser_page(browser, language: str = "en-US"):
    return browser_helpers.phone_page(browser, language=language)


def shot(page, name: str, database_url: str) -> None:
    backend = database_url.split(":", 1)[0].split("+")[0]
    assert browser_helpers.screenshot(page, f"console-{name}-{backend}").stat().st_size > 5_000


SUPPLIER_LOT = "urn:epc:class:lgtin:9506000.113436.S1"
"""The supplier lot the seeded lot was made from (one TransformationEvent)."""


def seed_supply(runtime: Runtime, cat: Catalog) -> list[str]:
    """On top of :func:`seed_console`: the seeded lot made from supplier lot S1 (a
    TransformationEvent), and lot L2 of line-2 (produced 2026-11-03) with three minted items,
    the first shipped from the DC (in transit), the second sold at the shop, the third never
    scanned. Returns L2's serials."""
    catalog.add_lot(runtime.db, gtin=cat.gtin, lot="L2", produced_on=date(2026, 11, 3), line="line-2")
    out = io.StringIO()
    mint(runtime.db, runtime.key_store, MintRequest(gtin=cat.gtin, lot="L2", count=3, output_format="csv", out=None,
                                                    requested_by="console-test"), stdout=out)
    serials = [row["serial"] for row in csv.DictReader(io.StringIO(out.getvalue()))]
    made = f"urn:epc:class:lgtin:9506000.013435.{quote(cat.lot, safe='')}"
    capture_document(runtime.db, "acme", document([
        {"type": "TransformationEvent", "eventTime": "2026-10-31T08:00:00+08:00", "eventTimeZoneOffset": "+08:00",
         "bizStep": "commissioning", "readPoint": {"id": FACTORY},
         "inputQuantityList": [{"epcClass": SUPPLIER_LOT, "quantity": 120, "uom": "KGM"}],
         "outputQuantityList": [{"epcClass": made, "quantity": 1}]},
        object_event("2026-11-04T09:00:00+08:00", [f"https://id.gs1.org/01/{cat.gtin}/21/{serials[0]}"],
                     step="shipping", disposition="in_transit", read_point=DC),
        object_event("2026-11-05T09:00:00+08:00", [f"https://id.gs1.org/01/{cat.gtin}/21/{serials[1]}"],
                     step="retail_selling", disposition="retail_sold", location=SHOP)]), captured_by="test")
    return serials
