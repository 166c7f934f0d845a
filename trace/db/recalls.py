"""Recalls and the units each one names.

``recall`` holds what was selected (the criteria, as JSON), why, by whom, and its life
(draft → active → closed). ``recall_unit`` is the blast radius frozen at start: one row
per affected object with its status and location at that moment and the recall event
that named it. It is not history (the events are): a correction sets ``excluded_at``
beside the EPCIS errorDeclaration that records it, and closing snapshots ``recovered_at``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trace.db.base import Base, UtcDateTime, utc_now


class Recall(Base):
    __tablename__ = "recall"
    __table_args__ = (UniqueConstraint("brand_id", "reference"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"), index=True)
    reference: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
    criteria: Mapped[str] = mapped_column(Text)
    """JSON of :class:`trace.services.recall_criteria.RecallCriteria`."""
    status: Mapped[str] = mapped_column(String(10), default="draft")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    closed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class RecallUnit(Base):
    __tablename__ = "recall_unit"
    __table_args__ = (Index("ix_recall_unit_recall_id_location_at_start", "recall_id", "location_at_start"),)

    recall_id: Mapped[int] = mapped_column(ForeignKey("recall.id"), primary_key=True)
    epc_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    uri: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(10))
    """item (SGTIN), case or pallet (SSCC; a pallet holds other SSCCs), other."""
    status_at_start: Mapped[str] = mapped_column(String(20))
    location_at_start: Mapped[str | None] = mapped_column(String(300), nullable=True)
    custodian_at_start: Mapped[str | None] = mapped_column(String(300), nullable=True)
    disposition_at_start: Mapped[str | None] = mapped_column(String(300), nullable=True)
    event_id: Mapped[str | None] = mapped_column(String(300), nullable=True)
    """eventID of the recall ObjectEvent that named this unit."""
    recovered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    excluded_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
