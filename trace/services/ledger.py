"""The brand ledgers: record entries, sequence them into the tree, publish checkpoints,
serve proofs. See trace/db/ledger_store.py for how sequencing stays concurrent-safe."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from trace.crypto import BrandSigningKey, KeyStore
from trace.db import ledger_proof_store, ledger_store
from trace.db.database import Database
from trace.db.ledger import LedgerLog
from trace.db.models import Brand
from trace.db.ledger_store import NewEntry
from trace.errors import Conflict, InvalidInput, NotFound
from trace.ledger import (
    EMPTY_ROOT,
    Checkpoint,
    CompactRange,
    ProofPlan,
    assemble_proof,
    consistency_proof_nodes,
    inclusion_proof_nodes,
    range_nodes,
    root_from_perfect_nodes,
    sign_note,
    verifier_key_string,
)
from trace.services.lookups import brand_by_slug

SEQUENCE_BATCH = 10_000


@dataclass(frozen=True, slots=True)
class LedgerHead:
    brand: str
    origin: str
    size: int
    root_hash: bytes
    verifier_key: str
    pending: int


@dataclass(frozen=True, slots=True)
class InclusionProof:
    brand: str
    ref: str
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    root_hash: bytes
    proof: tuple[bytes, ...]
    entry: bytes = b""


@dataclass(frozen=True, slots=True)
class ConsistencyProof:
    brand: str
    old_size: int
    new_size: int
    old_root: bytes
    new_root: bytes
    proof: tuple[bytes, ...]


def origin_for(brand: Brand) -> str:
    """The C2SP checkpoint origin of a brand's ledger: resolver host and path, then the slug."""
    parts = urlsplit(brand.domain)
    return f"{parts.netloc}{parts.path}/tracemark-ledger/{brand.slug}"


def ensure_log(session: Session, key_store: KeyStore, brand: Brand) -> LedgerLog:
    """The brand's ledger, created (with its checkpoint key) on first use."""
    log = session.get(LedgerLog, brand.id)
    if log is not None:
        return log
    key = BrandSigningKey.generate()
    key_store.save(key)
    log = LedgerLog(brand_id=brand.id, origin=origin_for(brand), kid=key.kid, public_key=key.public_raw,
                    size=0, root_hash=EMPTY_ROOT, last_entry_id=0)
    session.add(log)
    session.flush()
    return log


def record(session: Session, brand_id: int, entries: Sequence[NewEntry]) -> list[int]:
    """Append entries to the brand's ledger in the caller's transaction (sequenced later)."""
    return ledger_store.insert_entries(session, brand_id, entries)


def sequence(db: Database, brand: str, *, wait: bool = True, max_batch: int = SEQUENCE_BATCH) -> int:
    """Number every recorded entry of ``brand`` into its tree; returns how many leaves were added.

    With ``wait=False`` it gives up at once when another process holds the lock (that one
    will take these entries too): writers call it this way after they commit.
    """
    total = 0
    brand_id: int | None = None
    while True:
        with db.transaction() as session:
            if brand_id is None:
                brand_id = brand_by_slug(session, brand).id
            fence = ledger_store.sequencing_fence(session, brand_id, wait=wait)
        if fence is None:
            return total
        # The lock went with that transaction: writers record on while this batch is numbered.
        with db.transaction() as session:
            state = ledger_store.sequencing_state(session, brand_id, max_batch, fence)
            if state is None:
                return total
            size, root, _, pending = state
            if not pending:
                return total
            compact = _compact_range(db, session, brand_id, size, root)
            leaf_hashes = [leaf_hash for _, leaf_hash in pending]
            new_nodes = compact.extend(leaf_hashes)
            ledger_store.write_tree(session, brand_id, size, [entry_id for entry_id, _ in pending],
                                    leaf_hashes, new_nodes)
            ledger_store.set_head(session, brand_id, size=compact.size, root=compact.root(),
                                  last_entry_id=pending[-1][0])
            total += len(pending)
        # Committed: the range is the head's now, and the next batch starts from it.
        _COMPACT_RANGES[(db.engine.url.render_as_string(), brand_id)] = compact.copy()
        if len(pending) < max_batch:
            return total


_COMPACT_RANGES: dict[tuple[str, int], CompactRange] = {}
"""The compact range of each brand's head as this process last committed it. A range is
only used for the head of the same size and root (a tree of that size and root has only
that range), so another process sequencing in between just means reading it again."""


