"""`tracemark ledger audit`: recompute a brand's ledger from what is stored and compare.

Every entry is rebuilt from the rows it describes, every leaf hash from its entry, every
stored node from the leaves, every checkpoint's root from the tree at its size (and its
signature checked), consecutive checkpoints are proven consistent, and an externally kept
checkpoint (``--from-checkpoint``) must be consistent with today's tree. The first
mismatch stops the audit and names the row: a rewritten history cannot hide behind
recomputed hashes once anyone kept an old checkpoint.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.orm import Session

from trace.db import ledger_store
from trace.db.database import Database
from trace.db.ledger import LedgerLog
from trace.errors import LedgerError
from trace.ledger import (
    Checkpoint,
    CompactRange,
    hash_leaf,
    open_note,
    verifier_key_string,
    verify_consistency,
)
from trace.services import ledger
from trace.services.lookups import brand_by_slug
from trace.services.minting import commissioning_record


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


def _commission_source(session: Session, ref: str) -> bytes:
    return commissioning_record(session, int(ref.split(":", 1)[1])).canonical_bytes()


# How each kind of entry is rebuilt from its source rows. Kinds absent here are their own
# record (benchmarks, notes): only their leaf hash can be checked.
SOURCES: dict[str, Callable[[Session, str], bytes]] = {"commission": _commission_source}


def audit(db: Database, brand: str, *, external_checkpoint: str | None = None, chunk: int = 50_000) -> AuditReport:
    started = time.perf_counter()
    with db.reading() as session:
        brand_row = brand_by_slug(session, brand)
        log = session.get(LedgerLog, brand_row.id)
        if log is None:
            raise AuditFailure(f"ledger_log brand={brand}", "no ledger")
        vkey = verifier_key_string(log.origin, Ed25519PublicKey.from_public_bytes(bytes(log.public_key)))
        wanted = _checkpoint_roots(session, brand_row.id, vkey)
        if external_checkpoint is not None:
            outside = _open(external_checkpoint, vkey, "external checkpoint")
            if outside.size > log.size:
                raise AuditFailure("external checkpoint", f"size {outside.size} is beyond the stored tree ({log.size})")
            wanted.setdefault(outside.size, []).append(("external checkpoint", outside.root_hash))
        compact = CompactRange()
        expected_nodes = 0
        rebuilt = 0
        last_entry = 0
        row_name = f"ledger_leaf brand={brand}"
        _check_roots(wanted, compact)
        for rows in ledger_store.stream_leaves(session, brand_row.id, chunk=chunk):
            first = rows[0][0]
            leaf_hashes: list[bytes] = []
            for offset, (index, entry_id, leaf_hash, entry_brand, kind, ref, entry) in enumerate(rows):
                name = f"{row_name} leaf_index={index}"
                if index != first + offset or index != compact.size + offset:
                    raise AuditFailure(name, f"expected leaf {compact.size + offset}: a leaf is missing or out of order")
                if entry is None or entry_brand != brand_row.id:
                    raise AuditFailure(name, f"entry {entry_id} is missing or belongs to another brand")
                if entry_id <= last_entry:
                    raise AuditFailure(name, f"entry {entry_id} is out of order (previous leaf had entry {last_entry})")
                last_entry = entry_id
                entry = bytes(entry)
                if hash_leaf(entry) != bytes(leaf_hash):
                    raise AuditFailure(name, f"leaf hash does not match entry {entry_id}")
                source = SOURCES.get(kind)
                if source is not None:
                    if source(session, ref) != entry:
                        raise AuditFailure(f"ledger_entry id={entry_id} ({ref})",
                                           "does not match the stored record it describes")
                    rebuilt += 1
                leaf_hashes.append(bytes(leaf_hash))
            expected_nodes += _extend_and_compare(session, brand_row.id, compact, leaf_hashes, wanted)
        _finish(session, brand_row.id, log, compact, expected_nodes, last_entry, brand)
        pending = ledger_store.count_pending(session, brand_row.id, log.last_entry_id)
        checkpoint_rows = ledger_store.checkpoints(session, brand_row.id)
    _prove_consecutive(db, brand, checkpoint_rows)
    return AuditReport(brand=brand, leaves=compact.size, nodes=expected_nodes, checkpoints=len(checkpoint_rows),
                       entries_rebuilt=rebuilt, pending=pending, root_hash=compact.root(),
                       seconds=time.perf_counter() - started)


def _open(note: str, vkey: str, name: str) -> Checkpoint:
    try:
        return Checkpoint.parse(open_note(note, vkey))
    except LedgerError as exc:
        raise AuditFailure(name, f"not a valid signed checkpoint of this ledger ({exc})") from exc


def _checkpoint_roots(session: Session, brand_id: int, vkey: str) -> dict[int, list[tuple[str, bytes]]]:
    wanted: dict[int, list[tuple[str, bytes]]] = {}
    previous = 0
    for row in ledger_store.checkpoints(session, brand_id):
        name = f"ledger_checkpoint id={row.id}"
        checkpoint = _open(row.note, vkey, name)
        if (checkpoint.size, checkpoint.root_hash) != (row.size, bytes(row.root_hash)):
            raise AuditFailure(name, "size or root column differs from the signed note")
        if checkpoint.size < previous:
            raise AuditFailure(name, f"size {checkpoint.size} is smaller than the previous checkpoint's {previous}")
        previous = checkpoint.size
        wanted.setdefault(checkpoint.size, []).append((name, checkpoint.root_hash))
    return wanted


def _check_roots(wanted: dict[int, list[tuple[str, bytes]]], compact: CompactRange) -> None:
    for name, root in wanted.get(compact.size, ()):
        if compact.root() != root:
            raise AuditFailure(name, f"root at size {compact.size} differs from the recomputed tree")


def _extend_and_compare(session: Session, brand_id: int, compact: CompactRange, leaf_hashes: list[bytes],
                        wanted: dict[int, list[tuple[str, bytes]]]) -> int:
    start = compact.size
    end = start + len(leaf_hashes)
    stored = ledger_store.nodes_completed_by(session, brand_id, start, end, max_level=max(1, end.bit_length()))
    cuts = sorted(size for size in wanted if start < size <= end)
    created = 0
    position = start
    for cut in [*cuts, end]:
        if cut <= position:
            continue
        for level, index, digest in compact.extend(leaf_hashes[position - start:cut - start]):
            if level == 0:
                continue
            created += 1
            if stored.get((level, index)) != digest:
                problem = "is missing" if (level, index) not in stored else "stored hash differs from recomputation"
                raise AuditFailure(f"ledger_node brand_id={brand_id} level={level} node_index={index}", problem)
        position = cut
        _check_roots(wanted, compact)
    return created


def _finish(session: Session, brand_id: int, log: LedgerLog, compact: CompactRange, expected_nodes: int,
            last_entry: int, brand: str) -> None:
    if compact.size != log.size or compact.root() != bytes(log.root_hash):
        raise AuditFailure(f"ledger_log brand={brand}",
                           f"head says size {log.size}, the leaves make a tree of {compact.size} with another root"
                           if compact.size != log.size else "head root differs from the recomputed root")
    if last_entry != log.last_entry_id and compact.size:
        raise AuditFailure(f"ledger_log brand={brand}", f"last sequenced entry {log.last_entry_id} is not leaf "
                                                         f"{compact.size - 1}'s entry {last_entry}")
    stored_nodes = ledger_store.count_nodes(session, brand_id)
    if stored_nodes != expected_nodes:
        raise AuditFailure(f"ledger_node brand_id={brand_id}",
                           f"{stored_nodes} nodes stored, the tree has {expected_nodes}: rows were added or removed")
    unsequenced_below = ledger_store.count_pending(session, brand_id, 0) - ledger_store.count_pending(
        session, brand_id, log.last_entry_id)
    if unsequenced_below != compact.size:
        raise AuditFailure(f"ledger_entry brand_id={brand_id}",
                           f"{unsequenced_below} entries up to id {log.last_entry_id}, but {compact.size} leaves")


def _prove_consecutive(db: Database, brand: str, rows: list) -> None:
    for older, newer in zip(rows, rows[1:]):
        if older.size == 0 or older.size == newer.size:
            continue
        proof = ledger.consistency(db, brand, older.size, newer.size)
        try:
            verify_consistency(old_size=older.size, new_size=newer.size, old_root=bytes(older.root_hash),
                               new_root=bytes(newer.root_hash), proof=list(proof.proof))
        except LedgerError as exc:
            raise AuditFailure(f"ledger_checkpoint id={newer.id}", f"not consistent with checkpoint {older.id}: {exc}") from exc
