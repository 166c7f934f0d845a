"""What the risk rules need to judge one scan, read in one or two round trips.

One statement joins the signing brand, the unit with its lot and product, the unit's current
EPCIS state, the count of its consumer scans, the brand's first active campaign for the item
and the brand's and the product's risk policies; a second one (only when the unit was scanned
before) reads its recent scans and its first consumer scan. Both are built once, at import,
from the mapped tables and, on PostgreSQL, prepared once per connection
(:class:`trace.db.prepared.PreparedSelect`): per scan only parameters travel, and the column
types (UTC datetimes, dates) still convert the results.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from trace.db.base import UtcDateTime
from trace.db.catalog import Brand, Lot, Product
from trace.db.consumer import Campaign, RiskPolicyRow, Verification
from trace.db.events import EpcState
from trace.db.line import NfcTag
from trace.db.prepared import PreparedSelect
from trace.db.units import Unit
from trace.domain.risk import ObjectStatus, RiskPolicy, SignedCode, SunReading, cbv_word
from trace.domain.scan import AuditGroup, PriorScan, ScanPlace
from trace.domain.units import UnitRecord, UnitState
from trace.errors import SignatureError

RECENT_SCANS = 100  # prior scans loaded besides the first consumer one; counts come from SQL
_CONSUMER = AuditGroup.CONSUMER.value

_now = bindparam("now", type_=UtcDateTime)
_campaign_of_item = (
    select(Campaign.id).where(
        Campaign.brand_id == Brand.id, Campaign.active.is_(True),
        or_(Campaign.gtin.is_(None), Campaign.gtin == bindparam("gtin")),
        or_(Campaign.starts_at.is_(None), Campaign.starts_at <= _now),
        or_(Campaign.ends_at.is_(None), Campaign.ends_at > _now))
    .order_by(Campaign.id).limit(1).correlate(Brand).scalar_subquery())
_product_policy = aliased(RiskPolicyRow, name="product_policy")
_brand_policy = aliased(RiskPolicyRow, name="brand_policy")


def _policy_columns(row: type[RiskPolicyRow]) -> tuple:
    return (row.id, row.max_consumer_verifications, row.travel_speed_kmh, row.travel_min_distance_km,
            row.check_expiry, row.require_shipped, row.genuine_without_events)


_unit_scans = and_(Verification.brand_id == Brand.id, Verification.unit_key == bindparam("key"))
_SUMMARY = PreparedSelect("tracemark_scan_summary", (
    select(Brand.id, Brand.name,
           Unit.id, Unit.gtin, Unit.serial, Unit.kid, Unit.state, Unit.created_at, Unit.mint_job_id,
           Lot.lot_number, Lot.produced_on, Lot.expires_on, Lot.qc_documents,
           Product.id, Product.name, Product.description, Product.image_url, Product.story_markdown,
           EpcState.epc_key, EpcState.biz_step, EpcState.disposition, EpcState.biz_location, EpcState.read_point,
           EpcState.parent_key, EpcState.intended_region, EpcState.last_event_time,
           select(func.count()).where(_unit_scans, Verification.audit_group == _CONSUMER)
           .correlate(Brand).scalar_subquery(),
           exists().where(_unit_scans).correlate(Brand),
           Campaign.id, Campaign.offer,
           *_policy_columns(_product_policy), *_policy_columns(_brand_policy))
    .select_from(Brand)
    .outerjoin(Unit, and_(Unit.brand_id == Brand.id, Unit.gtin == bindparam("gtin"),
                          Unit.serial == bindparam("serial")))
    .outerjoin(Lot, Lot.id == Unit.lot_id)
    .outerjoin(Product, Product.id == Lot.product_id)
    .outerjoin(EpcState, and_(EpcState.brand_id == Brand.id, EpcState.epc_key == bindparam("key")))
    .outerjoin(Campaign, Campaign.id == _campaign_of_item)
    .outerjoin(_product_policy, and_(_product_policy.brand_id == Brand.id, _product_policy.gtin == bindparam("gtin")))
    .outerjoin(_brand_policy, and_(_brand_policy.brand_id == Brand.id, _brand_policy.gtin == ""))
    .where(Brand.slug == bindparam("brand"))
), ("brand", "gtin", "serial", "key", "now"))

_SCAN_COLUMNS = (Verification.id, Verification.verified_at, Verification.region, Verification.latitude,
                 Verification.longitude, Verification.audit_group)
_scans_of_unit = (Verification.brand_id == bindparam("brand_id"), Verification.unit_key == bindparam("key"))
_recent = (select(literal(0).label("first"), *_SCAN_COLUMNS).where(*_scans_of_unit)
           .order_by(Verification.verified_at.desc(), Verification.id.desc()).limit(RECENT_SCANS).subquery())
_first = (select(literal(1).label("first"), *_SCAN_COLUMNS).where(*_scans_of_unit, Verification.audit_group == _CONSUMER)
          .order_by(Verification.verified_at, Verification.id).limit(1).subquery())
_PRIOR = PreparedSelect("tracemark_scan_prior", select(union_all(select(_recent), select(_first)).subquery()),
                        ("brand_id", "key"))

_TAG = select(NfcTag.unit_id, NfcTag.last_counter).where(NfcTag.brand_id == bindparam("brand_id"),
                                                         NfcTag.uid == bindparam("uid"))


@dataclass(frozen=True, slots=True)
class ActiveCampaign:
    """The campaign a first genuine consumer verification of the item earns a coupon from."""

    id: int
    offer: str


@dataclass
class ScanFacts:
    brand_id: int
    brand_name: str
    unit: UnitRecord | None
    state: ObjectStatus | None
    prior: tuple[PriorScan, ...]
    first_consumer: PriorScan | None
    consumer_count: int
    product: dict[str, object]
    commission_ref: str | None
    sun: SunReading | None
    tag_counter_may_advance: bool
    policy: RiskPolicy | None
    """The product's stored policy, else the brand's; None when neither is stored."""
    campaign: ActiveCampaign | None


def read_facts(connection: Connection, signed: SignedCode, key: str, tap: tuple[bytes, int] | None, *,
               now: datetime) -> ScanFacts:
    """Everything the rules and the page need about the unit ``key`` signed by ``signed.brand``.

    Raises:
        SignatureError: the signing brand no longer exists (nothing to record against).
    """
    row = _SUMMARY.first(connection, {"brand": signed.brand, "gtin": signed.gtin, "serial": signed.serial,
                                      "key": key, "now": now})
    if row is None:
        raise SignatureError(f"signature made by unknown brand {signed.brand!r}")
    (brand_id, brand_name, unit_id, gtin, serial, kid, unit_state, minted_at, mint_job_id,
     lot_number, produced_on, expires_on, qc_documents, product_id, product_name, description, image_url, story,
     state_key, biz_step, disposition, biz_location, read_point, parent_key, intended_region, last_event_time,
     consumer_count, scanned_before, campaign_id, offer) = row[:30]
    policy = _policy(row[30:37]) or _policy(row[37:44])
    unit = None
    details: dict[str, object] = {}
    commission_ref = None
    if unit_id is not None and product_id is not None and lot_number == signed.lot:
        unit = UnitRecord(brand=signed.brand, gtin=gtin, serial=serial, lot=lot_number, kid=kid,
                          state=UnitState(unit_state), product_name=product_name, produced_on=produced_on,
                          expires_on=expires_on, minted_at=minted_at)
        details = {"product_description": description or None, "product_image": image_url,
                   "story_markdown": story or None, "produced_on": produced_on,
                   "expires_on": expires_on, "qc_documents": qc_document_pairs(qc_documents)}
        commission_ref = f"commission:{mint_job_id}"
    else:
        unit_id = None
    state = None if state_key is None else ObjectStatus(
        biz_step=cbv_word(biz_step), disposition=cbv_word(disposition), location=biz_location or read_point,
        parent=parent_key, intended_region=intended_region, last_event_time=last_event_time)
    prior: tuple[PriorScan, ...] = ()
    first = None
    if scanned_before:
        recent, firsts = [], []
        for r in _PRIOR.rows(connection, {"brand_id": brand_id, "key": key}):
            (firsts if r[0] else recent).append(r)
        recent.sort(key=lambda r: (r[2], r[1]))  # oldest first, as the rules read them
        prior = tuple(_prior(r) for r in recent)
        first = _prior(firsts[0]) if firsts else None
    sun, may_advance = None, False
    if tap is not None:
        uid, counter = tap
        tag = connection.execute(_TAG, {"brand_id": brand_id, "uid": uid}).first()
        if tag is not None:
            sun = SunReading(uid=uid, read_counter=counter, last_seen=tag[1],
                             bound_to_unit=unit_id is not None and tag[0] == unit_id)
            may_advance = sun.bound_to_unit
    return ScanFacts(brand_id=brand_id, brand_name=brand_name, unit=unit, state=state, prior=prior,
                     first_consumer=first, consumer_count=consumer_count or 0, product=details,
                     commission_ref=commission_ref, sun=sun, tag_counter_may_advance=may_advance, policy=policy,
                     campaign=ActiveCampaign(campaign_id, offer) if campaign_id is not None else None)


def _policy(columns) -> RiskPolicy | None:
    row_id, max_verifications, speed, min_distance, check_expiry, require_shipped, without_events = columns
    if row_id is None:
        return None
    return RiskPolicy(max_consumer_verifications=max_verifications, travel_speed_kmh=speed,
                      travel_min_distance_km=min_distance, check_expiry=bool(check_expiry),
                      require_shipped=bool(require_shipped), genuine_without_events=bool(without_events))


def _prior(row) -> PriorScan:
    _, _, verified_at, region, latitude, longitude, group = row
    return PriorScan(verified_at=verified_at, place=ScanPlace(region=region, latitude=latitude, longitude=longitude),
                     audit_group=AuditGroup(group))


def qc_document_pairs(stored: str | None) -> tuple[tuple[str, str], ...]:
    """Lot QC documents as (title, URL) pairs; stored as a JSON list of objects or pairs."""
    try:
        items = json.loads(stored or "[]")
    except ValueError:
        return ()
    documents = []
    for item in items if isinstance(items, list) else ():
        if isinstance(item, Mapping):
            title, url = item.get("title") or item.get("name"), item.get("url")
        elif isinstance(item, list) and len(item) == 2:
            title, url = item
        else:
            continue
        if isinstance(title, str) and isinstance(url, str):
            documents.append((title, url))
    return tuple(documents)


__all__ = ["RECENT_SCANS", "ActiveCampaign", "ScanFacts", "qc_document_pairs", "read_facts"]
