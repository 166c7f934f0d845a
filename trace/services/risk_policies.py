"""The thresholds the risk rules judge a brand's scans by, stored per brand or per product.

A product's policy replaces the brand's as a whole, the brand's replaces the defaults of
:class:`trace.domain.risk.RiskPolicy`. Setting a policy changes only the values given, over
the policy in force for that scope, so ``--max-consumer-verifications 3`` keeps the rest.
The scan reads the policies with its other facts (``trace.services.scan_facts``): a change
applies to the next scan, in every server process.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from trace.db.base import utc_now
from trace.db.catalog import Brand
from trace.db.consumer import RiskPolicyRow
from trace.db.database import Database
from trace.domain.risk import RiskPolicy
from trace.errors import InvalidInput, NotFound
from trace.identifiers import Gtin
from trace.services.lookups import brand_by_slug, product_by_gtin

POLICY_FIELDS = tuple(f.name for f in fields(RiskPolicy))
MAX_VERIFICATIONS = 1_000_000
MAX_SPEED_KMH = 100_000.0  # far beyond any aircraft: a bound that only catches typing errors
MAX_DISTANCE_KM = 20_000.0  # half the Earth's circumference

Scope = Literal["product", "brand", "default"]


@dataclass(frozen=True, slots=True)
class PolicyView:
    """A policy and where it comes from: stored for the product, for the brand, or the defaults."""

    brand: str
    gtin: str | None
    source: Scope
    policy: RiskPolicy
    updated_at: datetime | None


def _to_policy(row: RiskPolicyRow) -> RiskPolicy:
    return RiskPolicy(**{name: getattr(row, name) for name in POLICY_FIELDS})


def _gtin14(gtin: str | None) -> str | None:
    return Gtin.parse(gtin).value if gtin else None


def _row(session: Session, brand_id: int, gtin: str | None) -> RiskPolicyRow | None:
    return session.scalar(select(RiskPolicyRow).where(RiskPolicyRow.brand_id == brand_id,
                                                      RiskPolicyRow.gtin == (gtin or "")))


def _in_force(session: Session, brand: Brand, gtin: str | None) -> PolicyView:
    scopes: list[tuple[str | None, Scope]] = [(gtin, "product")] if gtin else []
    for scope_gtin, source in [*scopes, (None, "brand")]:
        row = _row(session, brand.id, scope_gtin)
        if row is not None:
            return PolicyView(brand=brand.slug, gtin=scope_gtin, source=source, policy=_to_policy(row),
                              updated_at=row.updated_at)
    return PolicyView(brand=brand.slug, gtin=None, source="default", policy=RiskPolicy(), updated_at=None)


def _product_of_brand(session: Session, brand: Brand, gtin: str) -> None:
    product = product_by_gtin(session, gtin)
    if product.brand_id != brand.id:
        raise NotFound(f"unknown product: brand {brand.slug!r} has no product with GTIN {gtin}")


def _checked(policy: RiskPolicy, changes: dict[str, object]) -> RiskPolicy:
    """``policy`` with ``changes``, refused with one clear message when a value is out of range."""
    unknown = set(changes) - set(POLICY_FIELDS)
    if unknown:
        raise ValueError(f"unknown risk policy fields {sorted(unknown)}; expected some of {list(POLICY_FIELDS)}")
    bounds = {"max_consumer_verifications": (1, MAX_VERIFICATIONS), "travel_speed_kmh": (0.001, MAX_SPEED_KMH),
              "travel_min_distance_km": (0.0, MAX_DISTANCE_KM)}
    for name, value in changes.items():
        if name in bounds:
            low, high = bounds[name]
            integral = name == "max_consumer_verifications"
            if (isinstance(value, bool) or not isinstance(value, int if integral else (int, float))
                    or not math.isfinite(value) or not low <= value <= high):
                kind = "an integer" if integral else "a number"
                raise InvalidInput(f"invalid risk policy {name} {value!r}: expected {kind} from {low:g} to {high:g}")
        elif not isinstance(value, bool):
            raise InvalidInput(f"invalid risk policy {name} {value!r}: expected true or false")
    return replace(policy, **changes)  # type: ignore[arg-type]


def set_policy(db: Database, *, brand: str, gtin: str | None = None, now: datetime | None = None,
               **changes: object) -> PolicyView:
    """Store the policy of ``brand`` (or of its product ``gtin``): ``changes`` over the one in force.

    Raises:
        InvalidInput: a value out of range (nothing stored); IdentifierError for a bad GTIN.
        NotFound: unknown brand, or a GTIN that is not one of the brand's products.
    """
    gtin14 = _gtin14(gtin)
    with db.transaction() as session:
        brand_row = brand_by_slug(session, brand)
        if gtin14 is not None:
            _product_of_brand(session, brand_row, gtin14)
        policy = _checked(_in_force(session, brand_row, gtin14).policy, changes)
        row = _row(session, brand_row.id, gtin14)
        if row is None:
            row = RiskPolicyRow(brand_id=brand_row.id, gtin=gtin14 or "")
            session.add(row)
        for name in POLICY_FIELDS:
            setattr(row, name, getattr(policy, name))
        row.updated_at = now or utc_now()
        session.flush()
        return PolicyView(brand=brand_row.slug, gtin=gtin14, source="product" if gtin14 else "brand", policy=policy,
                          updated_at=row.updated_at)


def policy_in_force(db: Database, *, brand: str, gtin: str | None = None) -> PolicyView:
    """The policy scans of ``brand`` (of its product ``gtin``) are judged by, and its source."""
    gtin14 = _gtin14(gtin)
    with db.reading() as session:
        brand_row = brand_by_slug(session, brand)
        if gtin14 is not None:
            _product_of_brand(session, brand_row, gtin14)
        return _in_force(session, brand_row, gtin14)


def list_policies(db: Database, brand: str) -> list[PolicyView]:
    """The brand's stored policies: its own first, then its products' by GTIN."""
    with db.reading() as session:
        brand_row = brand_by_slug(session, brand)
        rows = session.scalars(select(RiskPolicyRow).where(RiskPolicyRow.brand_id == brand_row.id)
                               .order_by(RiskPolicyRow.gtin))
        return [PolicyView(brand=brand_row.slug, gtin=row.gtin or None, source="product" if row.gtin else "brand",
                           policy=_to_policy(row), updated_at=row.updated_at) for row in rows]


def clear_policy(db: Database, *, brand: str, gtin: str | None = None) -> None:
    """Remove the stored policy of ``brand`` (or of its product): the next level applies again.

    Raises:
        NotFound: nothing is stored for that scope.
    """
    gtin14 = _gtin14(gtin)
    with db.transaction() as session:
        brand_row = brand_by_slug(session, brand)
        row = _row(session, brand_row.id, gtin14)
        if row is None:
            scope = f"product {gtin14}" if gtin14 else "the brand itself"
            raise NotFound(f"no risk policy stored for {scope} of brand {brand_row.slug!r}")
        session.delete(row)


__all__ = ["POLICY_FIELDS", "PolicyView", "clear_policy", "list_policies", "policy_in_force", "set_policy"]
