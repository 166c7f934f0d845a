"""The SQL side of the stored ledger: locks, entries, leaves, nodes, heads, checkpoints.

Sequencing, Trillian-style: writers only add ``ledger_entry`` rows inside their own
transaction, holding a *shared* per-brand lock; the sequencer takes the *exclusive* lock
just long enough to read a fence (the highest entry id: with the lock held no writer is
in flight, so every id up to the fence is committed or never will be, and every id handed
out afterwards is above it), releases it, and then numbers the entries between the last
sequenced one and the fence, writing their leaves and the new perfect nodes while writers
go on recording. Writers never wait for each other, and wait for the sequencer only for
the instant of its fence. SQLite has one writer at a time anyway (our write transactions
begin IMMEDIATE), so the locks are no-ops there.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Engine, PoolProxiedConnection, insert, select, text, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trace.db.base import utc_now
from trace.db.ledger import (
    LedgerCheckpoint,
    LedgerEntry,
    LedgerLeaf,
    LedgerLog,
    LedgerNode,
)
from trace.errors import LedgerError
from trace.ledger import HASH_SIZE, hash_leaf, root_hash


T = TypeVar("T")

LOCK_CLASS = 7301  # pg advisory lock namespace for ledgers: (LOCK_CLASS, brand_id)


@dataclass(frozen=True, slots=True)
class NewEntry:
    kind: str
    ref: str
    entry: bytes


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_for_sequencing(session: Session, brand_id: int, *, wait: bool) -> bool:
    """Take the brand's exclusive sequencing lock; False when ``wait`` is off and it is busy."""
    if not is_postgres(session):
        return True
    if wait:
        session.execute(text("SELECT pg_advisory_xact_lock(:c, :b)"), {"c": LOCK_CLASS, "b": brand_id})
        return True
    return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:c, :b)"), {"c": LOCK_CLASS, "b": brand_id}))


