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
from contextlib import contextmanager
from hashlib import sha256
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, PoolProxiedConnection, insert, select, text, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trace.db.base import utc_now
from trace.db.ledger import LedgerCheckpoint, LedgerEntry, LedgerLeaf, LedgerLog, LedgerNode
from trace.ledger import hash_leaf

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
    """Record entries in the caller's transaction; returns their ids in order.

    The writer hashes its own entries (RFC 9162 leaf hash), so the sequencer reads 32
    bytes per entry instead of the entry itself.
    """
    if not entries:
        return []
    now = utc_now()
    hashes = [hash_leaf(e.entry) for e in entries]
    connection = session.connection()
    if connection.dialect.name == "postgresql" and len(entries) >= COPY_THRESHOLD:
        return _copy_entries(session, brand_id, entries, hashes, now)
    if connection.dialect.name == "postgresql":
        # One statement and one round trip for the whole batch: the shared append lock (the
        # CTE joined into the FROM runs first), then arrays in, ids out (WITH ORDINALITY).
        result = connection.execute(_INSERT_ENTRIES_PG, {
            "c": LOCK_CLASS, "brand": brand_id, "now": now, "kinds": [e.kind for e in entries],
            "refs": [e.ref for e in entries], "entries": [e.entry for e in entries], "hashes": hashes})
        return sorted(row[0] for row in result)
    rows = [{"brand_id": brand_id, "kind": e.kind, "ref": e.ref, "entry": e.entry, "leaf_hash": h, "created_at": now}
            for e, h in zip(entries, hashes)]
    result = connection.execute(_INSERT_ENTRIES, rows)
    return [row[0] for row in result]


_INSERT_ENTRIES_PG = text(
    "WITH append_lock AS (SELECT pg_advisory_xact_lock_shared(:c, :brand)) "
    "INSERT INTO ledger_entry (brand_id, kind, ref, entry, leaf_hash, created_at) "
    "SELECT :brand, k, r, e, h, :now FROM append_lock, unnest(CAST(:kinds AS text[]), CAST(:refs AS text[]), "
    "CAST(:entries AS bytea[]), CAST(:hashes AS bytea[])) WITH ORDINALITY AS u(k, r, e, h, n) "
    "ORDER BY n RETURNING id"
)
_INSERT_ENTRIES = insert(LedgerEntry.__table__).returning(LedgerEntry.__table__.c.id, sort_by_parameter_order=True)


COPY_THRESHOLD = 64
"""From this many entries on, PostgreSQL records them with COPY (ids reserved first)."""

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_entries(session: Session, brand_id: int, entries: Sequence[NewEntry], hashes: Sequence[bytes],
                  now: datetime) -> list[int]:
    """PostgreSQL: take the shared append lock and reserve the ids from the table's
    sequence in one statement (the lock's one-row subquery is read before any row is
    numbered), then COPY the rows in. Ids are taken under the shared lock like those of an
    ordinary insert, so the sequencer's "every id above the last one sequenced" stays safe.
    """
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('ledger_entry', 'id')) FROM "
                       "(SELECT pg_advisory_xact_lock_shared(%s, %s)) AS append_lock, generate_series(1, %s)",
                       (LOCK_CLASS, brand_id, len(entries)))
        ids = sorted(row[0] for row in cursor.fetchall())
        stamp = now.isoformat()
        tr = _COPY_ESCAPES
        rows = "".join(f"{entry_id}\t{brand_id}\t{e.kind.translate(tr)}\t{e.ref.translate(tr)}\t\\\\x{e.entry.hex()}"
                       f"\t\\\\x{h.hex()}\t{stamp}\n" for entry_id, e, h in zip(ids, entries, hashes))
        statement = "COPY ledger_entry (id, brand_id, kind, ref, entry, leaf_hash, created_at) FROM STDIN"
        try:
            cursor.copy_expert(statement, io.StringIO(rows))
        except session.get_bind().dialect.dbapi.IntegrityError as exc:
            # Callers handle duplicates like those of an ordinary INSERT.
            raise IntegrityError(statement, None, exc) from exc
        return ids
    finally:
        cursor.close()


def head_for_update(session: Session, brand_id: int) -> LedgerLog | None:
    return session.scalar(select(LedgerLog).where(LedgerLog.brand_id == brand_id).with_for_update())


