"""Inclusion proofs: generation, planning from stored nodes, verification, mutations."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from trace.errors import LedgerError
from trace.ledger import (
    NodeAddress,
    ProofError,
    ProofPlan,
    RootMismatchError,
    assemble_proof,
    hash_leaf,
    inclusion_proof,
    inclusion_proof_nodes,
    is_perfect,
    root_hash,
    verify_inclusion,
)
from support.merkle_trees import perfect_nodes

SEED = 9162
REFERENCE_LEAVES = [
    hash_leaf(bytes.fromhex(h))
    for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
              "606162636465666768696a6b6c6d6e6f")
]


def _random_leaves(rng: random.Random, size: int) -> list[bytes]:
    return [rng.randbytes(32) for _ in range(size)]



def _sides(plan: ProofPlan, leaf: int) -> tuple[str, ...]:
    """Which side of ``leaf`` each proof element lies on: all a verifier's hashing uses."""
    return tuple("L" if element[0].coverage()[0] < leaf else "R" for element in plan.elements)


def _sample_trees() -> list[tuple[list[bytes], int]]:
    rng = random.Random(SEED)
    sizes = list(range(1, 17)) + sorted(rng.sample(range(17, 2001), 16))
    trees = []
    for size in sizes:
        leaves = _random_leaves(rng, size)
        for index in sorted({rng.randrange(size), size - 1}):
            trees.append((leaves, index))
    return trees


SAMPLES = _sample_trees()


@pytest.mark.parametrize("size", range(1, 9))
def test_every_leaf_of_reference_tree_verifies(size: int) -> None:
    leaves = REFERENCE_LEAVES[:size]
    root = root_hash(leaves)
    for index in range(size):
        proof = inclusion_proof(leaves, index)
        verify_inclusion(leaf_hash=leaves[index], index=index, size=size, proof=proof, root=root)


def test_audit_paths_of_the_rfc_example_tree() -> None:
    # RFC 9162 §2.1.5 (RFC 6962 §2.1.3) example over 7 leaves: the paths of d0, d3, d4, d6
    # are [b, h, l], [c, g, l], [f, j, k], [i, k].
    leaves = REFERENCE_LEAVES[:7]
    g, h, i = (root_hash(leaves[n : n + 2]) for n in (0, 2, 4))
    k, l = root_hash(leaves[0:4]), root_hash(leaves[4:7])
    assert inclusion_proof(leaves, 0) == [leaves[1], h, l]
    assert inclusion_proof(leaves, 3) == [leaves[2], g, l]
    assert inclusion_proof(leaves, 4) == [leaves[5], leaves[6], k]
    assert inclusion_proof(leaves, 6) == [i, k]


def test_single_leaf_tree_has_empty_proof() -> None:
    leaf = hash_leaf(b"only")
    assert inclusion_proof([leaf], 0) == []
    verify_inclusion(leaf_hash=leaf, index=0, size=1, proof=[], root=leaf)


def test_generated_proofs_verify_on_random_trees() -> None:
    for leaves, index in SAMPLES:
        size, root = len(leaves), root_hash(leaves)
        proof = inclusion_proof(leaves, index)
        verify_inclusion(leaf_hash=leaves[index], index=index, size=size, proof=proof, root=root)


def test_every_bit_flip_of_proof_leaf_or_root_is_rejected() -> None:
    accepted = []
    for leaves, index in SAMPLES:
        size, root = len(leaves), root_hash(leaves)
        proof = inclusion_proof(leaves, index)
        leaf = leaves[index]
        for position in range(len(proof)):
            for bit in range(256):
                mutated: list[bytes] = list(proof)
                mutated[position] = _flip(proof[position], bit)
                if _verifies(leaf, index, size, mutated, root):
                    accepted.append((size, index, f"proof[{position}]", bit))
        for bit in range(256):
            if _verifies(leaf, index, size, proof, _flip(root, bit)):
                accepted.append((size, index, "root", bit))
            if _verifies(_flip(leaf, bit), index, size, proof, root):
                accepted.append((size, index, "leaf", bit))
    assert accepted == []


def test_every_bit_flip_of_index_is_rejected() -> None:
    for leaves, index in SAMPLES:
        size, root = len(leaves), root_hash(leaves)
        proof = inclusion_proof(leaves, index)
        for bit in range(64):
            with pytest.raises(LedgerError):
                verify_inclusion(
                    leaf_hash=leaves[index], index=index ^ (1 << bit), size=size, proof=proof,
                    root=root,
                )


