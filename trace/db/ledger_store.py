"""The SQL side of the stored ledger: locks, entries, leaves, nodes, heads, checkpoints.

Sequencing, Trillian-style: writers only add ``ledger_entry`` rows inside their own
transaction, holding a *shared* per-brand lock; the sequencer takes the *exclusive* lock
for one batch at a time, numbers every entry committed since the last batch, and writes
their leaves and the new perfect nodes. Writers never wait for each other, and the
sequencer pays one lock per batch, not per event. The shared lock makes "every entry
with an id above the last sequenced one" safe: no writer can still be holding a lower id
uncommitted when the sequencer looks. SQLite has one writer at a time anyway (our write
transactions begin IMMEDIATE), so the locks are no-ops there.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, text, tuple_
from sqlalchemy.orm import Session

from trace.db.base import utc_now
from trace.db.ledger import LedgerCheckpoint, LedgerEntry, LedgerLeaf, LedgerLog, LedgerNode

LOCK_CLASS = 7301  # pg advisory lock namespace for ledgers: (LOCK_CLASS, brand_id)


@dataclass(frozen=True, slots=True)
class NewEntry:
    kind: str
    ref: str
    entry: bytes


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_for_append(session: Session, brand_id: int) -> None:
    if _is_postgres(session):
        session.execute(text("SELECT pg_advisory_xact_lock_shared(:c, :b)"), {"c": LOCK_CLASS, "b": brand_id})


def lock_for_sequencing(session: Session, brand_id: int, *, wait: bool) -> bool:
    """Take the brand's exclusive sequencing lock; False when ``wait`` is off and it is busy."""
    if not _is_postgres(session):
        return True
    if wait:
        session.execute(text("SELECT pg_advisory_xact_lock(:c, :b)"), {"c": LOCK_CLASS, "b": brand_id})
        return True
    return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:c, :b)"), {"c": LOCK_CLASS, "b": brand_id}))


def insert_entries(session: Session, brand_id: int, entries: Sequence[NewEntry]) -> list[int]:
    """Record entries in the caller's transaction; returns their ids in order."""
    if not entries:
        return []
    lock_for_append(session, brand_id)
    now = utc_now()
    rows = [{"brand_id": brand_id, "kind": e.kind, "ref": e.ref, "entry": e.entry, "created_at": now} for e in entries]
    result = session.execute(insert(LedgerEntry).returning(LedgerEntry.id, sort_by_parameter_order=True), rows)
    return [row[0] for row in result]


def head_for_update(session: Session, brand_id: int) -> LedgerLog | None:
    return session.scalar(select(LedgerLog).where(LedgerLog.brand_id == brand_id).with_for_update())


def pending_entries(session: Session, brand_id: int, after_id: int, limit: int) -> list[tuple[int, bytes]]:
    rows = session.execute(
        select(LedgerEntry.id, LedgerEntry.entry)
        .where(LedgerEntry.brand_id == brand_id, LedgerEntry.id > after_id)
        .order_by(LedgerEntry.id).limit(limit)
    )
    return [(row[0], bytes(row[1])) for row in rows]


def count_pending(session: Session, brand_id: int, after_id: int) -> int:
    from sqlalchemy import func

    return session.scalar(
        select(func.count()).select_from(LedgerEntry).where(LedgerEntry.brand_id == brand_id, LedgerEntry.id > after_id)
    ) or 0


