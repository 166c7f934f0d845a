"""The verification row and its ledger entry, as each database writes them (PostgreSQL: one statement)."""

from __future__ import annotations

from sqlalchemy import select

from scan_fixtures import T0, minted
from trace.db.catalog import Brand
from trace.db.consumer import Verification
from trace.db.ledger import LedgerEntry
from trace.domain.scan import AuditGroup, Flag, ScanPlace, ScanVerdict
from trace.ledger.hashing import hash_leaf
from trace.services import scan_record


def test_verification_and_its_ledger_entry_are_written_together(runtime) -> None:
    minted(runtime, 1)
    flags = (Flag("travel", ScanVerdict.POSSIBLE_COPY, "扫描于 上海 and Paris, 9,000 km in 1 h"),)
    with runtime.db.transaction() as session:
        brand_id = session.scalar(select(Brand.id).where(Brand.slug == "acme"))
        recorded = scan_record.record_verification(
            session, brand_id=brand_id, unit_key="0109520123456788" + "21ABC", now=T0, audit_group=AuditGroup.CONSUMER,
            place=ScanPlace(region="FR", latitude=48.9, longitude=2.4), client=b"\x01" * 16,
            verdict=ScanVerdict.POSSIBLE_COPY, flags=flags)
    with runtime.db.reading() as session:
        row = session.get(Verification, recorded.id)
        entry = session.scalars(select(LedgerEntry).where(LedgerEntry.ref == f"verification:{recorded.id}")).one()
    assert (row.unit_key, row.verified_at, row.region, row.latitude, row.longitude, bytes(row.client_hash),
            row.verdict) == ("0109520123456788" + "21ABC", T0, "FR", 48.9, 2.4, b"\x01" * 16, "possible_copy")
    expected = (
        f"tracemark-verification/1\nid={recorded.id}\nunit=010952012345678821ABC\n"
        "verified_at=2026-12-01T08:00:00.000000+00:00\naudit_group=consumer\nregion=FR\nverdict=possible_copy\n"
        'flags=[{"rule":"travel","verdict":"possible_copy","reason":"扫描于 上海 and Paris, 9,000 km in 1 h"}]\n'
    ).encode()
    assert (entry.brand_id, entry.kind, bytes(entry.entry), bytes(entry.leaf_hash)) == (
        brand_id, "verification", expected, hash_leaf(expected))
    assert scan_record.verification_entry(row).entry == expected
