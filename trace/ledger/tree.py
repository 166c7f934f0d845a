"""Roots and proofs computed from the full list of leaf hashes.

These follow the recursive definitions of RFC 9162 literally and take O(n) time: they are
the reference that auditors can read against the RFC, and the yardstick the storage-backed
path (:mod:`trace.ledger.proof_plan`) is tested against. A stored ledger should build
proofs from stored nodes with :func:`~trace.ledger.proof_plan.inclusion_proof_nodes` and
:func:`~trace.ledger.proof_plan.consistency_proof_nodes` instead.

References: RFC 9162 §2.1.1, §2.1.3.1, §2.1.4.1.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import sha256

from trace.ledger.hashing import EMPTY_ROOT, NODE_PREFIX
from trace.types import Hash32


def root_hash(leaf_hashes: Sequence[bytes]) -> Hash32:
    """Return the Merkle Tree Hash MTH(D[n]) of a list of leaf hashes.

    The empty tree's root is SHA-256 of the empty string.

    >>> from trace.ledger.hashing import hash_leaf
    >>> root_hash([hash_leaf(b""), hash_leaf(b"\\x00")]).hex()
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'

    References: RFC 9162 §2.1.1.
    """
    return _subtree_root(leaf_hashes, 0, len(leaf_hashes))


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int) -> list[Hash32]:
    """Return the audit path PATH(m, D[n]) of leaf ``index``, lowest node first.

    Raises ``ValueError`` unless ``0 <= index < len(leaf_hashes)``.

    References: RFC 9162 §2.1.3.1.
    """
    size = len(leaf_hashes)
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside the tree: expected 0 <= index < {size}")
    path: list[Hash32] = []
    begin, end = 0, size
    while end - begin > 1:
        mid = begin + _split(end - begin)
        if index < mid:
            path.append(_subtree_root(leaf_hashes, mid, end))
            end = mid
        else:
            path.append(_subtree_root(leaf_hashes, begin, mid))
            begin = mid
    path.reverse()
    return path


def consistency_proof(leaf_hashes: Sequence[bytes], old_size: int) -> list[Hash32]:
    """Return PROOF(m, D[n]) that the first ``old_size`` leaves form a prefix of the tree.

    The proof is empty when ``old_size == len(leaf_hashes)``. Raises ``ValueError`` unless
    ``0 < old_size <= len(leaf_hashes)``: a proof from the empty tree proves nothing, and
    verifiers reject it.

    References: RFC 9162 §2.1.4.1.
    """
    size = len(leaf_hashes)
    if not 0 < old_size <= size:
        raise ValueError(
            f"old size {old_size} has no consistency proof: expected 0 < old_size <= {size}"
        )
    # SUBPROOF(m, D[begin:end], known) with m kept as an absolute leaf count.
    proof: list[Hash32] = []
    begin, end, known = 0, size, True
    while old_size != end:
        mid = begin + _split(end - begin)
        if old_size <= mid:
            proof.append(_subtree_root(leaf_hashes, mid, end))
            end = mid
        else:
            proof.append(_subtree_root(leaf_hashes, begin, mid))
            begin, known = mid, False
    if not known:
        proof.append(_subtree_root(leaf_hashes, begin, end))
    proof.reverse()
    return proof


def _split(n: int) -> int:
    """Return the largest power of two smaller than ``n`` (for ``n > 1``)."""
    return 1 << ((n - 1).bit_length() - 1)


def _subtree_root(leaf_hashes: Sequence[bytes], begin: int, end: int) -> Hash32:
    """Return MTH(D[begin:end]) by hashing level by level.

    Pairing neighbours and carrying an odd last node up unchanged builds exactly the tree
    of RFC 9162's split at the largest power of two, without recursion.
    """
    level = list(leaf_hashes[begin:end])
    if not level:
        return EMPTY_ROOT
    while len(level) > 1:
        parents = [
            sha256(NODE_PREFIX + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            parents.append(level[-1])
        level = parents
    return Hash32(level[0])