def fetch_nodes(session: Session, brand_id: int, addresses: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """Hashes of perfect nodes by (level, index); level 0 are the leaves."""
    leaves = sorted({index for level, index in addresses if level == 0})
    inner = sorted({(level, index) for level, index in addresses if level > 0})
    found: dict[tuple[int, int], bytes] = {}
    if leaves:
        for index, digest in session.execute(
            select(LedgerLeaf.leaf_index, LedgerLeaf.leaf_hash)
            .where(LedgerLeaf.brand_id == brand_id, LedgerLeaf.leaf_index.in_(leaves))
        ):
            found[(0, index)] = bytes(digest)
    if inner:
        for level, index, digest in session.execute(
            select(LedgerNode.level, LedgerNode.node_index, LedgerNode.hash)
            .where(LedgerNode.brand_id == brand_id, tuple_(LedgerNode.level, LedgerNode.node_index).in_(inner))
        ):
            found[(level, index)] = bytes(digest)
    return found


def write_tree(session: Session, brand_id: int, first_index: int, entry_ids: Sequence[int],
               leaf_hashes: Sequence[bytes], nodes: Sequence[tuple[int, int, bytes]]) -> None:
    """Persist a sequenced batch: its leaves and the perfect nodes (level ≥ 1) it completed."""
    leaves = [(brand_id, first_index + i, entry_id, leaf_hashes[i]) for i, entry_id in enumerate(entry_ids)]
    inner = [(brand_id, level, index, digest) for level, index, digest in nodes if level > 0]
    if _is_postgres(session):
        cursor = session.connection().connection.driver_connection.cursor()
        try:
            _copy(cursor, "ledger_leaf (brand_id, leaf_index, entry_id, leaf_hash)", leaves)
            _copy(cursor, "ledger_node (brand_id, level, node_index, hash)", inner)
        finally:
            cursor.close()
        return
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        cursor.executemany("INSERT INTO ledger_leaf (brand_id, leaf_index, entry_id, leaf_hash) VALUES (?, ?, ?, ?)", leaves)
        cursor.executemany("INSERT INTO ledger_node (brand_id, level, node_index, hash) VALUES (?, ?, ?, ?)", inner)
    finally:
        cursor.close()


def _copy(cursor: Any, target: str, rows: Sequence[tuple[Any, ...]]) -> None:
    if not rows:
        return
    # COPY text format; bytea as \\x-hex (PostgreSQL docs: COPY, "Text Format"; bytea hex format).
    lines = "".join("\t".join(f"\\\\x{v.hex()}" if isinstance(v, bytes) else str(v) for v in row) + "\n" for row in rows)
    cursor.copy_expert(f"COPY {target} FROM STDIN", io.StringIO(lines))


def advance_head(head: LedgerLog, *, size: int, root: bytes, last_entry_id: int) -> None:
    head.size = size
    head.root_hash = root
    head.last_entry_id = last_entry_id
    head.updated_at = utc_now()


def leaf_of_entry(session: Session, brand_id: int, ref: str) -> tuple[int, int, bytes] | None:
    """(entry id, leaf index, leaf hash) of the entry named ``ref``; leaf index -1 if unsequenced."""
    row = session.execute(
        select(LedgerEntry.id, LedgerLeaf.leaf_index, LedgerLeaf.leaf_hash)
        .outerjoin(LedgerLeaf, LedgerLeaf.entry_id == LedgerEntry.id)
        .where(LedgerEntry.brand_id == brand_id, LedgerEntry.ref == ref)
    ).first()
    if row is None:
        return None
    return row[0], (-1 if row[1] is None else row[1]), bytes(row[2] or b"")


def add_checkpoint(session: Session, brand_id: int, *, size: int, root: bytes, note: str) -> LedgerCheckpoint:
    row = LedgerCheckpoint(brand_id=brand_id, size=size, root_hash=root, note=note)
    session.add(row)
    session.flush()
    return row


def latest_checkpoint(session: Session, brand_id: int) -> LedgerCheckpoint | None:
    return session.scalar(
        select(LedgerCheckpoint).where(LedgerCheckpoint.brand_id == brand_id).order_by(LedgerCheckpoint.id.desc()).limit(1)
    )


def checkpoints(session: Session, brand_id: int) -> list[LedgerCheckpoint]:
    return list(session.scalars(
        select(LedgerCheckpoint).where(LedgerCheckpoint.brand_id == brand_id).order_by(LedgerCheckpoint.id)
    ))


def stream_leaves(session: Session, brand_id: int, *, chunk: int = 50_000) -> Iterator[list[tuple[int, int, bytes, int, str, bytes]]]:
    """(leaf index, entry id, leaf hash, entry brand, entry kind/ref, entry bytes) in leaf order, in chunks."""
    start = 0
    while True:
        rows = session.execute(
            select(LedgerLeaf.leaf_index, LedgerLeaf.entry_id, LedgerLeaf.leaf_hash, LedgerEntry.brand_id,
                   LedgerEntry.kind, LedgerEntry.ref, LedgerEntry.entry)
            .outerjoin(LedgerEntry, LedgerEntry.id == LedgerLeaf.entry_id)
            .where(LedgerLeaf.brand_id == brand_id, LedgerLeaf.leaf_index >= start)
            .order_by(LedgerLeaf.leaf_index).limit(chunk)
        ).all()
        if not rows:
            return
        yield rows
        start = rows[-1][0] + 1


def nodes_completed_by(session: Session, brand_id: int, first_leaf: int, end_leaf: int,
                       max_level: int) -> Mapping[tuple[int, int], bytes]:
    """Stored nodes (level ≥ 1) whose last leaf lies in [first_leaf, end_leaf)."""
    found: dict[tuple[int, int], bytes] = {}
    for level in range(1, max_level + 1):
        width = 1 << level
        low = (first_leaf + 1 + width - 1) // width - 1  # smallest j with (j+1)·2^level - 1 >= first_leaf
        high = end_leaf // width - 1                      # largest j with (j+1)·2^level - 1 < end_leaf
        if high < low:
            continue
        for index, digest in session.execute(
            select(LedgerNode.node_index, LedgerNode.hash)
            .where(LedgerNode.brand_id == brand_id, LedgerNode.level == level,
                   LedgerNode.node_index >= low, LedgerNode.node_index <= high)
        ):
            found[(level, index)] = bytes(digest)
    return found


def count_nodes(session: Session, brand_id: int) -> int:
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(LedgerNode).where(LedgerNode.brand_id == brand_id)) or 0
