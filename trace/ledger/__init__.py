"""The pure Merkle ledger core: RFC 9162 trees, proofs, compact ranges, checkpoints.

No storage, clock or settings: a stored ledger (``trace.db``) and external auditors both
build on these functions. Modules, one idea each:

- :mod:`~trace.ledger.hashing`: leaf and node hashes;
- :mod:`~trace.ledger.nodes`: node addresses and compact-range decomposition;
- :mod:`~trace.ledger.tree`: roots and proofs from a full list of leaves (reference);
- :mod:`~trace.ledger.compact`: O(log n) appends reporting the nodes to persist;
- :mod:`~trace.ledger.levels`: every perfect level at once (whole-ledger audits);
- :mod:`~trace.ledger.proof_plan`: proofs and roots from stored perfect nodes;
- :mod:`~trace.ledger.verify`: proof verification (raises, never returns a bool);
- :mod:`~trace.ledger.checkpoint`, :mod:`~trace.ledger.note`: C2SP checkpoints and
  Ed25519 signed notes.

References: RFC 9162 §2.1; C2SP tlog-checkpoint, signed-note.
"""

from __future__ import annotations

from trace.ledger.checkpoint import Checkpoint
from trace.ledger.compact import CompactRange, NewNode
from trace.ledger.errors import CheckpointError, NoteError, ProofError, RootMismatchError
from trace.ledger.hashing import EMPTY_ROOT, HASH_SIZE, hash_border, hash_children, hash_leaf
from trace.ledger.levels import perfect_levels, root_from_levels
from trace.ledger.nodes import NodeAddress, is_perfect, range_nodes
from trace.ledger.note import (
    VerifierKey,
    ed25519_key_id,
    open_note,
    parse_verifier_key,
    sign_note,
    verifier_key_string,
)
from trace.ledger.proof_plan import (
    FetchedNodes,
    ProofPlan,
    assemble_proof,
    consistency_proof_nodes,
    inclusion_proof_nodes,
    root_from_perfect_nodes,
)
from trace.ledger.tree import consistency_proof, inclusion_proof, root_hash
from trace.ledger.verify import verify_consistency, verify_inclusion

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "Checkpoint",
    "CheckpointError",
    "CompactRange",
    "FetchedNodes",
    "NewNode",
    "NodeAddress",
    "NoteError",
    "ProofError",
    "ProofPlan",
    "RootMismatchError",
    "VerifierKey",
    "assemble_proof",
    "consistency_proof",
    "consistency_proof_nodes",
    "ed25519_key_id",
    "hash_border",
    "hash_children",
    "hash_leaf",
    "inclusion_proof",
    "inclusion_proof_nodes",
    "is_perfect",
    "open_note",
    "parse_verifier_key",
    "perfect_levels",
    "range_nodes",
    "root_from_levels",
    "root_from_perfect_nodes",
    "root_hash",
    "sign_note",
    "verifier_key_string",
    "verify_consistency",
    "verify_inclusion",
]