def sequencing_state(session: Session, brand_id: int, limit: int
                     ) -> tuple[int, bytes, int, list[tuple[int, bytes]]] | None:
    """The head locked for update, as (size, root, last entry id), and up to ``limit``
    (entry id, leaf hash) of the entries recorded after it, oldest first; None without a head.

    PostgreSQL reads both in one statement. Call it only after the sequencing lock was
    taken in an earlier statement: this statement's snapshot then sees every entry whose
    id was handed out before it (no writer can still hold one uncommitted).
    """
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        if _is_postgres(session):
            cursor.execute(
                "WITH h AS (SELECT size, root_hash, last_entry_id FROM ledger_log WHERE brand_id = %(b)s FOR UPDATE) "
                "SELECT h.size, h.root_hash, h.last_entry_id, e.id, e.leaf_hash FROM h LEFT JOIN LATERAL "
                "(SELECT id, leaf_hash FROM ledger_entry WHERE brand_id = %(b)s AND id > h.last_entry_id "
                "ORDER BY id LIMIT %(n)s) AS e ON true ORDER BY e.id",
                {"b": brand_id, "n": limit})
            rows = cursor.fetchall()
            if not rows:
                return None
            size, root, last = rows[0][:3]
            pending = [] if rows[0][3] is None else [(row[3], bytes(row[4])) for row in rows]
            return size, bytes(root), last, pending
        cursor.execute("SELECT size, root_hash, last_entry_id FROM ledger_log WHERE brand_id = ?", (brand_id,))
        head = cursor.fetchone()
        if head is None:
            return None
        cursor.execute("SELECT id, leaf_hash FROM ledger_entry WHERE brand_id = ? AND id > ? ORDER BY id LIMIT ?",
                       (brand_id, head[2], limit))
        return head[0], bytes(head[1]), head[2], [(row[0], bytes(row[1])) for row in cursor.fetchall()]
    finally:
        cursor.close()


def set_head(session: Session, brand_id: int, *, size: int, root: bytes, last_entry_id: int) -> None:
    session.execute(
        text("UPDATE ledger_log SET size = :size, root_hash = :root, last_entry_id = :last, updated_at = :now "
             "WHERE brand_id = :brand"),
        {"size": size, "root": root, "last": last_entry_id, "now": utc_now(), "brand": brand_id})


def pending_entries(session: Session, brand_id: int, after_id: int, limit: int) -> list[tuple[int, bytes]]:
    """(entry id, leaf hash) of entries recorded after ``after_id``, oldest first."""
    rows = session.execute(
        select(LedgerEntry.id, LedgerEntry.leaf_hash)
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
    """Persist a sequenced batch: its leaves and the perfect nodes (level >= 1) it completed."""
    inner = [(level, index, digest) for level, index, digest in nodes if level > 0]
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        if _is_postgres(session):
            # COPY text format, bytea in hex (PostgreSQL docs: COPY "Text Format"; bytea hex format).
            prefix = f"{brand_id}\t"
            leaf_rows = "".join(f"{prefix}{index}\t{entry_id}\t\\\\x{digest.hex()}\n"
                                for index, entry_id, digest in zip(range(first_index, first_index + len(entry_ids)),
                                                                   entry_ids, leaf_hashes))
            cursor.copy_expert("COPY ledger_leaf (brand_id, leaf_index, entry_id, leaf_hash) FROM STDIN",
                               io.StringIO(leaf_rows))
            if inner:
                node_rows = "".join(f"{prefix}{level}\t{index}\t\\\\x{digest.hex()}\n" for level, index, digest in inner)
                cursor.copy_expert("COPY ledger_node (brand_id, level, node_index, hash) FROM STDIN",
                                   io.StringIO(node_rows))
            return
        cursor.executemany("INSERT INTO ledger_leaf (brand_id, leaf_index, entry_id, leaf_hash) VALUES (?, ?, ?, ?)",
                           [(brand_id, first_index + i, entry_id, leaf_hashes[i]) for i, entry_id in enumerate(entry_ids)])
        cursor.executemany("INSERT INTO ledger_node (brand_id, level, node_index, hash) VALUES (?, ?, ?, ?)",
                           [(brand_id, level, index, digest) for level, index, digest in inner])
    finally:
        cursor.close()


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


def count_nodes(session: Session, brand_id: int) -> int:
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(LedgerNode).where(LedgerNode.brand_id == brand_id)) or 0


