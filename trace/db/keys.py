"""Signing keys (public half only: private halves live in the key store, encrypted), NTAG 424 SUN
master keys (sealed by the key store, never in clear) and API keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trace.db.base import Base, UtcDateTime, utc_now


class SigningKey(Base):
    """A brand's code-signing key; status moves active → retired → (revoked)."""

    __tablename__ = "signing_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"), index=True)
    kid: Mapped[str] = mapped_column(String(16), unique=True)
    algorithm: Mapped[str] = mapped_column(String(20))
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class SunKey(Base):
    """A brand's NTAG 424 DNA SUN master key (AN10922 diversification root), one row per version.

    ``sealed_master_key`` is a ``tmseal1`` token of the 16-byte AES key, sealed by the key
    store for the label ``sun-master-key/<brand slug>/<version>``. Status moves active →
    retired on rotation; retired keys still authenticate the tags programmed with them.
    """

    __tablename__ = "sun_key"
    __table_args__ = (UniqueConstraint("brand_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    sealed_master_key: Mapped[str] = mapped_column(Text)
    system_identifier: Mapped[str] = mapped_column(String(23))
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class ApiKey(Base):
    """An API token, stored as a keyed hash; the clear token is shown once at creation."""

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brand.id"), nullable=True, index=True)
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
