"""What the public side records: verifications, alerts and their webhooks, campaigns, coupons, leads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trace.db.base import Base, BigId, UtcDateTime, utc_now


class Verification(Base):
    """One presented code: when, roughly where, by which audit group, with what verdict."""

    __tablename__ = "verification"
    __table_args__ = (Index("ix_verification_brand_id_unit_key_verified_at", "brand_id", "unit_key", "verified_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"))
    unit_key: Mapped[str] = mapped_column(String(100))
    verified_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    audit_group: Mapped[str] = mapped_column(String(20))
    region: Mapped[str | None] = mapped_column(String(20), nullable=True)
    latitude: Mapped[float | None] = mapped_column(nullable=True)
    longitude: Mapped[float | None] = mapped_column(nullable=True)
    client_hash: Mapped[bytes] = mapped_column(LargeBinary(16))
    verdict: Mapped[str] = mapped_column(String(30))
    flags: Mapped[str] = mapped_column(Text, default="[]")
    ledger_entry_id: Mapped[int | None] = mapped_column(BigId, nullable=True)


class Alert(Base):
    __tablename__ = "alert"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    unit_key: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(15), default="open")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Webhook(Base):
    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    secret_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    kinds: Mapped[str] = mapped_column(String(300), default="*")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class WebhookDelivery(Base):
    __tablename__ = "webhook_delivery"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhook.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    payload: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(15), default="pending")
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class SalesChannel(Base):
    """A distributor (party or location id) and the sales region goods shipped to it belong to."""

    __tablename__ = "sales_channel"
    __table_args__ = (UniqueConstraint("brand_id", "party"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"))
    party: Mapped[str] = mapped_column(String(300))
    region: Mapped[str] = mapped_column(String(20))


class RiskPolicyRow(Base):
    """A brand's thresholds for the risk rules (``gtin`` empty), or one product's (its GTIN-14).

    A product's row replaces the brand's as a whole; without either the defaults of
    ``trace.domain.risk.RiskPolicy`` apply.
    """

    __tablename__ = "risk_policy"
    __table_args__ = (UniqueConstraint("brand_id", "gtin"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"))
    gtin: Mapped[str] = mapped_column(String(14), default="")
    max_consumer_verifications: Mapped[int] = mapped_column(Integer)
    travel_speed_kmh: Mapped[float] = mapped_column(Float)
    travel_min_distance_km: Mapped[float] = mapped_column(Float)
    check_expiry: Mapped[bool] = mapped_column(Boolean)
    require_shipped: Mapped[bool] = mapped_column(Boolean)
    genuine_without_events: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Campaign(Base):
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"), index=True)
    gtin: Mapped[str | None] = mapped_column(String(14), nullable=True)
    name: Mapped[str] = mapped_column(String(200))
    offer: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Coupon(Base):
    """A coupon unique to one item, issued on its first genuine consumer verification."""

    __tablename__ = "coupon"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    unit_key: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(40), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    redeemed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Lead(Base):
    """A loyalty signup: stored only with explicit consent; contact encrypted, its keyed hash for dedup."""

    __tablename__ = "lead"
    __table_args__ = (UniqueConstraint("brand_id", "contact_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"))
    contact_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    contact_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    consent_text: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    unit_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    language: Mapped[str] = mapped_column(String(5), default="en")
