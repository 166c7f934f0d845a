"""A consumer's scan, from the presented URL to the :class:`ScanOutcome` the page shows.

Order matters (DESIGN.md §5, flow 3): the signature is checked first, in memory — a forged
code gets its answer without one database query and leaves nothing stored (hostile input
must not fill tables); then the unit, its current state, its prior scans, the item's
campaign and the brand's risk policy are read (one statement, two when the unit was scanned
before), the risk rules judge, and the verification, its ledger entry, the alerts (webhook
deliveries queued), on a first genuine consumer verification a coupon, and an NFC tag's
counter are written together. On SQLite all of it is one transaction; on PostgreSQL a scan
that writes only its verification and ledger entry does so in one statement on an autocommit
connection (two round trips in all), the others in one transaction. The journey (only for
units with EPCIS events) is read after the commit: it does not change the verdict.

The judging itself lives in ``verify/`` (above this layer): the composition root passes it
in as :class:`ScanJudges`, built by ``verify.scanning.judges``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from sqlalchemy.orm import Session

from trace.db.base import utc_now
from trace.db.database import Database
from trace.db.line import NfcTag
from trace.domain.risk import Judged, RiskPolicy, ScanContext, SignedCode, SunReading, cbv_word
from trace.domain.scan import AuditGroup, Flag, JourneyStep, ScanOutcome, ScanPlace, ScanVerdict
from trace.errors import IdentifierError, SignatureError
from trace.identifiers import DigitalLink
from trace.services import scan_record, tracing
from trace.services.scan_facts import ScanFacts, read_facts

log = logging.getLogger(__name__)

MAX_URL_LENGTH = 2048
_REGION = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,3})?")


@dataclass(frozen=True)
class ScanJudges:
    """The judging half of a scan, supplied by ``verify/`` (see ``verify.scanning.judges``)."""

    signature: Callable[[DigitalLink], SignedCode]
    """Raises SignatureError for a forged code (unknown key, bad signature, revoked key)."""
    risk: Callable[[ScanContext], Judged]
    sun: Callable[[str, str], tuple[bytes, int] | None] | None = None
    """``sun(url, brand)``: (UID, read counter) of an authentic NTAG 424 SUN tap in the URL, judged
    with the signing brand's SUN keys; None when the URL has no SUN parameters; raises
    SignatureError for an inauthentic one."""
    default_policy: RiskPolicy = RiskPolicy()
    """For brands and products without a stored policy (``trace.services.risk_policies``)."""


@dataclass
class ForgedCounter:
    """Forged scans are counted in memory only (never stored): a signal for operators."""

    count: int = 0


FORGED = ForgedCounter()


def coarse_place(region: str | None, latitude: float | None = None, longitude: float | None = None) -> ScanPlace:
    """A place as the scan records it: an ISO 3166 code or nothing, coordinates rounded to 0.1°.

    Anything malformed is dropped, not refused: location is optional and comes from outside.
    """
    code = (region or "").strip().upper()
    lat = lon = None
    if latitude is not None and longitude is not None and -90 <= latitude <= 90 and -180 <= longitude <= 180:
        lat, lon = round(latitude, 1), round(longitude, 1)
    return ScanPlace(region=code if _REGION.fullmatch(code) else None, latitude=lat, longitude=lon)


def unit_key(gtin: str, serial: str) -> str:
    """The GS1 element-string key of an item (as ``epc_state`` and ``verification`` name it)."""
    return f"01{gtin}21{serial}"


def scan(db: Database, judges: ScanJudges, url: str, *, secret: bytes,
         audit_group: AuditGroup | Callable[[str], AuditGroup], place: ScanPlace, client_address: str,
         now: datetime | None = None) -> ScanOutcome:
    """Judge and record one scan of ``url``.

    ``audit_group`` may be a function of the signing brand (a staff API key counts as staff
    only for its own brand); ``secret`` keys the hash of ``client_address``.

    Raises:
        IdentifierError: the URL is not a GS1 Digital Link (a clear 4xx; nothing stored).
    """
    if len(url) > MAX_URL_LENGTH:
        raise IdentifierError(f"invalid code: URL of {len(url)} characters is longer than {MAX_URL_LENGTH}")
    link = DigitalLink.parse(url)
    gtin = link.gtin.value if link.gtin is not None else None
    base = {"url": url, "gtin": gtin, "lot": link.lot, "serial": link.serial}
    try:
        signed = judges.signature(link)
        tap = judges.sun(url, signed.brand) if judges.sun is not None else None
    except SignatureError as exc:
        return _forged(exc, base)
    now = now or utc_now()
    key = unit_key(signed.gtin, signed.serial)
    if not isinstance(audit_group, AuditGroup):
        audit_group = audit_group(signed.brand)
    client = scan_record.client_hash(secret, client_address)
    record = _read_judge_record_autocommit if db.dialect == "postgresql" else _read_judge_record
    try:
        facts, judged, coupon = record(db, judges, signed, key, tap, now=now, place=place, audit_group=audit_group,
                                       client=client)
    except SignatureError as exc:  # the signing brand is gone: nothing to record against
        return _forged(exc, base)
    consumer = [s for s in facts.prior if s.audit_group is AuditGroup.CONSUMER]
    first = facts.first_consumer or (consumer[0] if consumer else None)
    journey, proof = _journey(db, key, facts) if facts.state is not None else ((), facts.commission_ref)
    return ScanOutcome(
        verdict=judged.verdict, flags=judged.flags, url=url, brand=signed.brand, brand_name=facts.brand_name,
        gtin=signed.gtin, lot=signed.lot, serial=signed.serial,
        product_name=facts.unit.product_name if facts.unit else None, **facts.product,
        journey=journey, previous_consumer_scans=facts.consumer_count, first_scan=first,
        coupon=coupon[0] if coupon else None, campaign_offer=coupon[1] if coupon else None,
        ledger_proof=f"/ledger/{quote(signed.brand)}/proof/inclusion?event={quote(proof, safe='')}" if proof else None,
    )


_Recorded = tuple[ScanFacts, Judged, tuple[str, str] | None]


def _read_judge_record(db: Database, judges: ScanJudges, signed: SignedCode, key: str, tap: tuple[bytes, int] | None,
                       *, now: datetime, place: ScanPlace, audit_group: AuditGroup, client: bytes) -> _Recorded:
    """The scan's facts, its judgement and its writes in one transaction; the coupon earned."""
    with db.transaction() as session:
        facts = read_facts(session.connection(), signed, key, tap, now=now)
        judged = _judged(judges, signed, facts, now=now, place=place, audit_group=audit_group)
        return facts, judged, _record(session, signed, key, facts, judged, now=now, place=place,
                                      audit_group=audit_group, client=client)


