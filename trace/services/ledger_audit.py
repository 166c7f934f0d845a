"""`tracemark ledger audit`: recompute a brand's ledger from what is stored and compare.

Every entry is rebuilt from the rows it describes, every leaf hash from its entry, every
stored node from the leaves, every checkpoint's root from the tree at its size (and its
signature checked), consecutive checkpoints are proven consistent, and an externally kept
checkpoint (``--from-checkpoint``) must be consistent with today's tree. The first
mismatch stops the audit and names the row: a rewritten history cannot hide behind
recomputed hashes once anyone kept an old checkpoint.

Whole columns are compared at once (list equality runs in C) and only a mismatch is
searched for row by row, so the audit costs little more than the hashing itself.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.orm import Session

from trace.db import ledger_audit_store, ledger_store
from trace.db.database import Database
from trace.db.ledger import LedgerLog
from trace.errors import LedgerError
from trace.ledger import Checkpoint, open_note, perfect_levels, root_from_levels, verifier_key_string, verify_consistency
from trace.services import ledger
from trace.services.lookups import brand_by_slug
from trace.services.minting import commission_entry


class AuditFailure(LedgerError):
    """The stored ledger does not match its recomputation; ``row`` names the first bad row."""

    code = "ledger_audit_failed"

    def __init__(self, row: str, problem: str) -> None:
        super().__init__(f"{row}: {problem}")
        self.row = row
        self.problem = problem


@dataclass(frozen=True, slots=True)
class AuditReport:
    brand: str
    leaves: int
    nodes: int
    checkpoints: int
    entries_rebuilt: int
    pending: int
    root_hash: bytes
    seconds: float


def _epcis_source(session: Session, ref: str) -> bytes:
    from trace.services.capture import stored_event_entry

    return stored_event_entry(session, ref)


def _verification_source(session: Session, ref: str) -> bytes:
    from trace.services.scan_record import stored_verification_entry

    return stored_verification_entry(session, ref)


# How each kind of entry is rebuilt from its source rows. Kinds absent here are their own
# record (benchmarks, notes): only their leaf hash can be checked.
SOURCES: dict[str, Callable[[Session, str], bytes]] = {
    "commission": commission_entry, "epcis": _epcis_source, "epcis-error": _epcis_source,
    "verification": _verification_source,
}


def _first_difference(a: Sequence[object], b: Sequence[object]) -> int:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def audit(db: Database, brand: str, *, external_checkpoint: str | None = None) -> AuditReport:
    started = time.perf_counter()
    with db.reading() as session:
        brand_row = brand_by_slug(session, brand)
        log = session.get(LedgerLog, brand_row.id)
        if log is None:
            raise AuditFailure(f"ledger_log brand={brand}", "no ledger")
        vkey = verifier_key_string(log.origin, Ed25519PublicKey.from_public_bytes(bytes(log.public_key)))
        checkpoints = _signed_checkpoints(session, brand_row.id, vkey)
        external = _open(external_checkpoint, vkey, "external checkpoint") if external_checkpoint else None
        if db.dialect == "postgresql":
            # The entries' hashes are PostgreSQL's part of the work: a second connection
            # computes them, and a third reads the stored nodes, while this one reads the
            # leaves and Python builds the tree.
            with ThreadPoolExecutor(2) as pool:
                entries = pool.submit(ledger_audit_store.entry_digests, db.engine, brand_row.id, log.last_entry_id)
                stored_nodes = pool.submit(ledger_audit_store.stored_node_chunks, db.engine, brand_row.id)
                summary = ledger_audit_store.leaf_summary(session, brand_row.id, log.last_entry_id, entries.result)
                levels = perfect_levels(summary.leaf_hashes) if summary is not None else []
                matching = ledger_audit_store.matching_nodes(
                    session, brand_row.id, levels, stored_nodes.result()) if levels else None
                if summary is not None:
                    summary.in_order  # noqa: B018  (waits for the entries, inside the pool's lifetime)
        else:
            summary, matching = None, None
        leaf_hashes, rebuilt = _leaves(session, brand_row.id, brand, log, summary)
        if summary is None or leaf_hashes is not summary.leaf_hashes:
            levels = perfect_levels(leaf_hashes)
        nodes = matching if matching is not None else _compare_nodes(session, brand_row.id, levels)
        size = len(leaf_hashes)
        root = root_from_levels(levels, size)
        if size != log.size or root != bytes(log.root_hash):
            raise AuditFailure(f"ledger_log brand={brand}", f"head says size {log.size}; the leaves make {size}"
                               if size != log.size else "head root differs from the recomputed root")
        for name, checkpoint in checkpoints:
            _check_root(name, checkpoint, levels, size)
        if external is not None:
            _check_root("external checkpoint", external, levels, size)
        pending = ledger_store.count_pending(session, brand_row.id, log.last_entry_id)
        rows = ledger_store.checkpoints(session, brand_row.id)
    _prove_consecutive(db, brand, rows)
    return AuditReport(brand=brand, leaves=size, nodes=nodes, checkpoints=len(rows), entries_rebuilt=rebuilt,
                       pending=pending, root_hash=root, seconds=time.perf_counter() - started)


def _open(note: str, vkey: str, name: str) -> Checkpoint:
    try:
        return Checkpoint.parse(open_note(note, vkey))
    except LedgerError as exc:
        raise AuditFailure(name, f"not a valid signed checkpoint of this ledger ({exc})") from exc


def _signed_checkpoints(session: Session, brand_id: int, vkey: str) -> list[tuple[str, Checkpoint]]:
    result = []
    previous = 0
    for row in ledger_store.checkpoints(session, brand_id):
        name = f"ledger_checkpoint id={row.id}"
        checkpoint = _open(row.note, vkey, name)
        if (checkpoint.size, checkpoint.root_hash) != (row.size, bytes(row.root_hash)):
            raise AuditFailure(name, "size or root column differs from the signed note")
        if checkpoint.size < previous:
            raise AuditFailure(name, f"size {checkpoint.size} is smaller than the previous checkpoint's {previous}")
        previous = checkpoint.size
        result.append((name, checkpoint))
    return result


def _check_root(name: str, checkpoint: Checkpoint, levels: list[list[bytes]], size: int) -> None:
    if checkpoint.size > size:
        raise AuditFailure(name, f"size {checkpoint.size} is beyond the stored tree ({size} leaves)")
    if root_from_levels(levels, checkpoint.size) != checkpoint.root_hash:
        raise AuditFailure(name, f"root at size {checkpoint.size} differs from the recomputed tree")


def _leaves(session: Session, brand_id: int, brand: str, log: LedgerLog,
            summary: ledger_audit_store.LeafSummary | None) -> tuple[list[bytes], int]:
    """Check leaves against entries and entries against their records; return the leaf hashes.

    PostgreSQL checks the whole ledger in bulk first; only a failed check reads the
    columns row by row to name the first bad row.
    """
    if summary is not None and summary.contiguous and summary.matches and summary.in_order:
        return summary.leaf_hashes, _rebuild_entries(session, brand_id, log)
    indexes, entry_ids, leaf_hashes, matches = ledger_audit_store.leaf_columns(session, brand_id)
    if indexes != list(range(len(indexes))):
        at = _first_difference(indexes, range(len(indexes)))
        row = f"ledger_leaf brand={brand} leaf_index={indexes[at] if at < len(indexes) else at}"
        raise AuditFailure(row, f"expected leaf {at}: a leaf is missing or out of order")
    if not all(matches):
        at = matches.index(False)
        raise AuditFailure(f"ledger_leaf brand={brand} leaf_index={at}", f"leaf hash does not match entry {entry_ids[at]}")
    recorded = ledger_audit_store.entry_ids_up_to(session, brand_id, log.last_entry_id)
    if entry_ids != recorded:
        # Leaves must take the recorded entries in recording order, each exactly once.
        at = _first_difference(entry_ids, recorded)
        if at < len(entry_ids):
            raise AuditFailure(f"ledger_leaf brand={brand} leaf_index={at}",
                               f"names entry {entry_ids[at]}, but entry {recorded[at] if at < len(recorded) else 'none'} "
                               "comes next in recording order (missing, extra or reordered rows)")
        raise AuditFailure(f"ledger_entry id={recorded[at]}", "recorded but has no leaf")
    return leaf_hashes, _rebuild_entries(session, brand_id, log)


def _rebuild_entries(session: Session, brand_id: int, log: LedgerLog) -> int:
    rebuilt = 0
    for entry_id, kind, ref, entry in ledger_audit_store.entries_of_kinds(session, brand_id, list(SOURCES), log.last_entry_id):
        if SOURCES[kind](session, ref) != entry:
            raise AuditFailure(f"ledger_entry id={entry_id} ({ref})", "does not match the stored record it describes")
        rebuilt += 1
    return rebuilt


def _compare_nodes(session: Session, brand_id: int, levels: list[list[bytes]]) -> int:
    """The number of stored nodes, each checked against its recomputation (levels)."""
    matching = ledger_audit_store.matching_nodes(session, brand_id, levels)
    if matching is not None:
        return matching
    expected = 0
    for level in range(1, len(levels)):
        indexes, hashes = ledger_audit_store.node_level(session, brand_id, level)
        # Below LOWEST_STORED_LEVEL only a ledger sequenced before that rule has rows: a prefix.
        want = levels[level] if level >= ledger_store.LOWEST_STORED_LEVEL else levels[level][:len(indexes)]
        expected += len(want)
        if hashes != want or indexes != list(range(len(want))):
            at = min(_first_difference(hashes, want), _first_difference(indexes, range(len(want))))
            # A gap names the node that is missing (``at``), not the next stored one.
            missing = at >= len(indexes) or indexes[at] > at
            index = at if missing else indexes[at]
            problem = ("is missing" if missing
                       else "is not part of the tree" if at >= len(want)
                       else "stored hash differs from recomputation")
            raise AuditFailure(f"ledger_node brand_id={brand_id} level={level} node_index={index}", problem)
    stored = ledger_store.count_nodes(session, brand_id)
    if stored != expected:
        raise AuditFailure(f"ledger_node brand_id={brand_id}",
                           f"{stored} nodes stored, the tree has {expected}: rows were added")
    return expected


def _prove_consecutive(db: Database, brand: str, rows: list) -> None:
    for older, newer in zip(rows, rows[1:]):
        if older.size == 0 or older.size == newer.size:
            continue
        proof = ledger.consistency(db, brand, older.size, newer.size)
        try:
            verify_consistency(old_size=older.size, new_size=newer.size, old_root=bytes(older.root_hash),
                               new_root=bytes(newer.root_hash), proof=list(proof.proof))
        except LedgerError as exc:
            raise AuditFailure(f"ledger_checkpoint id={newer.id}",
                               f"not consistent with checkpoint {older.id}: {exc}") from exc
