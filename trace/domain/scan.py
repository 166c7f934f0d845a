"""What a consumer's scan produces: the contract between the risk engine (verify/), the scan
service (trace/services/consumer_scan.py) and the public page (consumer_site/).

Judgements compose: each risk rule returns :class:`Pass` or :class:`Flag`; the engine
turns the flags into one :class:`ScanVerdict` (the most serious wins, see ``SEVERITY``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any


class ScanVerdict(str, Enum):
    """What the consumer is told, most serious last in ``SEVERITY``."""

    GENUINE = "genuine"                    # first genuine consumer verification
    VERIFIED_BEFORE = "verified_before"    # genuine, verified N times before (show when/where first)
    NOT_RELEASED = "not_released"          # scanned before it left the warehouse
    EXPIRED = "expired"
    OUTSIDE_MARKET = "outside_market"      # scanned outside its intended sales region (diversion)
    POSSIBLE_COPY = "possible_copy"        # too many scans, impossible travel, NFC counter replay
    RECALLED = "recalled"
    UNKNOWN = "unknown"                    # valid-looking, never minted / not commissioned
    FORGED = "forged"                      # signature invalid, unknown or revoked key


SEVERITY: tuple[ScanVerdict, ...] = tuple(ScanVerdict)


class AuditGroup(str, Enum):
    """Who scanned: staff and inspector scans never use up the consumer's first verification."""

    CONSUMER = "consumer"
    RETAIL_STAFF = "retail_staff"
    INSPECTOR = "inspector"


@dataclass(frozen=True, slots=True)
class Pass:
    rule: str


@dataclass(frozen=True, slots=True)
class Flag:
    """A rule's finding: the verdict it argues for, why, and the evidence (scans, times, regions)."""

    rule: str
    verdict: ScanVerdict
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)
    alert: str | None = None
    """Alert kind to raise (e.g. "copy", "diversion", "nfc_replay"), or None for no alert."""


Judgement = Pass | Flag


@dataclass(frozen=True, slots=True)
class ScanPlace:
    """Coarse place of a scan: a region code (ISO 3166-1/2, e.g. "CN", "CN-31") and rounded coordinates."""

    region: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class PriorScan:
    verified_at: datetime
    place: ScanPlace
    audit_group: AuditGroup


@dataclass(frozen=True, slots=True)
class JourneyStep:
    time: datetime
    biz_step: str | None
    disposition: str | None
    location: str | None
    ledger_ref: str | None


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """Everything the page (or JSON) shows for one scan."""

    verdict: ScanVerdict
    flags: tuple[Flag, ...]
    url: str
    brand: str | None = None
    brand_name: str | None = None
    gtin: str | None = None
    lot: str | None = None
    serial: str | None = None
    product_name: str | None = None
    product_description: str | None = None
    product_image: str | None = None
    story_markdown: str | None = None
    produced_on: date | None = None
    expires_on: date | None = None
    qc_documents: tuple[tuple[str, str], ...] = ()
    journey: tuple[JourneyStep, ...] = ()
    previous_consumer_scans: int = 0
    first_scan: PriorScan | None = None
    coupon: str | None = None
    campaign_offer: str | None = None
    ledger_proof: str | None = None
    """URL of the inclusion proof of the events shown (the ledger)."""