def _compact_range(db: Database, session: Session, brand_id: int, size: int, root: bytes) -> CompactRange:
    cached = _COMPACT_RANGES.pop((db.engine.url.render_as_string(), brand_id), None)
    if cached is not None and cached.size == size and cached.root() == root:
        return cached
    addresses = range_nodes(0, size)
    fetched = ledger_store.fetch_nodes(session, brand_id, addresses)
    return CompactRange.from_hashes(size, [fetched[(a[0], a[1])] for a in addresses])


def head(db: Database, key_store: KeyStore, brand: str) -> LedgerHead:
    with db.transaction() as session:
        brand_row = brand_by_slug(session, brand)
        log = ensure_log(session, key_store, brand_row)
        pending = ledger_store.count_pending(session, brand_row.id, log.last_entry_id)
        return LedgerHead(brand=brand_row.slug, origin=log.origin, size=log.size, root_hash=bytes(log.root_hash),
                          verifier_key=_vkey(log), pending=pending)


def _vkey(log: LedgerLog) -> str:
    return verifier_key_string(log.origin, Ed25519PublicKey.from_public_bytes(bytes(log.public_key)))


def publish_checkpoint(db: Database, key_store: KeyStore, brand: str) -> str:
    """Sequence what is pending, then sign and keep a checkpoint of the tree head.

    A checkpoint is only added when the tree grew: asking twice gives the same note.
    """
    with db.transaction() as session:
        ensure_log(session, key_store, brand_by_slug(session, brand))
    sequence(db, brand)
    with db.transaction() as session:
        brand_row = brand_by_slug(session, brand)
        if not ledger_store.lock_for_sequencing(session, brand_row.id, wait=True):
            raise Conflict("ledger busy")  # unreachable with wait=True; kept for clarity
        log = ledger_store.head_for_update(session, brand_row.id)
        assert log is not None
        latest = ledger_store.latest_checkpoint(session, brand_row.id)
        if latest is not None and latest.size == log.size:
            return latest.note
        text = Checkpoint(origin=log.origin, size=log.size, root_hash=bytes(log.root_hash)).to_text()
        private = key_store.load(log.kid).private_key
        note = sign_note(text, key_name=log.origin, private_key=private)
        ledger_store.add_checkpoint(session, brand_row.id, size=log.size, root=bytes(log.root_hash), note=note)
        return note


def latest_checkpoint(db: Database, brand: str) -> str:
    with db.reading() as session:
        brand_row = brand_by_slug(session, brand)
        latest = ledger_store.latest_checkpoint(session, brand_row.id)
        if latest is None:
            raise NotFound(f"brand {brand!r} has published no checkpoint yet")
        return latest.note


def verifier_key(db: Database, brand: str) -> str:
    with db.reading() as session:
        log = session.get(LedgerLog, brand_by_slug(session, brand).id)
        if log is None:
            raise NotFound(f"brand {brand!r} has no ledger yet")
        return _vkey(log)


def _tree_size(log: LedgerLog, size: int | None) -> int:
    if size is None:
        return log.size
    if not 0 < size <= log.size:
        raise InvalidInput(f"invalid tree size {size}: expected 1 to {log.size}")
    return size


def inclusion(db: Database, brand: str, ref: str, *, size: int | None = None) -> InclusionProof:
    """The inclusion proof of the entry ``ref`` in the tree of ``size`` leaves (default: current).

    PostgreSQL: one statement in autocommit (no BEGIN/ROLLBACK round trips, no ping on
    checkout) fetches the head, the entry's leaf and the nodes the proof needs below the
    upper levels this process keeps (``ledger_proof_store.UpperNodes``). SQLite: two statements, the
    head with the entry's leaf, then every node the proof needs.
    """
    if db.dialect == "postgresql":
        bundle = ledger_proof_store.proof_bundle(db.unpinged, brand, ref, size)
        if bundle.context is None:
            with db.reading() as session:
                slug = brand_by_slug(session, brand).slug  # NotFound for an unknown brand
            if slug != brand:
                bundle = ledger_proof_store.proof_bundle(db.unpinged, slug, ref, size)
            if bundle.context is None:
                raise NotFound(f"brand {brand!r} has no ledger yet")
            brand = slug
        return _inclusion_from(brand, ref, size, bundle.context, bundle.nodes, bundle.plan, bundle.proof)
    with db.reading() as session:
        context = ledger_proof_store.proof_context(session, brand, ref)
        if context is None:
            # NotFound for an unknown brand; a display name (as typed on the command line) is
            # looked up by its slug, like everywhere else.
            slug = brand_by_slug(session, brand).slug
            context = None if slug == brand else ledger_proof_store.proof_context(session, slug, ref)
            if context is None:
                raise NotFound(f"brand {brand!r} has no ledger yet")
            brand = slug
        _check_inclusion(brand, ref, size, context)
        assert context.leaf_index is not None
        tree_size = context.tree_size if size is None else size
        plan = inclusion_proof_nodes(context.leaf_index, tree_size)
        roots = [] if tree_size == context.tree_size else range_nodes(0, tree_size)
        fetched = ledger_proof_store.fetch_nodes_fast(session, context.brand_id, [*plan.nodes, *roots])
        return _inclusion_from(brand, ref, size, context, fetched)