def _raw_rows(session: Session, sql_pg: str, sql_sqlite: str, params: Sequence[object]) -> list[tuple]:
    """Rows through the driver: whole-ledger audits read millions of values, and SQLAlchemy's
    per-row processing would cost more than the hashing the audit is there to do."""
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        cursor.execute(sql_pg if _is_postgres(session) else sql_sqlite, tuple(params))
        return cursor.fetchall()
    finally:
        cursor.close()


def leaf_columns(session: Session, brand_id: int) -> tuple[list[int], list[int], list[bytes], list[bool]]:
    """Every leaf of the brand in index order: (indexes, entry ids, leaf hashes, entry matches).

    ``entry matches`` says whether SHA-256(0x00 || entry) equals the stored leaf hash. The
    hash of each entry is recomputed where the entry is: PostgreSQL's ``sha256()`` saves
    shipping every entry to the client; on SQLite the entries are read and hashed here.
    An entry whose row is gone never matches.
    """
    if _is_postgres(session):
        # Right after a bulk load the planner has no statistics and may pick a nested loop
        # over millions of rows; this whole-table join wants a hash or merge join.
        session.execute(text("SET LOCAL enable_nestloop = off"))
        rows = _raw_rows(
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
    rows = _raw_rows(
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
    if not _is_postgres(session):
        return None
    session.execute(text("SET LOCAL work_mem = '64MB'"))
    chunk = 1 << _CHUNK_BITS
    leaf_chunks = []
    after = -(1 << 63)
    while True:
        (count, low, high, hashes, entry_ids), = _raw_rows(
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


def nodes_match(session: Session, brand_id: int, levels: Sequence[Sequence[bytes]]) -> bool | None:
    """PostgreSQL: whether the stored nodes are exactly ``levels[1:]`` (every level's
    indexes 0..len-1 with these hashes, and nothing else), read a few concatenated rows
    per level; None on SQLite (compare level by level)."""
    if not _is_postgres(session):
        return None
    rows = _raw_rows(
        session,
        f"SELECT level, node_index >> {_CHUNK_BITS}, count(*), min(node_index), max(node_index), "
        "string_agg(hash, ''::bytea ORDER BY node_index) FROM ledger_node WHERE brand_id = %s "
        f"GROUP BY level, node_index >> {_CHUNK_BITS} ORDER BY level, node_index >> {_CHUNK_BITS}",
        "", (brand_id,))
    stored: dict[int, list[tuple]] = {}
    for row in rows:
        stored.setdefault(row[0], []).append(row)
    if set(stored) != set(range(1, len(levels))):
        return False
    for level, chunks in stored.items():
        want = levels[level]
        for i, (_, chunk, count, low, high, _) in enumerate(chunks):
            if (chunk, low) != (i, i << _CHUNK_BITS) or high != low + count - 1:
                return False
        if sum(row[2] for row in chunks) != len(want) or b"".join(row[5] for row in chunks) != b"".join(want):
            return False
    return True


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
    rows = _raw_rows(session,
                     "SELECT id FROM ledger_entry WHERE brand_id = %s AND id <= %s ORDER BY id",
                     "SELECT id FROM ledger_entry WHERE brand_id = ? AND id <= ? ORDER BY id",
                     (brand_id, up_to_id))
    return [row[0] for row in rows]


def node_level(session: Session, brand_id: int, level: int) -> tuple[list[int], list[bytes]]:
    """Stored nodes of one level in index order: (indexes, hashes)."""
    rows = _raw_rows(
        session,
        "SELECT node_index, hash FROM ledger_node WHERE brand_id = %s AND level = %s ORDER BY node_index",
        "SELECT node_index, hash FROM ledger_node WHERE brand_id = ? AND level = ? ORDER BY node_index",
        (brand_id, level),
    )
    if not rows:
        return [], []
    indexes, hashes = zip(*rows)
    return list(indexes), [bytes(h) for h in hashes]


@dataclass(frozen=True, slots=True)
class ProofContext:
    """One round trip's worth of what an inclusion proof needs to know first."""

    brand_id: int
    tree_size: int
    root_hash: bytes
    entry_id: int | None
    leaf_index: int | None
    leaf_hash: bytes | None
    entry: bytes | None


_PREPARED = {
    "tracemark_proof_context": (
        "(text, text) AS SELECT g.brand_id, g.size, g.root_hash, e.id, l.leaf_index, l.leaf_hash, e.entry FROM brand b "
        "JOIN ledger_log g ON g.brand_id = b.id LEFT JOIN ledger_entry e ON e.brand_id = b.id AND e.ref = $1 "
        "LEFT JOIN ledger_leaf l ON l.entry_id = e.id WHERE b.slug = $2"
    ),
    "tracemark_proof_nodes": (
        "(int, bigint[], int[], bigint[]) AS SELECT 0, leaf_index, leaf_hash FROM ledger_leaf "
        "WHERE brand_id = $1 AND leaf_index = ANY($2) UNION ALL SELECT n.level, n.node_index, n.hash "
        "FROM ledger_node n JOIN unnest($3, $4) AS q(lv, ix) ON n.level = q.lv AND n.node_index = q.ix "
        "WHERE n.brand_id = $1"
    ),
}


# The whole inclusion proof in one statement: the head, the entry and its leaf, and every
# stored node the proof of that leaf at tree size $3 (default: the head's) can need. Those
# are the leaf's perfect siblings on every level (the path below the fork and the left
# siblings above it) and the compact range of the tree size (the right border, whose
# nodes make the ephemeral proof element and the root of an older tree). Level 0 comes
# from ledger_leaf. Context row first (level -1), then the nodes.
_PREPARED["tracemark_proof_all"] = (
    "(text, text, bigint) AS WITH c AS (SELECT g.brand_id, g.size, g.root_hash, e.id AS entry_id, l.leaf_index, "
    "l.leaf_hash, e.entry, COALESCE($3, g.size) AS s FROM brand b JOIN ledger_log g ON g.brand_id = b.id "
    "LEFT JOIN ledger_entry e ON e.brand_id = b.id AND e.ref = $1 LEFT JOIN ledger_leaf l ON l.entry_id = e.id "
    "WHERE b.slug = $2), "
    "w AS (SELECT k, (c.leaf_index >> k) # 1 AS ix FROM c, generate_series(0, 62) AS k "
    "WHERE c.leaf_index IS NOT NULL AND c.leaf_index < c.s AND (1::bigint << k) <= c.s "
    "AND (((c.leaf_index >> k) # 1) + 1) << k <= c.s "
    "UNION SELECT k, (c.s >> k) - 1 FROM c, generate_series(0, 62) AS k "
    "WHERE c.entry_id IS NOT NULL AND c.s > 0 AND c.s <= c.size AND (1::bigint << k) <= c.s AND (c.s >> k) & 1 = 1) "
    "SELECT -1, c.leaf_index, c.leaf_hash, c.brand_id, c.size, c.root_hash, c.entry_id, c.entry FROM c "
    "UNION ALL SELECT w.k, w.ix, CASE WHEN w.k = 0 THEN (SELECT f.leaf_hash FROM ledger_leaf f "
    "WHERE f.brand_id = c.brand_id AND f.leaf_index = w.ix) ELSE (SELECT n.hash FROM ledger_node n "
    "WHERE n.brand_id = c.brand_id AND n.level = w.k AND n.node_index = w.ix) END, "
    "NULL, NULL, NULL, NULL, NULL FROM w, c"
)


@contextmanager
def autocommit_connection(engine: Engine) -> Iterator[PoolProxiedConnection]:
    """A pooled DBAPI connection in autocommit for single-statement reads: no BEGIN and
    ROLLBACK round trips (SQLAlchemy's isolation-level switch costs more than the flag)."""
    connection = engine.raw_connection()
    try:
        connection.driver_connection.autocommit = True
        try:
            yield connection
        finally:
            connection.driver_connection.autocommit = False
    finally:
        connection.close()


def proof_bundle(connection: PoolProxiedConnection, brand: str, ref: str, size: int | None
                 ) -> tuple[ProofContext | None, dict[tuple[int, int], bytes]]:
    """PostgreSQL, one round trip: the proof context of ``ref`` and every stored node its
    inclusion proof at ``size`` (default: the head's size) can need, by (level, index)."""
    rows = _run_prepared(connection, "tracemark_proof_all", (ref, brand, size))
    context = None
    nodes: dict[tuple[int, int], bytes] = {}
    for level, index, digest, brand_id, tree_size, root, entry_id, entry in rows:
        if level == -1:
            context = ProofContext(brand_id=brand_id, tree_size=tree_size, root_hash=bytes(root), entry_id=entry_id,
                                   leaf_index=index, leaf_hash=None if digest is None else bytes(digest),
                                   entry=None if entry is None else bytes(entry))
        elif digest is not None:
            nodes[(level, index)] = bytes(digest)
    return context, nodes


def _execute_prepared(session: Session, name: str, params: tuple) -> list[tuple]:
    """PostgreSQL: run a statement prepared once per connection (planning cost more than running)."""
    return _run_prepared(session.connection().connection, name, params)


def _run_prepared(connection: PoolProxiedConnection, name: str, params: tuple) -> list[tuple]:
    prepared = connection.info.setdefault("tracemark_prepared", set())
    cursor = connection.driver_connection.cursor()
    try:
        if name not in prepared:
            cursor.execute(f"PREPARE {name} {_PREPARED[name]}")
            prepared.add(name)
        cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)
        return cursor.fetchall()
    finally:
        cursor.close()


def analyze(session: Session) -> None:
    """Refresh planner statistics of the ledger tables (after a bulk load; autovacuum does it later)."""
    if _is_postgres(session):
        session.execute(text("ANALYZE ledger_entry, ledger_leaf, ledger_node, ledger_log"))
    else:
        session.execute(text("ANALYZE"))


def proof_context(session: Session, brand: str, ref: str) -> ProofContext | None:
    """The brand's head and the entry ``ref`` with its leaf, or None when the brand has no ledger."""
    if _is_postgres(session):
        rows = _execute_prepared(session, "tracemark_proof_context", (ref, brand))
    else:
        cursor = session.connection().connection.driver_connection.cursor()
        try:
            cursor.execute(
                "SELECT g.brand_id, g.size, g.root_hash, e.id, l.leaf_index, l.leaf_hash, e.entry FROM brand b "
                "JOIN ledger_log g ON g.brand_id = b.id LEFT JOIN ledger_entry e ON e.brand_id = b.id AND e.ref = ? "
                "LEFT JOIN ledger_leaf l ON l.entry_id = e.id WHERE b.slug = ?",
                (ref, brand),
            )
            rows = cursor.fetchall()
        finally:
            cursor.close()
    if not rows:
        return None
    brand_id, size, root, entry_id, leaf_index, leaf_hash, entry = rows[0]
    return ProofContext(brand_id=brand_id, tree_size=size, root_hash=bytes(root), entry_id=entry_id,
                        leaf_index=leaf_index, leaf_hash=None if leaf_hash is None else bytes(leaf_hash),
                        entry=None if entry is None else bytes(entry))


def fetch_nodes_fast(session: Session, brand_id: int, addresses: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """Like :func:`fetch_nodes`, in one statement through the driver (proof serving's hot path)."""
    wanted = sorted(set(addresses))
    if not wanted:
        return {}
    leaves = [index for level, index in wanted if level == 0]
    inner = [(level, index) for level, index in wanted if level > 0]
    if _is_postgres(session):
        rows = _execute_prepared(session, "tracemark_proof_nodes",
                                 (brand_id, leaves, [lv for lv, _ in inner], [ix for _, ix in inner]))
        return {(level, index): bytes(digest) for level, index, digest in rows}
    else:
        # One indexed point lookup per wanted node (a row-value IN list is not index-driven in SQLite).
        lookups = ["SELECT 0, leaf_index, leaf_hash FROM ledger_leaf WHERE brand_id = ? AND leaf_index = ?"] * len(leaves)
        lookups += ["SELECT level, node_index, hash FROM ledger_node WHERE brand_id = ? AND level = ? AND node_index = ?"] * len(inner)
        sql = " UNION ALL ".join(lookups)
        params = (*[v for index in leaves for v in (brand_id, index)],
                  *[v for level, index in inner for v in (brand_id, level, index)])
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        cursor.execute(sql, params)
        return {(level, index): bytes(digest) for level, index, digest in cursor.fetchall()}
    finally:
        cursor.close()
