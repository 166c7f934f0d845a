"""What the risk rules look at: one scan in its context, and the brand's policy (pure values).

The scan service gathers a :class:`ScanContext` (signature result, unit, current state, the
prior scans, where and when, who scanned) and the risk engine in ``verify/`` judges it; the
rules never touch the database, so each is a small pure function that tests can feed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from trace.domain.scan import AuditGroup, Flag, PriorScan, ScanPlace, ScanVerdict
from trace.domain.units import UnitRecord


@dataclass(frozen=True, slots=True)
class RiskPolicy:
    """Thresholds of one brand (or one of its products); the defaults suit most brands."""

    max_consumer_verifications: int = 5
    """Consumer verifications an item may have; the next one is a possible copy."""
    travel_speed_kmh: float = 900.0
    """Faster than an airliner between two scans is a copy (two items carry the same code)."""
    travel_min_distance_km: float = 50.0
    """Closer scans are ignored: coarse regions and GPS noise make short distances meaningless."""
    check_expiry: bool = True
    require_shipped: bool = True
    """A consumer scan of a unit that never left the warehouse is "not released"."""
    genuine_without_events: bool = True
    """A unit with no EPCIS event at all (minted only) counts as released: many brands never
    send logistics events, and their consumers must not all be told "not released"."""

    def __post_init__(self) -> None:
        if self.max_consumer_verifications < 1:
            raise ValueError(f"max_consumer_verifications must be at least 1, got {self.max_consumer_verifications}")
        if self.travel_speed_kmh <= 0 or self.travel_min_distance_km < 0:
            raise ValueError("travel speed must be positive and the minimum distance not negative")


@dataclass(frozen=True, slots=True)
class SignedCode:
    """A code whose signature verified: who signed it and what it names."""

    brand: str
    kid: str
    key_status: str
    gtin: str
    lot: str
    serial: str


@dataclass(frozen=True, slots=True)
class ObjectStatus:
    """The unit's current state from ``epc_state`` (CBV words without their URN prefix)."""

    biz_step: str | None
    disposition: str | None
    location: str | None
    parent: str | None
    intended_region: str | None
    last_event_time: datetime | None = None


@dataclass(frozen=True, slots=True)
class SunReading:
    """An authentic NTAG 424 SUN tap: the tag, its counter, the last counter accepted before."""

    uid: bytes
    read_counter: int
    last_seen: int | None
    bound_to_unit: bool = True
    """False when the tag is bound to another unit than the code it was read with."""


@dataclass(frozen=True, slots=True)
class ScanContext:
    """Everything one risk rule may look at for one scan."""

    signature: SignedCode
    unit: UnitRecord | None
    state: ObjectStatus | None
    prior_scans: tuple[PriorScan, ...]
    """Earlier verifications of this unit by every audit group, oldest first."""
    now: datetime
    place: ScanPlace
    audit_group: AuditGroup
    policy: RiskPolicy = field(default_factory=RiskPolicy)
    sun: SunReading | None = None
    consumer_scan_count: int | None = None
    """How many prior consumer scans there are, when ``prior_scans`` holds only the recent ones."""

    @property
    def consumer_scans(self) -> tuple[PriorScan, ...]:
        """Prior scans by consumers only: staff and inspectors never use up a verification."""
        return tuple(s for s in self.prior_scans if s.audit_group is AuditGroup.CONSUMER)

    @property
    def consumer_count(self) -> int:
        return self.consumer_scan_count if self.consumer_scan_count is not None else len(self.consumer_scans)


@dataclass(frozen=True, slots=True)
class Judged:
    """What the risk engine concluded: one verdict and every flag, most serious first."""

    verdict: ScanVerdict
    flags: tuple[Flag, ...]


def cbv_word(value: str | None) -> str | None:
    """``urn:epcglobal:cbv:bizstep:shipping`` or ``https://ref.gs1.org/cbv/BizStep-shipping`` → ``shipping``."""
    if not value:
        return None
    tail = value.rsplit(":", 1)[-1].rsplit("/", 1)[-1]
    return tail.split("-", 1)[1] if tail.startswith(("BizStep-", "Disp-")) else tail