def _check_inclusion(brand: str, ref: str, size: int | None, context: ledger_proof_store.ProofContext) -> None:
    if context.entry_id is None:
        raise NotFound(f"unknown ledger entry {ref!r} for brand {brand!r}")
    if context.leaf_index is None or context.leaf_hash is None:
        raise Conflict(f"ledger entry {ref!r} is not sequenced yet: publish a checkpoint first")
    tree_size = context.tree_size if size is None else size
    if not 0 < tree_size <= context.tree_size:
        raise InvalidInput(f"invalid tree size {size}: expected 1 to {context.tree_size}")
    if context.leaf_index >= tree_size:
        raise InvalidInput(f"entry {ref!r} is leaf {context.leaf_index}, not inside a tree of {tree_size} leaves")


def _inclusion_from(brand: str, ref: str, size: int | None, context: ledger_proof_store.ProofContext,
                    fetched: dict[tuple[int, int], bytes], plan: ProofPlan | None = None,
                    proof: Sequence[bytes] | None = None) -> InclusionProof:
    """The proof of a checked context: ``proof`` if made already, else assembled from the
    stored nodes fetched for it (and its plan, if made already)."""
    _check_inclusion(brand, ref, size, context)
    assert context.leaf_index is not None and context.leaf_hash is not None
    tree_size = context.tree_size if size is None else size
    if proof is None:
        if plan is None:
            plan = inclusion_proof_nodes(context.leaf_index, tree_size)
        proof = assemble_proof(plan, fetched)
    root = context.root_hash if tree_size == context.tree_size else root_from_perfect_nodes(tree_size, fetched)
    return InclusionProof(brand=brand, ref=ref, leaf_index=context.leaf_index, tree_size=tree_size,
                          leaf_hash=context.leaf_hash, root_hash=root, proof=tuple(proof), entry=context.entry or b"")


def consistency(db: Database, brand: str, old_size: int, new_size: int | None = None) -> ConsistencyProof:
    with db.reading() as session:
        brand_row = brand_by_slug(session, brand)
        log = session.get(LedgerLog, brand_row.id)
        if log is None:
            raise NotFound(f"brand {brand!r} has no ledger yet")
        target = _tree_size(log, new_size)
        if not 0 < old_size <= target:
            raise InvalidInput(f"invalid consistency range {old_size}..{target}: expected 1 <= from <= to <= {log.size}")
        plan = consistency_proof_nodes(old_size, target)
        fetched = ledger_store.fetch_nodes(session, brand_row.id,
                                           [*plan.nodes, *range_nodes(0, old_size), *range_nodes(0, target)])
        return ConsistencyProof(brand=brand_row.slug, old_size=old_size, new_size=target,
                                old_root=root_from_perfect_nodes(old_size, fetched),
                                new_root=root_from_perfect_nodes(target, fetched),
                                proof=tuple(assemble_proof(plan, fetched)))


def brands_with_ledgers(db: Database) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(select(Brand.slug).join(LedgerLog, LedgerLog.brand_id == Brand.id).order_by(Brand.slug)))


def entry_bytes(db: Database, brand: str, ref: str) -> bytes:
    """The canonical bytes recorded for ``ref`` (what its leaf hashes)."""
    from trace.db.ledger import LedgerEntry

    with db.reading() as session:
        brand_row = brand_by_slug(session, brand)
        entry = session.scalar(select(LedgerEntry.entry).where(LedgerEntry.brand_id == brand_row.id, LedgerEntry.ref == ref))
        if entry is None:
            raise NotFound(f"unknown ledger entry {ref!r} for brand {brand!r}")
        return bytes(entry)


def refs_of_leaves(db: Database, brand: str, indexes: Sequence[int]) -> dict[int, str]:
    """Entry references of leaves by index (for listings and tests)."""
    from trace.db.ledger import LedgerEntry, LedgerLeaf

    with db.reading() as session:
        brand_row = brand_by_slug(session, brand)
        rows = session.execute(
            select(LedgerLeaf.leaf_index, LedgerEntry.ref).join(LedgerEntry, LedgerEntry.id == LedgerLeaf.entry_id)
            .where(LedgerLeaf.brand_id == brand_row.id, LedgerLeaf.leaf_index.in_(list(indexes)))
        )
        return {index: ref for index, ref in rows}
