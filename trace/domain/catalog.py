"""What services hand back about brands, products, lots and keys: plain frozen values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class BrandInfo:
    slug: str
    name: str
    domain: str
    active_kid: str | None


@dataclass(frozen=True, slots=True)
class ProductInfo:
    brand: str
    gtin: str
    name: str
    description: str
    image_url: str | None


@dataclass(frozen=True, slots=True)
class LotInfo:
    brand: str
    gtin: str
    lot: str
    produced_on: date
    expires_on: date | None
    line: str | None
    site: str | None


@dataclass(frozen=True, slots=True)
class KeyInfo:
    brand: str
    kid: str
    algorithm: str
    status: str
    created_at: datetime
    retired_at: datetime | None
    revoked_at: datetime | None
