"""Serving inclusion proofs from the stored tree: prepared statements, one round trip.

Split from trace/db/ledger_store.py (the append path) so each module holds one idea.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import PoolProxiedConnection, text
from sqlalchemy.orm import Session

from trace.db.ledger_store import is_postgres


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
    wanted = sorted(set(addresses))
    if not wanted:
        return {}
    leaves = [index for level, index in wanted if level == 0]
    inner = [(level, index) for level, index in wanted if level > 0]
    if is_postgres(session):
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
