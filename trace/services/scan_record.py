"""Recording one consumer scan, all in the caller's transaction: the verification row, its
ledger entry, the alerts its flags raise (with webhook deliveries queued) and the coupon of a
first genuine verification. Nothing else a consumer sends is written anywhere.

Privacy: the client's address is kept only as a keyed hash (HMAC-SHA256 with the server
secret, truncated to 16 bytes) — enough to count one client's scans, useless to recover the
address; coordinates are rounded to 0.1° (about 11 km) before they get here.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trace.db.base import utc_now
from trace.db.consumer import Alert, Coupon, Verification
from trace.db.ledger_store import LOCK_CLASS, NewEntry
from trace.db.prepared import PreparedStatement
from trace.domain.scan import AuditGroup, Flag, ScanPlace, ScanVerdict
from trace.services import ledger, webhooks

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
COUPON_LENGTH = 10  # 50 bits: guessing a valid coupon is hopeless at any request rate


def client_hash(secret: bytes, client_address: str) -> bytes:
    """Keyed hash of a client address, truncated to 16 bytes (never stored in clear)."""
    return hmac.new(secret, b"tracemark-client\x00" + client_address.encode("utf-8"), hashlib.sha256).digest()[:16]


@dataclass(frozen=True, slots=True)
class RecordedVerification:
    """The values of a verification row just inserted (no ORM instance: the row never changes)."""

    id: int
    unit_key: str
    verified_at: datetime
    audit_group: str
    region: str | None
    latitude: float | None
    longitude: float | None
    verdict: str
    flags: str


_ENTRY_HEAD = "tracemark-verification/1\nid="


def _entry_tail(unit_key: str, verified_at: datetime, audit_group: str, region: str | None, verdict: str,
                flags: str) -> str:
    """The entry's lines after its ``id=`` value (the id is known only once the row is in)."""
    return (f"\nunit={unit_key}\nverified_at={verified_at.isoformat(timespec='microseconds')}\n"
            f"audit_group={audit_group}\nregion={region or ''}\nverdict={verdict}\nflags={flags}\n")


def verification_entry(row: Verification | RecordedVerification) -> NewEntry:
    """The ledger entry of a verification, rebuilt from its row by audits.

    Neither the client hash nor coordinates go into it: ledger entries are public (inclusion
    proofs carry them), so they hold only what the page shows anyway.
    """
    text = _ENTRY_HEAD + str(row.id) + _entry_tail(row.unit_key, row.verified_at, row.audit_group, row.region,
                                                    row.verdict, row.flags)
    return NewEntry(kind="verification", ref=f"verification:{row.id}", entry=text.encode())


def stored_verification_entry(session: Session, ref: str) -> bytes:
    """Rebuild the ledger entry ``ref`` (``verification:<id>``) from the stored row (for audits)."""
    row = session.get(Verification, int(ref.split(":", 1)[1]))
    return b"" if row is None else verification_entry(row).entry


_INSERT_VERIFICATION = insert(Verification).returning(Verification.id)

# PostgreSQL: the verification row and its ledger entry in one prepared statement and one
# round trip. The entry is the text of :func:`verification_entry` (head, the new row's id,
# tail) and its leaf hash SHA-256(0x00 || entry) as :func:`trace.ledger.hashing.hash_leaf`
# computes it; the shared append lock and the brand's KEY SHARE lock are taken as
# ``trace.db.ledger_store.insert_entries`` takes them, before the entry's id is drawn.
_RECORD_PG = PreparedStatement("tracemark_scan_record", (
    "WITH v AS (INSERT INTO verification (brand_id, unit_key, verified_at, audit_group, region, latitude, longitude, "
    "client_hash, verdict, flags) VALUES ($1::int, $2::varchar, $3::timestamptz, $4::varchar, $5::varchar, "
    "$6::float8, $7::float8, $8::bytea, $9::varchar, $10::text) RETURNING id), "
    f"append_lock AS (SELECT pg_advisory_xact_lock_shared({LOCK_CLASS}, id) FROM brand WHERE id = $1::int "
    "FOR KEY SHARE), "
    "e AS (SELECT v.id, convert_to($11::text || v.id::text || $12::text, 'UTF8') AS entry FROM v, append_lock) "
    "INSERT INTO ledger_entry (brand_id, kind, ref, entry, leaf_hash, created_at) "
    "SELECT $1::int, 'verification', 'verification:' || e.id::text, e.entry, sha256('\\x00'::bytea || e.entry), "
    "$13::timestamptz FROM e RETURNING ref"), 13)