def _read_judge_record_autocommit(db: Database, judges: ScanJudges, signed: SignedCode, key: str,
                                  tap: tuple[bytes, int] | None, *, now: datetime, place: ScanPlace,
                                  audit_group: AuditGroup, client: bytes) -> _Recorded:
    """PostgreSQL: the same in two round trips for the common scan, each statement committing
    on its own: the facts in one, the verification row with its ledger entry in the other
    (one statement, so atomic). READ COMMITTED gives a transaction no more than that: each
    statement sees what was committed when it began. A scan that writes more (an alert, a
    coupon, an NFC counter) records everything in one transaction instead."""
    with db.autocommit() as connection:
        facts = read_facts(connection, signed, key, tap, now=now)
        judged = _judged(judges, signed, facts, now=now, place=place, audit_group=audit_group)
        if not _writes_more(judged, facts, audit_group):
            scan_record.record_verification_alone(
                connection, brand_id=facts.brand_id, unit_key=key, now=now, audit_group=audit_group, place=place,
                client=client, verdict=judged.verdict, flags=judged.flags)
            return facts, judged, None
    with db.transaction() as session:
        return facts, judged, _record(session, signed, key, facts, judged, now=now, place=place,
                                      audit_group=audit_group, client=client)


def _judged(judges: ScanJudges, signed: SignedCode, facts: ScanFacts, *, now: datetime, place: ScanPlace,
            audit_group: AuditGroup) -> Judged:
    context = ScanContext(signature=signed, unit=facts.unit, state=facts.state, prior_scans=facts.prior, now=now,
                          place=place, audit_group=audit_group, policy=facts.policy or judges.default_policy,
                          sun=facts.sun, consumer_scan_count=facts.consumer_count)
    return judges.risk(context)


