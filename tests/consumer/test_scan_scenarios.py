"""The issue's scenarios through the scan service, on both databases."""

from __future__ import annotations

from datetime import timedelta

import json

from sqlalchemy import func, select

from scan_fixtures import CLIENT, T0, minted, scanner
from support.epcis_events import DC, FACTORY, document, object_event
from trace.db.consumer import Alert, Coupon, Verification, WebhookDelivery
from trace.db.ledger import LedgerEntry
from trace.domain.epcis import parse_identifier
from trace.domain.scan import AuditGroup, ScanPlace, ScanVerdict
from trace.services import ledger, sales_channels
from trace.services.capture import capture_document
from trace.services.consumer_scan import unit_key
from trace.services.ledger_audit import audit

DISTRIBUTOR = "urn:epc:id:pgln:9506000.00001"


def _count(rt, table) -> int:
    with rt.db.reading() as session:
        return session.scalar(select(func.count()).select_from(table))


def _item(code: dict[str, str]) -> str:
    return f"https://id.gs1.org/01/{code['gtin']}/21/{code['serial']}"


def _events(rt, code, *events) -> None:
    capture_document(rt.db, "acme", document(list(events)), captured_by="test")


def test_first_scan_gets_a_coupon_second_is_verified_before(runtime) -> None:
    code = minted(runtime)[0]
    sales_channels.add_campaign(runtime.db, brand="acme", name="Winter", offer="10% off your next tin")
    do = scanner(runtime)
    first = do(code["url"])
    assert first.verdict is ScanVerdict.GENUINE
    assert first.flags == ()
    assert first.coupon is not None and len(first.coupon) == 10
    assert first.campaign_offer == "10% off your next tin"
    assert (first.brand, first.brand_name, first.product_name) == ("acme", "Acme Tea", "Longjing Green Tea 250 g")
    assert (first.gtin, first.lot, first.serial) == (code["gtin"], code["lot"], code["serial"])
    assert first.ledger_proof == "/ledger/acme/proof/inclusion?event=commission%3A1"
    assert first.previous_consumer_scans == 0 and first.first_scan is None

    second = do(code["url"], after=timedelta(minutes=10))
    assert second.verdict is ScanVerdict.VERIFIED_BEFORE
    assert second.coupon is None
    assert second.previous_consumer_scans == 1
    assert second.first_scan is not None
    assert (second.first_scan.verified_at, second.first_scan.place) == (T0, ScanPlace(region="CN-31"))
    assert second.flags[0].reason == "verified 1 time(s) before, first on 2026-12-01T08:00:00+00:00 in CN-31"
    assert _count(runtime, Coupon) == 1
    assert _count(runtime, Alert) == 0


def test_scan_in_another_country_an_hour_later_is_a_possible_copy(runtime) -> None:
    code = minted(runtime)[0]
    do = scanner(runtime)
    assert do(code["url"], region="CN-31").verdict is ScanVerdict.GENUINE
    copy = do(code["url"], region="FR", after=timedelta(hours=1))
    assert copy.verdict is ScanVerdict.POSSIBLE_COPY
    assert [f.rule for f in copy.flags] == ["impossible_travel", "repeat_scans"]
    with runtime.db.reading() as session:
        alert = session.scalars(select(Alert)).one()
    assert (alert.kind, alert.unit_key, alert.status) == ("copy", unit_key(code["gtin"], code["serial"]), "open")
    evidence = json.loads(alert.evidence)
    assert evidence["previous"]["region"] == "CN-31" and evidence["current"]["region"] == "FR"
    assert evidence["scan"]["region"] == "FR" and evidence["distance_km"] == 9261.1


def test_staff_scans_do_not_use_up_the_first_verification(runtime) -> None:
    code = minted(runtime)[0]
    sales_channels.add_campaign(runtime.db, brand="acme", name="Winter", offer="gift")
    do = scanner(runtime)
    staff = do(code["url"], group=AuditGroup.RETAIL_STAFF)
    inspector = do(code["url"], group=AuditGroup.INSPECTOR, after=timedelta(minutes=1))
    assert (staff.verdict, staff.coupon, inspector.verdict, inspector.coupon) == (
        ScanVerdict.GENUINE, None, ScanVerdict.GENUINE, None)
    consumer = do(code["url"], after=timedelta(minutes=2))
    assert consumer.verdict is ScanVerdict.GENUINE
    assert consumer.coupon is not None
    with runtime.db.reading() as session:
        groups = list(session.scalars(select(Verification.audit_group).order_by(Verification.id)))
    assert groups == ["retail_staff", "inspector", "consumer"]


