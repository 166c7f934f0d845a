"""Tables of the stored ledger: one RFC 9162 tree per brand (like Certificate Transparency's
many logs), so sequencing one brand never waits for another.

- ``ledger_entry``: what was recorded, in the writer's own transaction (append-only);
- ``ledger_leaf`` / ``ledger_node``: the tree, written by the sequencer in batches
  (append-only); an entry's leaf index is the ``ledger_leaf`` row naming its ``entry_id``;
- ``ledger_checkpoint``: every signed tree head ever published (append-only);
- ``ledger_log``: per brand, the origin and key of its checkpoints and the current head
  (size, root, the last entry id sequenced) — the one row the sequencer updates.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trace.db.base import Base, BigId, UtcDateTime, utc_now


class LedgerLog(Base):
    __tablename__ = "ledger_log"

    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"), primary_key=True, autoincrement=False)
    origin: Mapped[str] = mapped_column(String(300), unique=True)
    kid: Mapped[str] = mapped_column(String(16))
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    size: Mapped[int] = mapped_column(BigId, default=0)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    last_entry_id: Mapped[int] = mapped_column(BigId, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class LedgerEntry(Base):
    __tablename__ = "ledger_entry"
    # (brand_id, id): the sequencer's "entries after the last one sequenced" range scan.
    __table_args__ = (UniqueConstraint("brand_id", "ref"), Index("ix_ledger_entry_brand_id_id", "brand_id", "id"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    # No foreign key (a per-row trigger on PostgreSQL, as costly as the rest of the row):
    # the writer checks the brand and locks its row once per batch (ledger_store.insert_entries).
    brand_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    ref: Mapped[str] = mapped_column(String(200))
    entry: Mapped[bytes] = mapped_column(LargeBinary)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))  # RFC 9162 hash of `entry`, made by the writer
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class LedgerLeaf(Base):
    """A sequenced entry. No foreign keys here or in ``ledger_node``, on purpose: only the
    sequencer writes these tables, the audit checks every reference, and PostgreSQL's
    per-row foreign-key triggers made the sequencer's COPY four times slower."""

    __tablename__ = "ledger_leaf"

    brand_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    leaf_index: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    entry_id: Mapped[int] = mapped_column(BigId, unique=True)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class LedgerNode(Base):
    """A perfect subtree above the leaves covering leaves [i·2^level, (i+1)·2^level), stored
    from level 4 up (``ledger_store.LOWEST_STORED_LEVEL``; levels 1 to 3 are hashed again from
    the leaves). No migration removes the level 1 to 3 rows of ledgers sequenced before:
    the append-only triggers refuse the DELETE, and the audit checks those rows."""

    __tablename__ = "ledger_node"

    brand_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    level: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    node_index: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class LedgerCheckpoint(Base):
    __tablename__ = "ledger_checkpoint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"), index=True)
    size: Mapped[int] = mapped_column(BigId)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


APPEND_ONLY_TABLES = ("ledger_entry", "ledger_leaf", "ledger_node", "ledger_checkpoint", "mint_job")
"""Tables whose rows are history: the database refuses UPDATE and DELETE on them."""