def record_verification(session: Session, *, brand_id: int, unit_key: str, now: datetime, audit_group: AuditGroup,
                        place: ScanPlace, client: bytes, verdict: ScanVerdict,
                        flags: tuple[Flag, ...]) -> RecordedVerification:
    """Insert the verification row and its ledger entry; returns the row's values.

    A plain INSERT ... RETURNING (no unit-of-work flush): the row is append-only, nothing in
    the session ever changes it.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return record_verification_alone(connection, brand_id=brand_id, unit_key=unit_key, now=now,
                                         audit_group=audit_group, place=place, client=client, verdict=verdict,
                                         flags=flags)
    flags_json = _flags_json(flags)
    values = {"brand_id": brand_id, "unit_key": unit_key, "verified_at": now, "audit_group": audit_group.value,
              "region": place.region, "latitude": place.latitude, "longitude": place.longitude, "client_hash": client,
              "verdict": verdict.value, "flags": flags_json}
    row_id = connection.execute(_INSERT_VERIFICATION, values).scalar_one()
    row = RecordedVerification(id=row_id, unit_key=unit_key, verified_at=now, audit_group=audit_group.value,
                               region=place.region, latitude=place.latitude, longitude=place.longitude,
                               verdict=verdict.value, flags=flags_json)
    # The row is append-only (triggers refuse UPDATE), so it does not point back at its entry;
    # the entry names the row ("verification:<id>") and audits rebuild it from there.
    ledger.record(session, brand_id, [verification_entry(row)])
    return row


def record_verification_alone(connection: Connection, *, brand_id: int, unit_key: str, now: datetime,
                              audit_group: AuditGroup, place: ScanPlace, client: bytes, verdict: ScanVerdict,
                              flags: tuple[Flag, ...]) -> RecordedVerification:
    """PostgreSQL: the verification row and its ledger entry in one statement, so it is
    atomic even on an autocommit connection (``Database.autocommit``)."""
    flags_json = _flags_json(flags)
    found = _RECORD_PG.rows(connection, (
        brand_id, unit_key, now, audit_group.value, place.region, place.latitude, place.longitude, client,
        verdict.value, flags_json, _ENTRY_HEAD,
        _entry_tail(unit_key, now, audit_group.value, place.region, verdict.value, flags_json), utc_now()))
    if not found:
        raise ValueError(f"brand {brand_id} does not exist: ledger entries need an existing brand")
    return RecordedVerification(id=int(found[0][0].split(":", 1)[1]), unit_key=unit_key, verified_at=now,
                                audit_group=audit_group.value, region=place.region, latitude=place.latitude,
                                longitude=place.longitude, verdict=verdict.value, flags=flags_json)


def _flags_json(flags: tuple[Flag, ...]) -> str:
    return json.dumps([{"rule": f.rule, "verdict": f.verdict.value, "reason": f.reason} for f in flags],
                      separators=(",", ":"), ensure_ascii=False)


# Built once: a copied code is scanned again and again, and each scan asks this (building
# the statement anew cost more than running it).
_OPEN_ALERT = select(Alert.id).where(
    Alert.brand_id == bindparam("brand_id"), Alert.unit_key == bindparam("unit_key"), Alert.kind == bindparam("kind"),
    Alert.status.in_(("open", "acknowledged"))).limit(1)


def raise_alerts(session: Session, *, brand_id: int, brand: str, unit_key: str, verification: RecordedVerification,
                 flags: tuple[Flag, ...]) -> list[Alert]:
    """One alert per alerting flag, unless the same kind is already open for this unit."""
    raised: list[Alert] = []
    scan = {"verification_id": verification.id, "verified_at": verification.verified_at.isoformat(),
            "region": verification.region, "latitude": verification.latitude, "longitude": verification.longitude,
            "audit_group": verification.audit_group}
    for flag in flags:
        if flag.alert is None:
            continue
        open_already = session.scalar(_OPEN_ALERT, {"brand_id": brand_id, "unit_key": unit_key, "kind": flag.alert})
        if open_already is not None:
            continue
        evidence = {"rule": flag.rule, "verdict": flag.verdict.value, "scan": scan, **flag.evidence}
        alert = Alert(brand_id=brand_id, kind=flag.alert, unit_key=unit_key, reason=flag.reason,
                      evidence=json.dumps(evidence, separators=(",", ":"), ensure_ascii=False, default=str),
                      status="open", created_at=verification.verified_at, updated_at=verification.verified_at)
        session.add(alert)
        session.flush()
        webhooks.queue(session, brand_id, kind=flag.alert, payload={
            "type": f"alert.{flag.alert}", "alert_id": alert.id, "brand": brand, "unit": unit_key,
            "reason": flag.reason, "evidence": evidence, "created_at": verification.verified_at.isoformat()},
            now=verification.verified_at)
        raised.append(alert)
    return raised


def new_coupon_code() -> str:
    return "".join(secrets.choice(CROCKFORD) for _ in range(COUPON_LENGTH))


_COUPON_OF_UNIT = select(Coupon.id).where(Coupon.campaign_id == bindparam("campaign_id"),
                                          Coupon.unit_key == bindparam("unit_key"))


def issue_coupon(session: Session, *, campaign_id: int, unit_key: str, now: datetime) -> str | None:
    """The code of a new coupon of ``campaign_id`` for the item, or None when it already has one.

    The campaign is the item's first active one (read with the scan's facts). Never twice
    for one unit and campaign: the unique constraint decides a race between two first scans
    (the loser gets no coupon), inside a savepoint so the scan itself stays.
    """
    if session.connection().execute(_COUPON_OF_UNIT, {"campaign_id": campaign_id, "unit_key": unit_key}).first():
        return None
    for _ in range(3):  # a code collision (1 in 2^50 per issued coupon) just draws again
        try:
            with session.begin_nested():
                session.add(Coupon(campaign_id=campaign_id, unit_key=unit_key, code=new_coupon_code(), issued_at=now))
        except IntegrityError:
            if session.scalar(select(Coupon.id).where(Coupon.campaign_id == campaign_id, Coupon.unit_key == unit_key)):
                return None
            continue
        code = session.scalar(select(Coupon.code).where(Coupon.campaign_id == campaign_id, Coupon.unit_key == unit_key))
        return code or None
    return None
