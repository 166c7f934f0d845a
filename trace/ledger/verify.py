"""Verification of inclusion and consistency proofs.

Both functions return ``None`` and raise on any failure, never a bool: a caller cannot
forget to look at the answer. :class:`~trace.ledger.errors.ProofError` means the input is
malformed (wrong proof length, impossible sizes); :class:`~trace.ledger.errors.RootMismatchError`
means a well-formed proof leads elsewhere, i.e. the log and the verifier disagree.

Edge cases follow the transparency-dev/merkle Go verifier, whose conformance vectors live in
``tests/vectors/merkle``: a consistency proof from the empty tree is rejected (it proves
nothing), and equal sizes need an empty proof and equal roots.

References: RFC 9162 §2.1.3.2, §2.1.4.2.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import sha256

from trace.ledger.errors import ProofError, RootMismatchError
from trace.ledger.hashing import HASH_SIZE, NODE_PREFIX


def verify_inclusion(
    *, leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the tree of ``size`` leaves with ``root``.

    Raises ``ProofError`` if ``index`` is not below ``size``, a hash is not 32 bytes or
    the proof has the wrong length for ``(index, size)``; ``RootMismatchError`` if the
    proof leads to another root. The tree size itself is authenticated by the signed
    checkpoint that carries ``root``, not by the proof.

    References: RFC 9162 §2.1.3.2.
    """
    if not 0 <= index < size:
        raise ProofError(
            f"inclusion proof for leaf {index}: expected 0 <= index < tree size, found size {size}"
        )
    _check_hash("leaf hash", leaf_hash)
    _check_proof(proof)
    inner, border = _decompose(index, size)
    if len(proof) != inner + border:
        raise ProofError(
            f"inclusion proof for leaf {index} of {size}: expected {inner + border} hashes, "
            f"found {len(proof)}"
        )
    calculated = _chain_border(_chain_inner(leaf_hash, proof[:inner], index), proof[inner:])
    if calculated != root:
        raise RootMismatchError(
            what=f"inclusion proof for leaf {index} of {size}",
            expected_root=bytes(root),
            calculated_root=calculated,
        )


def verify_consistency(
    *,
    old_size: int,
    new_size: int,
    old_root: bytes,
    new_root: bytes,
    proof: Sequence[bytes],
) -> None:
    """Check that the tree of ``old_size`` with ``old_root`` is a prefix of ``new_root``'s tree.

    Raises ``ProofError`` if ``old_size`` is 0 or above ``new_size``, the proof is not empty
    for equal sizes, or has the wrong length or hash sizes; ``RootMismatchError`` if the
    proof does not lead to both roots.

    References: RFC 9162 §2.1.4.2.
    """
    if not 0 <= old_size <= new_size:
        raise ProofError(
            f"consistency proof {old_size} -> {new_size}: expected 0 <= old size <= new size"
        )
    if old_size == 0:
        # Every tree extends the empty tree: such a proof would prove nothing, and accepting
        # it would let a caller skip the check with a made-up "previous" state.
        raise ProofError(
            f"consistency proof {old_size} -> {new_size}: expected an old size above 0"
        )
    what = f"consistency proof {old_size} -> {new_size}"
    if old_size == new_size:
        if proof:
            raise ProofError(f"{what}: expected no hashes for equal sizes, found {len(proof)}")
        if old_root != new_root:
            raise RootMismatchError(
                what=what, expected_root=bytes(new_root), calculated_root=bytes(old_root)
            )
        return
    _check_proof(proof)
    # The proof is the path, in the new tree, of the largest perfect subtree that ends the
    # old tree: node (level, index). Its hash opens the proof unless that subtree is the
    # whole old tree, whose root the verifier already has.
    level = (old_size & -old_size).bit_length() - 1
    index = (old_size - 1) >> level
    inner, border = _decompose(index, ((new_size - 1) >> level) + 1)
    expected = inner + border
    if old_size == 1 << level:
        seed, path = old_root, proof
    else:
        seed, path = (proof[0] if proof else b""), proof[1:]
        expected += 1
    if len(proof) != expected:
        raise ProofError(f"{what}: expected {expected} hashes, found {len(proof)}")

    # The old tree keeps only the left siblings along the path (it ends at this node).
    calculated_old = _chain_border(_chain_inner_left(seed, path[:inner], index), path[inner:])
    if calculated_old != old_root:
        raise RootMismatchError(
            what=f"{what} (old root)", expected_root=bytes(old_root), calculated_root=calculated_old
        )
    calculated_new = _chain_border(_chain_inner(seed, path[:inner], index), path[inner:])
    if calculated_new != new_root:
        raise RootMismatchError(
            what=f"{what} (new root)", expected_root=bytes(new_root), calculated_root=calculated_new
        )


def _decompose(index: int, size: int) -> tuple[int, int]:
    """Split the path of ``index`` in a tree of ``size`` into (inner, border) lengths.

    Inner levels lie below the point where the paths to ``index`` and to the last leaf
    part; border levels lie above it and only have left siblings, one per set bit.
    """
    inner = (index ^ (size - 1)).bit_length()
    return inner, (index >> inner).bit_count()


def _chain_inner(seed: bytes, path: Sequence[bytes], index: int) -> bytes:
    node = bytes(seed)
    for level, sibling in enumerate(path):
        if (index >> level) & 1:
            node = sha256(NODE_PREFIX + sibling + node).digest()
        else:
            node = sha256(NODE_PREFIX + node + sibling).digest()
    return node


def _chain_inner_left(seed: bytes, path: Sequence[bytes], index: int) -> bytes:
    node = bytes(seed)
    for level, sibling in enumerate(path):
        if (index >> level) & 1:
            node = sha256(NODE_PREFIX + sibling + node).digest()
    return node


def _chain_border(seed: bytes, path: Sequence[bytes]) -> bytes:
    node = seed
    for sibling in path:
        node = sha256(NODE_PREFIX + sibling + node).digest()
    return node


def _check_hash(what: str, value: bytes) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{what}: expected {HASH_SIZE} bytes, found {len(value)}")


def _check_proof(proof: Sequence[bytes]) -> None:
    for position, value in enumerate(proof):
        _check_hash(f"proof hash {position}", value)
