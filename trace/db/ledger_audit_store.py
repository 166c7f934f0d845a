"""Whole-ledger reads for ``tracemark ledger audit``: columns in bulk, rows only to name a bad one.

Split from trace/db/ledger_store.py (the append path) so each module holds one idea.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from hashlib import sha256
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from trace.db.ledger import LedgerEntry
from trace.db.ledger_store import LOWEST_STORED_LEVEL, autocommit_connection, is_postgres, raw_rows


def leaf_columns(session: Session, brand_id: int) -> tuple[list[int], list[int], list[bytes], list[bool]]:
    """Every leaf of the brand in index order: (indexes, entry ids, leaf hashes, entry matches).

    ``entry matches`` says whether SHA-256(0x00 || entry) equals the stored leaf hash. The
    hash of each entry is recomputed where the entry is: PostgreSQL's ``sha256()`` saves
    shipping every entry to the client; on SQLite the entries are read and hashed here.
    An entry whose row is gone never matches.
    """
    if is_postgres(session):
        # Right after a bulk load the planner has no statistics and may pick a nested loop
        # over millions of rows; this whole-table join wants a hash or merge join.
        session.execute(text("SET LOCAL enable_nestloop = off"))
        rows = raw_rows(
            session,
            "SELECT l.leaf_index, l.entry_id, l.leaf_hash, "
            "COALESCE(sha256(CAST('\\x00' AS bytea) || e.entry) = l.leaf_hash, false) FROM ledger_leaf l "
            "LEFT JOIN ledger_entry e ON e.id = l.entry_id AND e.brand_id = l.brand_id "
            "WHERE l.brand_id = %s ORDER BY l.leaf_index",
            "", (brand_id,),
        )
        if not rows:
            return [], [], [], []
        indexes, entry_ids, hashes, matches = zip(*rows)
        return list(indexes), list(entry_ids), [bytes(h) for h in hashes], list(matches)
    rows = raw_rows(
        session, "",
        "SELECT l.leaf_index, l.entry_id, l.leaf_hash, e.entry FROM ledger_leaf l "
        "LEFT JOIN ledger_entry e ON e.id = l.entry_id AND e.brand_id = l.brand_id "
        "WHERE l.brand_id = ? ORDER BY l.leaf_index",
        (brand_id,),
    )
    if not rows:
        return [], [], [], []
    indexes, entry_ids, hashes, entries = zip(*rows)
    prefix = b"\x00"
    matches = [entry is not None and sha256(prefix + entry).digest() == digest for entry, digest in zip(entries, hashes)]
    return list(indexes), list(entry_ids), list(hashes), matches


_CHUNK_BITS = 16  # bulk audit reads: one row per 65,536 leaves or nodes, one bytea each


class LeafSummary:
    """A whole ledger's leaves read in bulk (PostgreSQL): what the audit checks first.

    ``contiguous``: the leaf indexes are exactly 0..n-1 (with the primary key); ``matches``:
    every leaf hash equals SHA-256(0x00 || its entry); ``in_order``: the leaves name the
    recorded entries up to the head's last one, in recording order, each once. The entry
    side (:func:`entry_digests`) is only asked for when ``matches`` or ``in_order`` is.
    """

    def __init__(self, leaf_hashes: list[bytes], contiguous: bool, hashes: bytes, entry_ids: bytes,
                 entries: Callable[[], tuple[bytes, bytes]]) -> None:
        self.leaf_hashes = leaf_hashes
        self.contiguous = contiguous
        self._hashes = hashes
        self._entry_ids = entry_ids
        self._entries = entries
        self._verdict: tuple[bool, bool] | None = None

    def _check(self) -> tuple[bool, bool]:
        if self._verdict is None:
            recorded_ids, digests = self._entries()
            in_order = self._entry_ids == recorded_ids
            self._verdict = (in_order, in_order and self._hashes == digests)
        return self._verdict

    @property
    def in_order(self) -> bool:
        return self._check()[0]

    @property
    def matches(self) -> bool:
        return self._check()[1]


def leaf_summary(session: Session, brand_id: int, up_to_id: int,
                 entries: Callable[[], tuple[bytes, bytes]] | None = None) -> LeafSummary | None:
    """PostgreSQL: the leaves as a :class:`LeafSummary`, read as a few rows of concatenated
    columns (no per-row work on the client); None on SQLite (use :func:`leaf_columns`).

    No join: if the leaves name the recorded entries in recording order (their entry ids,
    in leaf order, are the recorded ids in id order), every leaf hash matches its entry
    exactly when the leaf hashes in leaf order are the entries' SHA-256(0x00 || entry) in
    id order. Both sides are read in chunks along their indexes; the aggregates' ORDER BY
    keeps the order guaranteed (their sorts get presorted input and enough memory).
    ``entries`` gives :func:`entry_digests` when the caller reads it elsewhere (in parallel).
    """
    if not is_postgres(session):
        return None
    session.execute(text("SET LOCAL work_mem = '64MB'"))
    chunk = 1 << _CHUNK_BITS
    leaf_chunks = []
    after = -(1 << 63)
    while True:
        (count, low, high, hashes, entry_ids), = raw_rows(
            session,
            "SELECT count(*), min(leaf_index), max(leaf_index), string_agg(leaf_hash, ''::bytea ORDER BY leaf_index), "
            "string_agg(int8send(entry_id), ''::bytea ORDER BY leaf_index) FROM (SELECT leaf_index, leaf_hash, entry_id "
            "FROM ledger_leaf WHERE brand_id = %s AND leaf_index >= %s ORDER BY leaf_index LIMIT %s) AS s",
            "", (brand_id, after, chunk))
        if not count:
            break
        leaf_chunks.append((count, low, high, hashes, entry_ids))
        if count < chunk:
            break
        after = high + 1
    if entries is None:
        def entries() -> tuple[bytes, bytes]:
            cursor = session.connection().connection.driver_connection.cursor()
            try:
                return _entry_digests(cursor, brand_id, up_to_id)
            finally:
                cursor.close()
    size = sum(c[0] for c in leaf_chunks)
    hashes = b"".join(c[3] for c in leaf_chunks)
    expected_low = 0
    contiguous = len(hashes) == 32 * size
    for count, low, high, _, _ in leaf_chunks:
        contiguous = contiguous and low == expected_low and high == low + count - 1
        expected_low = high + 1
    return LeafSummary([hashes[i:i + 32] for i in range(0, len(hashes), 32)], contiguous, hashes,
                       b"".join(c[4] for c in leaf_chunks), entries)


def entry_digests(engine: Engine, brand_id: int, up_to_id: int) -> tuple[bytes, bytes]:
    """PostgreSQL, on a connection of its own (the audit runs it beside its other reads):
    the ids of the brand's entries up to ``up_to_id`` as 8-byte big-endian integers and
    their SHA-256(0x00 || entry), both concatenated in id order."""
    with autocommit_connection(engine) as connection:
        cursor = connection.driver_connection.cursor()
        try:
            cursor.execute("SET work_mem = '64MB'")
            try:
                return _entry_digests(cursor, brand_id, up_to_id)
            finally:
                cursor.execute("RESET work_mem")
        finally:
            cursor.close()


def _entry_digests(cursor: Any, brand_id: int, up_to_id: int) -> tuple[bytes, bytes]:
    chunk = 1 << _CHUNK_BITS
    ids: list[bytes] = []
    digests: list[bytes] = []
    after = -(1 << 63)  # every id, even one an operator slipped in below the sequence's range
    while True:
        cursor.execute(
            "SELECT count(*), max(id), string_agg(int8send(id), ''::bytea ORDER BY id), "
            "string_agg(sha256(CAST('\\x00' AS bytea) || entry), ''::bytea ORDER BY id) FROM (SELECT id, entry "
            "FROM ledger_entry WHERE brand_id = %s AND id >= %s AND id <= %s ORDER BY id LIMIT %s) AS s",
            (brand_id, after, up_to_id, chunk))
        (count, high, id_bytes, digest_bytes), = cursor.fetchall()
        if not count:
            break
        ids.append(id_bytes)
        digests.append(digest_bytes)
        if count < chunk:
            break
        after = high + 1
    return b"".join(ids), b"".join(digests)


_STORED_NODES = (
    f"SELECT level, node_index >> {_CHUNK_BITS}, count(*), min(node_index), max(node_index), "
    "string_agg(hash, ''::bytea ORDER BY node_index) FROM ledger_node WHERE brand_id = %s "
    f"GROUP BY level, node_index >> {_CHUNK_BITS} ORDER BY level, node_index >> {_CHUNK_BITS}"
)


def stored_node_chunks(engine: Engine, brand_id: int) -> list[tuple]:
    """PostgreSQL, on a connection of its own (the audit reads them while it hashes the
    tree): the brand's stored nodes as a few rows per level, (level, chunk, count, lowest
    index, highest index, hashes concatenated in index order), for :func:`matching_nodes`."""
    with autocommit_connection(engine) as connection:
        cursor = connection.driver_connection.cursor()
        try:
            cursor.execute("SET work_mem = '64MB'")
            try:
                cursor.execute(_STORED_NODES, (brand_id,))
                return cursor.fetchall()
            finally:
                cursor.execute("RESET work_mem")
        finally:
            cursor.close()


def matching_nodes(session: Session, brand_id: int, levels: Sequence[Sequence[bytes]],
                   chunks: list[tuple] | None = None) -> int | None:
    """PostgreSQL: how many nodes are stored, if they are exactly ``levels[LOWEST_STORED_LEVEL:]``
    (every level's indexes 0..len-1 with these hashes, and nothing else), plus below that
    level at most a prefix of each level (rows a ledger sequenced before nodes were stored
    from LOWEST_STORED_LEVEL up still has), read a few concatenated rows per level (or given
    as ``chunks`` by :func:`stored_node_chunks`); None if they are not, and on SQLite
    (compare level by level)."""
    if not is_postgres(session):
        return None
    rows = raw_rows(session, _STORED_NODES, "", (brand_id,)) if chunks is None else chunks
    stored: dict[int, list[tuple]] = {}
    for row in rows:
        stored.setdefault(row[0], []).append(row)
    if not set(range(LOWEST_STORED_LEVEL, len(levels))) <= set(stored) <= set(range(1, len(levels))):
        return None
    total = 0
    for level, parts in stored.items():
        for i, (_, chunk, count, low, high, _) in enumerate(parts):
            if (chunk, low) != (i, i << _CHUNK_BITS) or high != low + count - 1:
                return None
        count = sum(row[2] for row in parts)
        want = levels[level] if level >= LOWEST_STORED_LEVEL else levels[level][:count]
        if count != len(want) or b"".join(row[5] for row in parts) != b"".join(want):
            return None
        total += count
    return total


def entries_of_kinds(session: Session, brand_id: int, kinds: Sequence[str], up_to_id: int) -> list[tuple[int, str, str, bytes]]:
    """(id, kind, ref, entry) of the brand's entries of the given kinds, up to ``up_to_id``."""
    if not kinds:
        return []
    rows = session.execute(
        select(LedgerEntry.id, LedgerEntry.kind, LedgerEntry.ref, LedgerEntry.entry)
        .where(LedgerEntry.brand_id == brand_id, LedgerEntry.kind.in_(list(kinds)), LedgerEntry.id <= up_to_id)
        .order_by(LedgerEntry.id)
    )
    return [(row[0], row[1], row[2], bytes(row[3])) for row in rows]


def entry_ids_up_to(session: Session, brand_id: int, up_to_id: int) -> list[int]:
    rows = raw_rows(session,
                     "SELECT id FROM ledger_entry WHERE brand_id = %s AND id <= %s ORDER BY id",
                     "SELECT id FROM ledger_entry WHERE brand_id = ? AND id <= ? ORDER BY id",
                     (brand_id, up_to_id))
    return [row[0] for row in rows]


def node_level(session: Session, brand_id: int, level: int) -> tuple[list[int], list[bytes]]:
    """Stored nodes of one level in index order: (indexes, hashes)."""
    rows = raw_rows(
        session,
        "SELECT node_index, hash FROM ledger_node WHERE brand_id = %s AND level = %s ORDER BY node_index",
        "SELECT node_index, hash FROM ledger_node WHERE brand_id = ? AND level = ? ORDER BY node_index",
        (brand_id, level),
    )
    if not rows:
        return [], []
    indexes, hashes = zip(*rows)
    return list(indexes), [bytes(h) for h in hashes]