def _earns_coupon(judged: Judged, facts: ScanFacts, audit_group: AuditGroup) -> bool:
    return (judged.verdict is ScanVerdict.GENUINE and audit_group is AuditGroup.CONSUMER and facts.consumer_count == 0
            and facts.campaign is not None)


def _advances_counter(judged: Judged, facts: ScanFacts) -> bool:
    return facts.sun is not None and facts.tag_counter_may_advance and judged.verdict is not ScanVerdict.POSSIBLE_COPY


def _writes_more(judged: Judged, facts: ScanFacts, audit_group: AuditGroup) -> bool:
    """Whether the scan writes more than its verification row and ledger entry."""
    return (any(flag.alert is not None for flag in judged.flags) or _earns_coupon(judged, facts, audit_group)
            or _advances_counter(judged, facts))


def _record(session: Session, signed: SignedCode, key: str, facts: ScanFacts, judged: Judged, *, now: datetime,
            place: ScanPlace, audit_group: AuditGroup, client: bytes) -> tuple[str, str] | None:
    """Everything the scan writes, in the caller's transaction; the coupon (code, offer) it earned, if any."""
    row = scan_record.record_verification(
        session, brand_id=facts.brand_id, unit_key=key, now=now, audit_group=audit_group, place=place,
        client=client, verdict=judged.verdict, flags=judged.flags)
    scan_record.raise_alerts(session, brand_id=facts.brand_id, brand=signed.brand, unit_key=key,
                             verification=row, flags=judged.flags)
    coupon = None
    if _earns_coupon(judged, facts, audit_group):
        assert facts.campaign is not None
        code = scan_record.issue_coupon(session, campaign_id=facts.campaign.id, unit_key=key, now=now)
        coupon = (code, facts.campaign.offer) if code else None
    if _advances_counter(judged, facts):
        assert facts.sun is not None
        _advance_counter(session, facts.brand_id, facts.sun)
    return coupon


def _forged(exc: SignatureError, base: dict[str, str | None]) -> ScanOutcome:
    FORGED.count += 1
    log.info("forged code presented: %s", exc)
    return ScanOutcome(verdict=ScanVerdict.FORGED, flags=(Flag("signature", ScanVerdict.FORGED, str(exc)),), **base)


def _journey(db: Database, key: str, facts: ScanFacts) -> tuple[tuple[JourneyStep, ...], str | None]:
    """The unit's events (through its containers) as steps, and the ledger ref of the latest."""
    entries = [e for e in tracing.history_of_key(db, facts.brand_id, key) if not e.erroneous]
    # History names each event's own Event Hash ID: its ledger entry is epcis:<hash>.
    steps = tuple(JourneyStep(time=e.event_time, biz_step=cbv_word(e.biz_step), disposition=cbv_word(e.disposition),
                              location=e.biz_location or e.read_point, ledger_ref=f"epcis:{e.hash_id}")
                  for e in entries)
    latest = next((s.ledger_ref for s in reversed(steps) if s.ledger_ref), None)
    return steps, latest or facts.commission_ref


def _advance_counter(session: Session, brand_id: int, sun: SunReading) -> None:
    tag = session.get(NfcTag, (brand_id, sun.uid), with_for_update=True)
    if tag is not None and (tag.last_counter is None or sun.read_counter > tag.last_counter):
        tag.last_counter = sun.read_counter


__all__ = ["FORGED", "Judged", "ScanJudges", "coarse_place", "scan", "unit_key"]
