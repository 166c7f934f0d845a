"""Identified units (one row per minted code) and the mint jobs that commissioned them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trace.db.base import Base, BigId, UtcDateTime, utc_now


class MintJob(Base):
    """One minting batch: the commissioning record of every unit it created."""

    __tablename__ = "mint_job"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id"), index=True)
    kid: Mapped[str] = mapped_column(String(16))
    count: Mapped[int] = mapped_column(Integer)
    output_format: Mapped[str] = mapped_column(String(10))
    requested_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Unit(Base):
    """Any identified thing: an item (SGTIN = GTIN + serial) today; cases and pallets later."""

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("gtin", "serial"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id"), index=True)
    mint_job_id: Mapped[int] = mapped_column(ForeignKey("mint_job.id"), index=True)
    gtin: Mapped[str] = mapped_column(String(14))
    serial: Mapped[str] = mapped_column(String(20))
    kid: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