def test_bit_flip_of_size_is_rejected_unless_the_proof_shape_is_unchanged() -> None:
    # RFC 9162 proofs do not bind the tree size: it is authenticated by the signed
    # checkpoint that carries the root. A flipped size whose proof hashes the same
    # siblings on the same sides (e.g. leaf 0 in trees of 6 and 7) is indistinguishable;
    # every other flip must be rejected.
    aliases = 0
    for leaves, index in SAMPLES:
        size, root = len(leaves), root_hash(leaves)
        proof = inclusion_proof(leaves, index)
        shape = _sides(inclusion_proof_nodes(index, size), index)
        for bit in range(64):
            flipped = size ^ (1 << bit)
            same_shape = (
                index < flipped and _sides(inclusion_proof_nodes(index, flipped), index) == shape
            )
            if same_shape:
                aliases += 1
                verify_inclusion(
                    leaf_hash=leaves[index], index=index, size=flipped, proof=proof, root=root
                )
            else:
                with pytest.raises(LedgerError):
                    verify_inclusion(
                        leaf_hash=leaves[index], index=index, size=flipped, proof=proof,
                        root=root,
                    )
    assert aliases > 0


@pytest.mark.parametrize(
    ("name", "index", "size", "proof_change"),
    [
        ("index-equals-size", 5, 5, None),
        ("negative-index", -1, 5, None),
        ("empty-tree", 0, 0, None),
        ("truncated-proof", 2, 5, "truncate"),
        ("trailing-garbage", 2, 5, "append"),
        ("short-hash", 2, 5, "shorten"),
    ],
)
def test_malformed_input_raises_proof_error(
    name: str, index: int, size: int, proof_change: str | None
) -> None:
    leaves = REFERENCE_LEAVES[:5]
    proof: list[bytes] = list(inclusion_proof(leaves, 2))
    if proof_change == "truncate":
        proof = proof[:-1]
    elif proof_change == "append":
        proof = [*proof, bytes(32)]
    elif proof_change == "shorten":
        proof = [proof[0][:31], *proof[1:]]
    with pytest.raises(ProofError):
        verify_inclusion(
            leaf_hash=leaves[2], index=index, size=size, proof=proof, root=root_hash(leaves)
        )


def test_wrong_length_leaf_hash_raises_proof_error() -> None:
    with pytest.raises(ProofError):
        verify_inclusion(leaf_hash=b"\x00" * 31, index=0, size=1, proof=[], root=bytes(32))


def test_root_mismatch_carries_both_hashes() -> None:
    leaves = REFERENCE_LEAVES[:3]
    wrong_root = bytes(32)
    with pytest.raises(RootMismatchError) as caught:
        verify_inclusion(
            leaf_hash=leaves[0], index=0, size=3, proof=inclusion_proof(leaves, 0), root=wrong_root
        )
    assert caught.value.expected_root == wrong_root
    assert caught.value.calculated_root == root_hash(leaves)


def test_generator_rejects_index_outside_tree() -> None:
    with pytest.raises(ValueError):
        inclusion_proof(REFERENCE_LEAVES[:3], 3)
    with pytest.raises(ValueError):
        inclusion_proof_nodes(3, 3)


def test_plan_from_stored_nodes_equals_list_proof_for_all_sizes_up_to_200() -> None:
    leaves = _random_leaves(random.Random(SEED), 200)
    # Perfect nodes never change as the tree grows, so the 200-leaf tree's nodes serve
    # every smaller size; the plan must only ask for nodes already perfect at its size.
    stored = perfect_nodes(leaves)
    for size in range(1, 201):
        prefix = leaves[:size]
        for index in range(size):
            plan = inclusion_proof_nodes(index, size)
            assert all(is_perfect(node, size) for node in plan.nodes)
            assert assemble_proof(plan, stored) == inclusion_proof(prefix, index)


def test_plan_needs_logarithmically_many_nodes() -> None:
    size = 1_000_003
    for index in (0, 1, 500_000, size - 2, size - 1):
        plan = inclusion_proof_nodes(index, size)
        assert len(plan.nodes) <= 2 * size.bit_length()


def test_plan_marks_ephemeral_right_sibling() -> None:
    plan = inclusion_proof_nodes(0, 7)
    assert plan.elements == (
        (NodeAddress(0, 1),),
        (NodeAddress(1, 1),),
        (NodeAddress(1, 2), NodeAddress(0, 6)),  # ephemeral node over leaves [4, 7)
    )


def test_assemble_reports_missing_node() -> None:
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        assemble_proof(inclusion_proof_nodes(0, 2), {})


def _verifies(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """Run a verification that may only fail with a root mismatch; report whether it passed."""
    try:
        verify_inclusion(leaf_hash=leaf, index=index, size=size, proof=proof, root=root)
    except RootMismatchError:
        return False
    return True


def _flip(value: bytes, bit: int) -> bytes:
    mutated = bytearray(value)
    mutated[bit // 8] ^= 1 << (bit % 8)
    return bytes(mutated)
