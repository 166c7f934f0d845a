"""EPCIS events as captured, the identifier index, and the current state beside them.

``epcis_event`` is history (append-only: triggers refuse UPDATE/DELETE); an error
declaration is a new row that points at the event it declares erroneous, never an edit.
``epcis_event_epc`` indexes every identifier an event names (by its GS1 element-string
key, so EPC URNs and Digital Links meet), and ``epc_state`` is what a recall or a consumer
page asks first: where each unit is, in what state, inside which container — updated in
the capture transaction, so answers never replay history.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from trace.db.base import Base, BigId, UtcDateTime, utc_now


class EpcisEventRow(Base):
    __tablename__ = "epcis_event"
    __table_args__ = (
        # An error declaration repeats its event's fields, so it shares its Event Hash ID.
        UniqueConstraint("brand_id", "hash_id", "is_error_declaration"),
        Index("ix_epcis_event_brand_id_event_time", "brand_id", "event_time"),
        Index("ix_epcis_event_brand_id_event_id", "brand_id", "event_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"))
    event_id: Mapped[str] = mapped_column(String(300))
    hash_id: Mapped[str] = mapped_column(String(120))
    event_type: Mapped[str] = mapped_column(String(30))
    action: Mapped[str | None] = mapped_column(String(10), nullable=True)
    event_time: Mapped[datetime] = mapped_column(UtcDateTime)
    event_time_zone_offset: Mapped[str] = mapped_column(String(6))
    record_time: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    biz_step: Mapped[str | None] = mapped_column(String(300), nullable=True)
    disposition: Mapped[str | None] = mapped_column(String(300), nullable=True)
    read_point: Mapped[str | None] = mapped_column(String(300), nullable=True)
    biz_location: Mapped[str | None] = mapped_column(String(300), nullable=True)
    is_error_declaration: Mapped[bool] = mapped_column(Boolean, default=False)
    declares_error_of: Mapped[int | None] = mapped_column(BigId, nullable=True, index=True)
    document: Mapped[str] = mapped_column(Text)
    """JSON ``{"context": <document @context>, "event": <event as captured>}``: enough to
    recompute the Event Hash ID and the ledger entry."""
    ledger_entry_id: Mapped[int] = mapped_column(BigId)
    captured_by: Mapped[str] = mapped_column(String(100))


class EpcisEventEpc(Base):
    """One identifier named by one event, in one role (epc, parent, child, input, output, class)."""

    __tablename__ = "epcis_event_epc"
    __table_args__ = (Index("ix_epcis_event_epc_brand_id_epc_key", "brand_id", "epc_key", "event_time"),)

    event_row_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    role: Mapped[str] = mapped_column(String(10), primary_key=True)
    epc_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    brand_id: Mapped[int] = mapped_column(Integer)
    event_time: Mapped[datetime] = mapped_column(UtcDateTime)


class EpcState(Base):
    """The current state of one identified object (item, case, pallet, material lot)."""

    __tablename__ = "epc_state"
    __table_args__ = (# Partial: only objects inside a container are found by it (a lookup by
                      # parent implies parent_key IS NOT NULL), and a lookup by key cannot be
                      # planned on it when statistics are missing (a new database or brand).
                      Index("ix_epc_state_brand_id_parent_key", "brand_id", "parent_key",
                            postgresql_where=text("parent_key IS NOT NULL"),
                            sqlite_where=text("parent_key IS NOT NULL")),
                      # Containers (SSCC keys) by their outermost container: a blast radius
                      # finds the cases on a pallet without reading the items packed in them.
                      Index("ix_epc_state_container_root", "brand_id", "root_key",
                            postgresql_where=text("substr(epc_key, 1, 2) = '00'"),
                            sqlite_where=text("substr(epc_key, 1, 2) = '00'")),
                      # Partial: only items of a known lot pay for an entry when capture writes.
                      Index("ix_epc_state_brand_id_lot_id", "brand_id", "lot_id",
                            postgresql_where=text("lot_id IS NOT NULL"), sqlite_where=text("lot_id IS NOT NULL")))

    brand_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    epc_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    uri: Mapped[str] = mapped_column(String(400))
    last_event_row_id: Mapped[int] = mapped_column(BigId)
    last_event_time: Mapped[datetime] = mapped_column(UtcDateTime)
    biz_step: Mapped[str | None] = mapped_column(String(300), nullable=True)
    disposition: Mapped[str | None] = mapped_column(String(300), nullable=True)
    read_point: Mapped[str | None] = mapped_column(String(300), nullable=True)
    biz_location: Mapped[str | None] = mapped_column(String(300), nullable=True)
    custodian: Mapped[str | None] = mapped_column(String(300), nullable=True)
    parent_key: Mapped[str | None] = mapped_column(String(300), nullable=True)
    intended_region: Mapped[str | None] = mapped_column(String(20), nullable=True)
    """Sales region, set when the object ships to a distributor mapped to one (diversion checks)."""
    root_key: Mapped[str | None] = mapped_column(String(300), nullable=True)
    """The outermost container the object is in (None when in none), kept by capture."""
    lot_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """An item's lot, copied from its unit when the state is written (a recall by lot reads
    the lot's states through this index); None for containers and unknown items."""
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ItemStateCount(Base):
    """How many non-container objects (everything whose key is not an SSCC) share one
    current state, per outermost container (``root_key``) and lot: what a recall preview counts instead of reading
    each item. Kept exact by the database (triggers on ``epc_state`` and ``verification``,
    migration 0011), never written by the application.

    Absent values are stored as ``''`` / ``0`` (unique keys treat NULLs as distinct);
    ``verified`` is whether a consumer verification of the object exists. Rows may hold
    ``n = 0`` after their objects moved on.
    """

    __tablename__ = "item_state_count"
    __table_args__ = (Index("ix_item_state_count_brand_id_lot_id", "brand_id", "lot_id"),)

    brand_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    root_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    lot_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    biz_step: Mapped[str] = mapped_column(String(300), primary_key=True)
    disposition: Mapped[str] = mapped_column(String(300), primary_key=True)
    location: Mapped[str] = mapped_column(String(300), primary_key=True)
    kind: Mapped[str] = mapped_column(String(5), primary_key=True)
    """``item`` (SGTIN) or ``other``."""
    verified: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    n: Mapped[int] = mapped_column(BigId)


class LotUnitCount(Base):
    """How many units each lot has (kept by triggers on ``unit``, migration 0011): with the
    item counts it tells whether every unit of a lot has a state, without counting units."""

    __tablename__ = "lot_unit_count"

    lot_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(BigId)
