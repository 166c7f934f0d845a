"""The production line: code pools reserved for a line, and NFC tags bound to units."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trace.db.base import Base, BigId, UtcDateTime, utc_now


class CodePool(Base):
    """Signed codes reserved for one line, printed offline, reported back (commission/void)."""

    __tablename__ = "code_pool"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id"))
    line: Mapped[str] = mapped_column(String(100))
    kid: Mapped[str] = mapped_column(String(16))
    size: Mapped[int] = mapped_column(Integer)
    low_water_mark: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class PoolCode(Base):
    """One reserved code of a pool, in print order; ``state`` reserved → commissioned | voided."""

    __tablename__ = "pool_code"
    __table_args__ = (UniqueConstraint("pool_id", "sequence"),)

    unit_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    pool_id: Mapped[int] = mapped_column(ForeignKey("code_pool.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(15), default="reserved")
    reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class NfcTag(Base):
    """An NTAG 424 DNA bound to a unit at encoding time; the last SUN read counter seen."""

    __tablename__ = "nfc_tag"

    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"), primary_key=True, autoincrement=False)
    uid: Mapped[bytes] = mapped_column(LargeBinary(7), primary_key=True)
    unit_id: Mapped[int] = mapped_column(BigId, unique=True)
    last_counter: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sun_key_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The brand SUN master key version the tag's keys were diversified from (None: programmed elsewhere)."""
    bound_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