def insert_entries(session: Session, brand_id: int, entries: Sequence[NewEntry]) -> list[int]:
    """Record entries in the caller's transaction; returns their ids in order.

    The writer hashes its own entries (RFC 9162 leaf hash), so the sequencer reads 32
    bytes per entry instead of the entry itself. ``ledger_entry`` has no foreign key to
    ``brand`` (a trigger per row on PostgreSQL): the brand's row is checked and locked
    against deletion here, once per batch, in the statement that takes the append lock.
    Raises ``ValueError`` for a brand that does not exist (a programmer mistake).
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
        return _checked_ids(brand_id, sorted(row[0] for row in result))
    if connection.execute(_BRAND_EXISTS, {"brand": brand_id}).first() is None:
        _checked_ids(brand_id, [])  # SQLite: the IMMEDIATE write transaction keeps the brand
    rows = [{"brand_id": brand_id, "kind": e.kind, "ref": e.ref, "entry": e.entry, "leaf_hash": h, "created_at": now}
            for e, h in zip(entries, hashes)]
    result = connection.execute(_INSERT_ENTRIES, rows)
    return [row[0] for row in result]


def _checked_ids(brand_id: int, ids: list[int]) -> list[int]:
    if not ids:
        raise ValueError(f"brand {brand_id} does not exist: ledger entries need an existing brand")
    return ids


_BRAND_EXISTS = text("SELECT 1 FROM brand WHERE id = :brand")
# FOR KEY SHARE on the brand row: what the foreign key's trigger took per row, once per batch.
_INSERT_ENTRIES_PG = text(
    "WITH append_lock AS (SELECT pg_advisory_xact_lock_shared(:c, :brand) FROM brand WHERE id = :brand FOR KEY SHARE) "
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
    """PostgreSQL: check and lock the brand, take the shared append lock and reserve the
    ids from the table's sequence in one statement (the lock's one-row subquery is read before any row is
    numbered), then COPY the rows in. Ids are taken under the shared lock like those of an
    ordinary insert, so the sequencer's "every id above the last one sequenced" stays safe.
    """
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        # The sequence is looked up once (a scalar subquery): as nextval's argument the
        # lookup ran per row and cost ten times the nextval calls themselves.
        cursor.execute("SELECT nextval((SELECT CAST(pg_get_serial_sequence('ledger_entry', 'id') AS regclass))) "
                       "FROM (SELECT pg_advisory_xact_lock_shared(%s, id) FROM brand WHERE id = %s FOR KEY SHARE) "
                       "AS append_lock, generate_series(1, %s)", (LOCK_CLASS, brand_id, len(entries)))
        ids = _checked_ids(brand_id, sorted(row[0] for row in cursor.fetchall()))
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


def sequencing_fence(session: Session, brand_id: int, *, wait: bool) -> int | None:
    """The highest entry id of the brand, read under the exclusive sequencing lock (every
    entry up to it is committed; ids handed out later are above it); None when ``wait``
    is off and another sequencer holds the lock. The lock goes with the transaction:
    commit right after."""
    if not lock_for_sequencing(session, brand_id, wait=wait):
        return None
    return session.scalar(text("SELECT COALESCE(max(id), 0) FROM ledger_entry WHERE brand_id = :b"), {"b": brand_id})


def sequencing_state(session: Session, brand_id: int, limit: int, fence: int
                     ) -> tuple[int, bytes, int, list[tuple[int, bytes]]] | None:
    """The head locked for update, as (size, root, last entry id), and up to ``limit``
    (entry id, leaf hash) of the entries recorded after it up to ``fence`` (from
    :func:`sequencing_fence`), oldest first; None without a head. PostgreSQL reads both
    in one statement.
    """
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        if is_postgres(session):
            # One row: the ids as an array and the hashes as one string of 32-byte hashes (a
            # thousand rows cost more to ship and parse than the hashing they feed).
            cursor.execute(
                "WITH h AS (SELECT size, root_hash, last_entry_id FROM ledger_log WHERE brand_id = %(b)s FOR UPDATE) "
                "SELECT h.size, h.root_hash, h.last_entry_id, e.ids, e.hashes FROM h, LATERAL "
                "(SELECT array_agg(id ORDER BY id) AS ids, string_agg(leaf_hash, ''::bytea ORDER BY id) AS hashes "
                "FROM (SELECT id, leaf_hash FROM ledger_entry WHERE brand_id = %(b)s AND id > h.last_entry_id "
                "AND id <= %(f)s ORDER BY id LIMIT %(n)s) AS p) AS e",
                {"b": brand_id, "n": limit, "f": fence})
            row = cursor.fetchone()
            if row is None:
                return None
            size, root, last, ids, hashes = row
            joined = bytes(hashes or b"")
            if len(joined) != HASH_SIZE * len(ids or ()):  # one hash of another length would shift all later ones
                _check_hashes(brand_id, ledger_entry_hashes(cursor, brand_id, ids))
            pending = [(entry_id, joined[HASH_SIZE * i:HASH_SIZE * (i + 1)]) for i, entry_id in enumerate(ids or ())]
            return size, bytes(root), last, pending
        cursor.execute("SELECT size, root_hash, last_entry_id FROM ledger_log WHERE brand_id = ?", (brand_id,))
        head = cursor.fetchone()
        if head is None:
            return None
        cursor.execute("SELECT id, leaf_hash FROM ledger_entry WHERE brand_id = ? AND id > ? AND id <= ? "
                       "ORDER BY id LIMIT ?", (brand_id, head[2], fence, limit))
        pending = [(row[0], bytes(row[1])) for row in cursor.fetchall()]
        _check_hashes(brand_id, pending)
        return head[0], bytes(head[1]), head[2], pending
    finally:
        cursor.close()


def ledger_entry_hashes(cursor, brand_id: int, ids: Sequence[int]) -> list[tuple[int, bytes]]:
    """(entry id, leaf hash) of these entries, one row each (PostgreSQL)."""
    cursor.execute("SELECT id, leaf_hash FROM ledger_entry WHERE brand_id = %s AND id = ANY(%s) ORDER BY id",
                   (brand_id, list(ids)))
    return [(row[0], bytes(row[1])) for row in cursor.fetchall()]


def _check_hashes(brand_id: int, pending: Sequence[tuple[int, bytes]]) -> None:
    """A stored leaf hash that is not 32 bytes is a corrupted entry: name it, sequence nothing."""
    for entry_id, digest in pending:
        if len(digest) != HASH_SIZE:
            raise LedgerError(f"ledger entry {entry_id} of brand {brand_id} has a leaf hash of {len(digest)} bytes, "
                              f"expected {HASH_SIZE}: not sequenced")


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


LOWEST_STORED_LEVEL = 4
"""Nodes are stored from this level up. Below it a node covers at most 8 leaves: hashing
them again (a proof reads its leaf's 16-leaf block anyway) is cheaper than writing
7 node rows per 8 leaves. Ledgers sequenced before this rule keep their lower rows
(the append-only triggers keep them; nothing reads them but the audit, which checks them)."""


def leaves_below(addresses: Iterable[tuple[int, int]]) -> tuple[set[int], list[tuple[int, int]], list[tuple[int, int]]]:
    """Split node addresses into (leaf indexes to read, stored nodes to read, unstored
    nodes): an unstored node (level 1 to LOWEST_STORED_LEVEL - 1) adds its leaves."""
    leaves: set[int] = set()
    stored = []
    unstored = []
    for level, index in addresses:
        if level == 0:
            leaves.add(index)
        elif level >= LOWEST_STORED_LEVEL:
            stored.append((level, index))
        else:
            unstored.append((level, index))
            leaves.update(range(index << level, (index + 1) << level))
    return leaves, stored, unstored


def hash_unstored(found: dict[tuple[int, int], bytes], unstored: Iterable[tuple[int, int]]) -> None:
    """Add to ``found`` the unstored nodes whose leaves it holds (all of them)."""
    for level, index in unstored:
        leaves = [found.get((0, i)) for i in range(index << level, (index + 1) << level)]
        if None not in leaves:
            found[(level, index)] = root_hash(leaves)  # type: ignore[arg-type]


def fetch_nodes(session: Session, brand_id: int, addresses: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """Hashes of perfect nodes by (level, index); level 0 are the leaves. Nodes below
    LOWEST_STORED_LEVEL are hashed from their leaves; a node whose rows are missing is left out."""
    wanted_leaves, stored, unstored = leaves_below(addresses)
    leaves = sorted(wanted_leaves)
    inner = sorted(set(stored))
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
    hash_unstored(found, unstored)
    return found


def write_tree(session: Session, brand_id: int, first_index: int, entry_ids: Sequence[int],
               leaf_hashes: Sequence[bytes], nodes: Sequence[tuple[int, int, bytes]]) -> None:
    """Persist a sequenced batch: its leaves and the perfect nodes it completed from
    LOWEST_STORED_LEVEL up (the lower ones are hashed again from the leaves when needed)."""
    inner = [(level, index, digest) for level, index, digest in nodes if level >= LOWEST_STORED_LEVEL]
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        if is_postgres(session):
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


def raw_rows(session: Session, sql_pg: str, sql_sqlite: str, params: Sequence[object]) -> list[tuple]:
    """Rows through the driver: whole-ledger audits read millions of values, and SQLAlchemy's
    per-row processing would cost more than the hashing the audit is there to do."""
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        cursor.execute(sql_pg if is_postgres(session) else sql_sqlite, tuple(params))
        return cursor.fetchall()
    finally:
        cursor.close()


def autocommit_read(engine: Engine, read: Callable[[PoolProxiedConnection], T]) -> T:
    """PostgreSQL: ``read(connection)`` on a pooled DBAPI connection in autocommit,
    retried once on a fresh connection when the first one turns out dropped by the server
    (for pools that do not ping on checkout: :attr:`Database.unpinged`). ``read`` must
    only read."""
    for attempt in (1, 2):
        connection = engine.raw_connection()
        try:
            driver = connection.driver_connection
            switch = not driver.autocommit  # the unpinged pool's connections are in autocommit already
            if switch:
                driver.autocommit = True
            try:
                return read(connection)
            except engine.dialect.loaded_dbapi.Error as exc:
                if attempt == 2 or not engine.dialect.is_disconnect(exc, driver, None):
                    raise
                connection.invalidate(exc)
            finally:
                if switch and not driver.closed:
                    driver.autocommit = False
        finally:
            connection.close()
    raise AssertionError("unreachable: the second attempt returns or raises")


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
