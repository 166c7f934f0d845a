"""Serving inclusion proofs from the stored tree: prepared statements, one round trip.

Split from trace/db/ledger_store.py (the append path) so each module holds one idea.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from hashlib import sha256
from trace.db.ledger_store import LOWEST_STORED_LEVEL, autocommit_read, hash_unstored, is_postgres, leaves_below
from trace.errors import LedgerError
from trace.ledger import ProofPlan, hash_border, inclusion_proof_nodes, range_nodes, root_hash, verify_inclusion

from sqlalchemy import Engine, PoolProxiedConnection, text
from sqlalchemy.orm import Session


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


# The whole inclusion proof in one statement, one row first (level -1): the head, the
# entry and its leaf, the leaf's block (the 2^BLOCK_BITS leaf hashes around it, packed in
# index order: one range scan of pages the leaf's own lookup just read) and the leaves of
# the tree's last, partial block unless it is the leaf's (packed too: the right border
# of the tree of size $3, default the head's); then one row per stored node: the leaf's
# perfect siblings from level BLOCK_BITS up to level $4 (exclusive; above it are
# UpperNodes) and the compact range of that tree between the same levels. Nodes below
# BLOCK_BITS are not stored (ledger_store.LOWEST_STORED_LEVEL): they are hashed from the
# blocks read. Packed hashes cost the driver one value instead of a row per leaf.
BLOCK_BITS = LOWEST_STORED_LEVEL
_CONTEXT = (
    "SELECT g.brand_id, g.size, g.root_hash, g.public_key, e.id AS entry_id, l.leaf_index, l.leaf_hash, e.entry, "
    "COALESCE($3, g.size) AS s FROM brand b JOIN ledger_log g ON g.brand_id = b.id "
    "LEFT JOIN ledger_entry e ON e.brand_id = b.id AND e.ref = $1 LEFT JOIN ledger_leaf l ON l.entry_id = e.id "
    "WHERE b.slug = $2"
)
_FIRST_ROW = (
    "SELECT -1, c.leaf_index, c.leaf_hash, c.brand_id, c.size, c.root_hash, c.entry_id, c.entry, c.public_key, "
    # The leaf's block as the primary key's index returns it, in order (no sort: a third
    # of this subquery's cost). PostgreSQL does not promise that an aggregate sees a
    # subquery's order, so proof_bundle checks the block against the stored tree.
    "(SELECT string_agg(t.leaf_hash, ''::bytea) FROM (SELECT f.leaf_hash FROM ledger_leaf f "
    f"WHERE f.brand_id = c.brand_id AND f.leaf_index >= (c.leaf_index >> {BLOCK_BITS}) << {BLOCK_BITS} "
    f"AND f.leaf_index < LEAST(((c.leaf_index >> {BLOCK_BITS}) + 1) << {BLOCK_BITS}, c.s) "
    f"ORDER BY f.leaf_index LIMIT {1 << BLOCK_BITS}) AS t), "
    "(SELECT string_agg(f.leaf_hash, ''::bytea ORDER BY f.leaf_index) FROM ledger_leaf f "
    f"WHERE c.s <= c.size AND c.s % {1 << BLOCK_BITS} <> 0 AND c.leaf_index >> {BLOCK_BITS} <> c.s >> {BLOCK_BITS} "
    f"AND f.brand_id = c.brand_id AND f.leaf_index >= (c.s >> {BLOCK_BITS}) << {BLOCK_BITS} AND f.leaf_index < c.s) "
)
_PREPARED["tracemark_proof_all"] = (
    f"(text, text, bigint, int) AS WITH c AS ({_CONTEXT}), "
    f"w AS (SELECT k, (c.leaf_index >> k) # 1 AS ix FROM c, generate_series({BLOCK_BITS}, LEAST($4, 63) - 1) AS k "
    "WHERE c.leaf_index IS NOT NULL AND c.leaf_index < c.s AND (((c.leaf_index >> k) # 1) + 1) << k <= c.s "
    f"UNION SELECT k, (c.s >> k) - 1 FROM c, generate_series({BLOCK_BITS}, LEAST($4, 63) - 1) AS k "
    "WHERE c.entry_id IS NOT NULL AND c.s > 0 AND c.s <= c.size AND (1::bigint << k) <= c.s AND (c.s >> k) & 1 = 1) "
    f"{_FIRST_ROW} FROM c UNION ALL SELECT w.k, w.ix, (SELECT n.hash FROM ledger_node n "
    "WHERE n.brand_id = c.brand_id AND n.level = w.k AND n.node_index = w.ix), "
    "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM w, c"
)
# The same first row alone, when every stored node the proof needs is kept here (the
# ledger's UpperNodes start at BLOCK_BITS): the node rows' machinery (generate_series,
# UNION, sort) cost the database a third of the statement even when it found none.
# By the brand's id, known here with its kept nodes (slugs never change): no brand lookup.
_PREPARED["tracemark_proof_blocks"] = (
    f"(text, int, bigint) AS {_FIRST_ROW} FROM (SELECT g.brand_id, g.size, g.root_hash, g.public_key, "
    "e.id AS entry_id, l.leaf_index, l.leaf_hash, e.entry, COALESCE($3, g.size) AS s FROM ledger_log g "
    "LEFT JOIN ledger_entry e ON e.brand_id = g.brand_id AND e.ref = $1 LEFT JOIN ledger_leaf l ON l.entry_id = e.id "
    "WHERE g.brand_id = $2) AS c"
)
_PREPARED["tracemark_upper_nodes"] = (
    "(int, int) AS SELECT level, node_index, hash FROM ledger_node WHERE brand_id = $1 AND level >= $2"
)


class UpperNodes:
    """The stored nodes of one ledger from ``level`` up, kept in process memory.

    A perfect node's hash never changes once stored (the table is append-only and the
    audit checks every stored node), so copies of the few upper nodes spare every proof
    most of its index lookups: the database is asked only for the levels below ``level``
    (a 1,000,000-leaf tree: the leaf's block alone instead of 20 lookups). ``level`` is
    chosen from the tree's size so that about ``2**(KEPT_BITS + 1)`` nodes (32 bytes
    each) are kept; nodes completed since they were loaded are fetched on a miss. The
    copies belong to one ledger, named by its brand and its key (random per ledger).
    """

    KEPT_BITS = 16
    LIMIT = 1 << (KEPT_BITS + 3)  # beyond this many (the tree grew 4x), start again higher up

    BORDERS = 4096  # ephemeral nodes remembered (a few per tree size) before starting afresh

    def __init__(self, ledger: tuple[int, bytes], level: int, nodes: dict[tuple[int, int], bytes]) -> None:
        self.ledger = ledger
        self.level = level
        self.nodes = nodes
        self.borders: dict[tuple[int, int], bytes] = {}
        """Ephemeral nodes by (first leaf, tree size): the right border a proof meets where
        its path reaches the tree's end (leaves that never change, so neither does it);
        about half of all proofs at one size share each one."""

    @classmethod
    def load(cls, engine: Engine, ledger: tuple[int, bytes], size: int) -> UpperNodes:
        level = max(BLOCK_BITS, size.bit_length() - cls.KEPT_BITS)
        rows = autocommit_read(engine, lambda connection: _run_prepared(
            connection, "tracemark_upper_nodes", (ledger[0], level)))
        return cls(ledger, level, {(lv, index): bytes(digest) for lv, index, digest in rows})


_UPPER: dict[tuple[Engine, str], UpperNodes] = {}
"""Upper nodes by (engine, brand slug) as proofs are asked for them (the engine itself:
hashing its URL cost more than the rest of a lookup)."""


@dataclass(frozen=True, slots=True)
class ProofBundle:
    """What :func:`proof_bundle` read: the context, and either the proof itself (at the
    head's size, the common case) or the stored nodes and the plan to assemble it from;
    plan and proof are None when the context cannot be proven (the caller reports why)."""

    context: ProofContext | None
    nodes: dict[tuple[int, int], bytes]
    plan: ProofPlan | None = None
    proof: list[bytes] | None = None


def proof_bundle(engine: Engine, brand: str, ref: str, size: int | None) -> ProofBundle:
    """PostgreSQL, one round trip (once the ledger's upper nodes are kept here): the
    proof context of ``ref`` and its inclusion proof at ``size`` (default: the head's
    size), or every stored node it needs. ``engine`` should not ping on checkout
    (:attr:`Database.unpinged`)."""
    slot = (engine, brand)
    upper = _UPPER.get(slot)
    rows = []
    if upper is not None and upper.level == BLOCK_BITS:
        rows = autocommit_read(engine, lambda connection: _run_prepared(
            connection, "tracemark_proof_blocks", (ref, upper.ledger[0], size)))
    if not rows:  # no kept nodes yet, kept from higher up, or the brand's ledger is gone
        rows = autocommit_read(engine, lambda connection: _run_prepared(
            connection, "tracemark_proof_all", (ref, brand, size, 64 if upper is None else upper.level)))
    context = None
    ledger = (0, b"")
    nodes: dict[tuple[int, int], bytes] = {}
    block = border = None
    for level, index, digest, brand_id, tree_size, root, entry_id, entry, key, packed_block, packed_border in rows:
        if level == -1:
            context = ProofContext(brand_id=brand_id, tree_size=tree_size, root_hash=bytes(root), entry_id=entry_id,
                                   leaf_index=index, leaf_hash=None if digest is None else bytes(digest),
                                   entry=None if entry is None else bytes(entry))
            ledger = (brand_id, bytes(key))
            if index is not None:
                last = size if size is not None else tree_size
                block = _block_leaves(index, last, packed_block)
                border = _block_leaves(last - 1, last, packed_border)
        elif digest is not None:
            nodes[(level, index)] = bytes(digest)
    if context is None or context.leaf_index is None:
        return ProofBundle(context, nodes)
    tree_size = context.tree_size if size is None else size
    if not 0 <= context.leaf_index < tree_size <= context.tree_size:
        return ProofBundle(context, nodes)  # the caller reports the bad size
    if upper is None or upper.ledger != ledger:
        # The first proof of this ledger here, or the slug names another ledger now.
        upper = _UPPER[slot] = UpperNodes.load(engine, ledger, context.tree_size)
    if tree_size == context.tree_size and block is not None:
        made = _direct_proof(context.leaf_index, tree_size, block, border, nodes, upper)
        if made is not None and _agrees(*made, context, len(block), upper):
            return ProofBundle(context, nodes, proof=made[0])
    if block is not None and not _in_order(block, context.leaf_index, upper):
        # Not known to be in index order: read the block's leaves again, by index.
        first = context.leaf_index >> BLOCK_BITS << BLOCK_BITS
        wanted = list(range(first, min(first + (1 << BLOCK_BITS), tree_size)))
        block = None
        for level, index, digest in autocommit_read(engine, lambda connection: _run_prepared(
                connection, "tracemark_proof_nodes", (context.brand_id, wanted, [], []))):
            nodes[(level, index)] = bytes(digest)
    for leaves, index in ((block, context.leaf_index), (border, tree_size - 1)):
        first = index >> BLOCK_BITS << BLOCK_BITS
        nodes.update(((0, first + j), leaf) for j, leaf in enumerate(leaves or ()))
    plan = inclusion_proof_nodes(context.leaf_index, tree_size)
    wanted = plan.nodes
    if tree_size != context.tree_size:
        wanted += tuple(range_nodes(0, tree_size))
    kept = upper.nodes
    missing = []
    for address in wanted:
        if address not in nodes:
            level = address[0]
            digest = (kept.get(address) if level >= upper.level
                      else _from_block(address, nodes) if 0 < level < BLOCK_BITS else None)
            if digest is None:
                missing.append(address)
            else:
                nodes[address] = digest
    if missing:
        # Completed since the upper nodes were loaded (or a broken ledger: the caller
        # reports a node that is still missing).
        fetched = autocommit_read(engine, lambda connection: _run_prepared(
            connection, "tracemark_proof_nodes", (context.brand_id, [a[1] for a in missing if a[0] == 0],
                                                  [a[0] for a in missing if a[0]], [a[1] for a in missing if a[0]])))
        for level, index, digest in fetched:
            nodes[(level, index)] = digest = bytes(digest)
            if level >= upper.level:
                kept[(level, index)] = digest
        if len(kept) > UpperNodes.LIMIT:
            _UPPER.pop(slot, None)
    return ProofBundle(context, nodes, plan)


def _block_leaves(index: int, size: int, packed: bytes | None) -> list[bytes] | None:
    """The leaf hashes of ``index``'s block in a tree of ``size`` leaves, read packed in
    index order; None if the block was not read, or holds a leaf too few or too many (a
    broken ledger: the proof is then planned, and what is missing fetched and named)."""
    first = index >> BLOCK_BITS << BLOCK_BITS
    count = min(first + (1 << BLOCK_BITS), size) - first
    if not packed or len(packed) != 32 * count:
        return None
    packed = bytes(packed)
    return [packed[j:j + 32] for j in range(0, 32 * count, 32)]


def _agrees(proof: list[bytes], block_root: bytes, context: ProofContext, block_size: int, upper: UpperNodes) -> bool:
    """Whether a proof made from a block read without a guaranteed order is right: the
    block's root is its kept node (a full block; the proof's first hashes came from it),
    else the whole proof leads from the leaf to the head's root."""
    assert context.leaf_index is not None and context.leaf_hash is not None
    kept = _kept_block_node(upper, context.leaf_index, block_size)
    if kept is not None:
        return block_root == kept
    try:
        verify_inclusion(leaf_hash=context.leaf_hash, index=context.leaf_index, size=context.tree_size,
                         proof=proof, root=context.root_hash)
    except LedgerError:
        return False
    return True


def _in_order(block: list[bytes], index: int, upper: UpperNodes) -> bool:
    """Whether the leaf's block, read without a guaranteed order, is known to be in order:
    a full block whose root is its kept node."""
    kept = _kept_block_node(upper, index, len(block))
    return kept is not None and root_hash(block) == kept


def _kept_block_node(upper: UpperNodes, index: int, block_size: int) -> bytes | None:
    """The kept node of leaf ``index``'s block, if the block is full and its node is kept."""
    if block_size != 1 << BLOCK_BITS or upper.level != BLOCK_BITS:
        return None
    return upper.nodes.get((BLOCK_BITS, index >> BLOCK_BITS))


def _direct_proof(index: int, size: int, block: list[bytes], border: list[bytes] | None,
                  stored: dict[tuple[int, int], bytes], upper: UpperNodes) -> tuple[list[bytes], bytes] | None:
    """The inclusion proof of leaf ``index`` at ``size`` from what was read and kept, with
    the root of the leaf's block; None if a node is missing (the caller then plans the proof and fetches what is missing).

    The hot path of proof serving, so no plan: walking up from the leaf, each level adds
    the sibling of the path's node, if it has one — the left one, a perfect node; the
    right one, perfect, or ephemeral (the rest of the tree, hashed from its compact range)
    when it reaches the tree's end; the last node of a level has none and moves up as is
    (RFC 9162 §2.1.3.1, PATH, read bottom-up). Below BLOCK_BITS the siblings are hashed
    from the leaf's ``block``; above, nodes are kept (``upper``) or were read (``stored``);
    the tree's last, partial block (``border``) gives the compact range's small nodes.
    """
    kept = upper.nodes
    kept_from = upper.level

    def perfect(level: int, i: int) -> bytes | None:
        return kept.get((level, i)) if level >= kept_from else stored.get((level, i))

    proof, block_root = _block_path(block, index & ((1 << BLOCK_BITS) - 1))
    level, i, last = BLOCK_BITS, index >> BLOCK_BITS, (size - 1) >> BLOCK_BITS
    while last:
        if i & 1:
            digest = perfect(level, i - 1)
        elif i == last:
            level, i, last = level + 1, i >> 1, last >> 1
            continue  # no sibling at this level
        elif (i + 2) << level <= size:
            digest = perfect(level, i + 1)
        else:
            start = (i + 1) << level
            digest = upper.borders.get((start, size))
            if digest is None:
                digest = _right_border(start, size, border, perfect)
                if digest is not None:  # leaves start..size never change: nor does their node
                    if len(upper.borders) >= UpperNodes.BORDERS:
                        upper.borders.clear()
                    upper.borders[(start, size)] = digest
        if digest is None:
            return None
        proof.append(digest)
        level, i, last = level + 1, i >> 1, last >> 1
    return proof, block_root


def _right_border(start: int, size: int, border: list[bytes] | None,
                  perfect: Callable[[int, int], bytes | None]) -> bytes | None:
    """The ephemeral node of leaves ``start`` to ``size`` (RFC 9162: the root of the rest of
    the tree), hashed from its compact range: nodes from BLOCK_BITS up as ``perfect`` finds
    them, the smaller ones from the tree's last, partial block (``border``)."""
    last_block = (size - 1) >> BLOCK_BITS << BLOCK_BITS
    digests = []
    for address in range_nodes(start, size):
        if address.level >= BLOCK_BITS:
            digest = perfect(address.level, address.index)
        else:
            low = (address.index << address.level) - last_block
            digest = None if border is None or low < 0 else root_hash(border[low:low + (1 << address.level)])
        if digest is None:
            return None
        digests.append(digest)
    return hash_border(digests)


def _block_path(row: list[bytes], i: int) -> tuple[list[bytes], bytes]:
    """The proof of leaf ``i`` inside its block (leaf hashes ``row``; fewer than a block's
    at the tree's end) and the block's root, bottom-up: each level pairs its nodes, a last
    odd one moves up as is (which is how RFC 9162 splits a partial block)."""
    proof = []
    while len(row) > 1:
        if i ^ 1 < len(row):
            proof.append(row[i ^ 1])
        row = [sha256(b"\x01" + row[j] + row[j + 1]).digest() if j + 1 < len(row) else row[j]
               for j in range(0, len(row), 2)]
        i >>= 1
    return proof, row[0]


def _from_block(address: tuple[int, int], nodes: dict[tuple[int, int], bytes]) -> bytes | None:
    """The hash of a perfect node from its leaves, if they were all read (the leaf's block)."""
    level, index = address
    leaves = [nodes.get((0, i)) for i in range(index << level, (index + 1) << level)]
    return None if None in leaves else root_hash(leaves)  # type: ignore[arg-type]


def _execute_prepared(session: Session, name: str, params: tuple) -> list[tuple]:
    """PostgreSQL: run a statement prepared once per connection (planning cost more than running)."""
    return _run_prepared(session.connection().connection, name, params)


_EXECUTE: dict[str, str] = {}


def _run_prepared(connection: PoolProxiedConnection, name: str, params: tuple) -> list[tuple]:
    info = connection.info
    prepared = info.get("tracemark_prepared")
    if prepared is None:
        prepared = info["tracemark_prepared"] = set()
    cursor = connection.driver_connection.cursor()
    try:
        if name not in prepared:
            cursor.execute(f"PREPARE {name} {_PREPARED[name]}")
            prepared.add(name)
        execute = _EXECUTE.get(name)
        if execute is None:
            execute = _EXECUTE[name] = f"EXECUTE {name} ({', '.join(['%s'] * len(params))})"
        cursor.execute(execute, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def analyze(session: Session) -> None:
    """Refresh planner statistics of the ledger tables (after a bulk load; autovacuum does it later)."""
    if is_postgres(session):
        session.execute(text("ANALYZE ledger_entry, ledger_leaf, ledger_node, ledger_log"))
    else:
        session.execute(text("ANALYZE"))


def proof_context(session: Session, brand: str, ref: str) -> ProofContext | None:
    """The brand's head and the entry ``ref`` with its leaf, or None when the brand has no ledger."""
    if is_postgres(session):
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
    wanted_leaves, stored, unstored = leaves_below(set(addresses))
    leaves = sorted(wanted_leaves)
    inner = sorted(stored)
    if not leaves and not inner:
        return {}
    if is_postgres(session):
        rows = _execute_prepared(session, "tracemark_proof_nodes",
                                 (brand_id, leaves, [lv for lv, _ in inner], [ix for _, ix in inner]))
    else:
        # One indexed point lookup per wanted node (a row-value IN list is not index-driven in SQLite).
        lookups = ["SELECT 0, leaf_index, leaf_hash FROM ledger_leaf WHERE brand_id = ? AND leaf_index = ?"] * len(leaves)
        lookups += ["SELECT level, node_index, hash FROM ledger_node WHERE brand_id = ? AND level = ? AND node_index = ?"] * len(inner)
        params = (*[v for index in leaves for v in (brand_id, index)],
                  *[v for level, index in inner for v in (brand_id, level, index)])
        cursor = session.connection().connection.driver_connection.cursor()
        try:
            cursor.execute(" UNION ALL ".join(lookups), params)
            rows = cursor.fetchall()
        finally:
            cursor.close()
    found = {(level, index): bytes(digest) for level, index, digest in rows}
    hash_unstored(found, unstored)
    return found
