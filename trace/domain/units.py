"""Units (identified items) and the records around their minting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum


class UnitState(str, Enum):
    """Life-cycle state of a unit's code (EPCIS dispositions come with the events issue)."""

    COMMISSIONED = "commissioned"
    RESERVED = "reserved"  # drawn into a line's code pool, not yet reported printed
    VOIDED = "voided"  # reserved or printed, then rejected: never valid on a product


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """Everything a verifier needs to know about one stored unit."""

    brand: str
    gtin: str
    serial: str
    lot: str
    kid: str
    state: UnitState
    product_name: str
    produced_on: date
    expires_on: date | None
    minted_at: datetime


@dataclass(frozen=True, slots=True)
class MintContext:
    """What a mint job needs, looked up once before the first code is signed."""

    brand: str
    brand_id: int
    domain: str
    gtin: str
    lot: str
    lot_id: int
    expires_on: date | None
    kid: str
    company_prefix_length: int | None = None


@dataclass(frozen=True, slots=True)
class MintSummary:
    job_id: int
    brand: str
    gtin: str
    lot: str
    count: int
    kid: str
    output_format: str