def test_recalled_lot_gets_the_recall_verdict_and_its_journey(runtime) -> None:
    code = minted(runtime)[0]
    item = _item(code)
    assert parse_identifier(item).key == unit_key(code["gtin"], code["serial"])
    _events(runtime, code,
            object_event("2026-11-02T08:00:00+08:00", [item], action="ADD", step="commissioning",
                         disposition="active", location=FACTORY),
            object_event("2026-11-03T08:00:00+08:00", [item], step="shipping", disposition="in_transit",
                         read_point=FACTORY),
            object_event("2026-11-20T08:00:00+08:00", [item], step="holding", disposition="recalled", location=DC))
    outcome = scanner(runtime)(code["url"])
    assert outcome.verdict is ScanVerdict.RECALLED
    assert [(s.biz_step, s.disposition) for s in outcome.journey] == [
        ("commissioning", "active"), ("shipping", "in_transit"), ("holding", "recalled")]
    assert outcome.journey[-1].ledger_ref.startswith("epcis:")
    assert outcome.ledger_proof.startswith("/ledger/acme/proof/inclusion?event=epcis%3A")


def test_scan_in_an_unassigned_region_is_a_diversion(runtime) -> None:
    code = minted(runtime)[0]
    item = _item(code)
    sales_channels.set_channel(runtime.db, brand="acme", party=DISTRIBUTOR, region="cn")
    _events(runtime, code, object_event(
        "2026-11-03T08:00:00+08:00", [item], step="shipping", disposition="in_transit", read_point=FACTORY,
        destinationList=[{"type": "possessing_party", "destination": DISTRIBUTOR}]))
    do = scanner(runtime)
    assert do(code["url"], region="CN-44").verdict is ScanVerdict.GENUINE
    outside = do(code["url"], region="HK", after=timedelta(days=2))
    assert outside.verdict is ScanVerdict.OUTSIDE_MARKET
    assert outside.flags[0].reason == "scanned in HK, outside its sales region CN"
    with runtime.db.reading() as session:
        assert [a.kind for a in session.scalars(select(Alert))] == ["diversion"]
    assert _count(runtime, WebhookDelivery) == 0  # no webhook registered: nothing queued


def test_not_released_unit_scanned_by_a_consumer(runtime) -> None:
    code = minted(runtime)[0]
    _events(runtime, code, object_event("2026-11-02T08:00:00+08:00", [_item(code)], action="ADD",
                                        step="commissioning", disposition="active", location=FACTORY))
    staff = scanner(runtime)(code["url"], group=AuditGroup.RETAIL_STAFF)
    assert staff.verdict is ScanVerdict.GENUINE  # staff may scan in the warehouse
    outcome = scanner(runtime)(code["url"], after=timedelta(minutes=1))
    assert outcome.verdict is ScanVerdict.NOT_RELEASED
    assert outcome.flags[0].reason == (f"scanned by a consumer while still at {FACTORY} (bizStep commissioning)")


def test_forged_codes_leave_nothing_stored(runtime) -> None:
    code = minted(runtime)[0]
    entries = _count(runtime, LedgerEntry)
    url = code["url"]
    forged = scanner(runtime)(url[:-1] + ("A" if url[-1] != "A" else "B"))
    assert forged.verdict is ScanVerdict.FORGED
    assert forged.flags[0].rule == "signature"
    assert forged.brand is None and forged.coupon is None
    assert (_count(runtime, Verification), _count(runtime, Alert), _count(runtime, LedgerEntry)) == (0, 0, entries)


def test_client_address_is_never_stored_in_clear(runtime) -> None:
    code = minted(runtime)[0]
    scanner(runtime)(code["url"], lat=31.2345, lon=121.4567)
    scanner(runtime)(code["url"], client="198.51.100.9", after=timedelta(minutes=5))
    with runtime.db.reading() as session:
        rows = list(session.scalars(select(Verification).order_by(Verification.id)))
    first, second = rows
    assert len(first.client_hash) == 16 and first.client_hash != second.client_hash
    stored = repr([getattr(first, c.name) for c in Verification.__table__.columns]).encode()
    assert CLIENT.encode() not in stored and CLIENT.encode() not in bytes(first.client_hash)
    assert bytes(map(int, CLIENT.split("."))) not in bytes(first.client_hash)
    assert (first.latitude, first.longitude, first.region) == (31.2, 121.5, "CN-31")


def test_ledger_audit_rebuilds_verification_entries(runtime) -> None:
    code = minted(runtime)[0]
    do = scanner(runtime)
    do(code["url"])
    do(code["url"], region="FR", after=timedelta(hours=1))
    ledger.sequence(runtime.db, "acme")
    report = audit(runtime.db, "acme")
    with runtime.db.reading() as session:
        refs = list(session.scalars(select(LedgerEntry.ref).where(LedgerEntry.kind == "verification")
                                    .order_by(LedgerEntry.id)))
    assert refs == ["verification:1", "verification:2"]
    assert report.entries_rebuilt == 3  # the commissioning entry and both verifications
    entry = ledger.entry_bytes(runtime.db, "acme", "verification:2").decode()
    assert "verdict=possible_copy" in entry and CLIENT not in entry and "region=FR" in entry
