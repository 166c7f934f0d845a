"""Consistency proofs: generation, planning from stored nodes, verification, mutations."""

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
    consistency_proof,
    consistency_proof_nodes,
    hash_leaf,
    is_perfect,
    root_hash,
    verify_consistency,
)
from support.merkle_trees import perfect_nodes

SEED = 6962
REFERENCE_LEAVES = [
    hash_leaf(bytes.fromhex(h))
    for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
              "606162636465666768696a6b6c6d6e6f")
]



def _sides(plan: ProofPlan, old_size: int) -> tuple[str, ...]:
    """Where each element lies relative to the old tree's last leaf: all a verifier uses."""
    last = old_size - 1
    sides = []
    for element in plan.elements:
        begin, end = element[0].coverage()[0], element[-1].coverage()[1]
        sides.append("L" if end <= last else "R" if begin > last else "self")
    return tuple(sides)


def _sample_pairs() -> list[tuple[list[bytes], int]]:
    rng = random.Random(SEED)
    sizes = list(range(1, 17)) + sorted(rng.sample(range(17, 2001), 16))
    pairs = []
    for size in sizes:
        leaves = [rng.randbytes(32) for _ in range(size)]
        for old_size in sorted({1, rng.randint(1, size), size}):
            pairs.append((leaves, old_size))
    return pairs


SAMPLES = _sample_pairs()


def test_every_prefix_of_reference_tree_is_consistent() -> None:
    for new_size in range(1, 9):
        leaves = REFERENCE_LEAVES[:new_size]
        for old_size in range(1, new_size + 1):
            verify_consistency(
                old_size=old_size,
                new_size=new_size,
                old_root=root_hash(leaves[:old_size]),
                new_root=root_hash(leaves),
                proof=consistency_proof(leaves, old_size),
            )


def test_reference_proof_from_three_to_seven() -> None:
    # RFC 9162 §2.1.5 (RFC 6962 §2.1.3) example: PROOF(3, D[7]) = [c, d, g, l] = [leaf 2, leaf 3,
    # MTH(D[0:2]), MTH(D[4:7])].
    leaves = REFERENCE_LEAVES[:7]
    assert consistency_proof(leaves, 3) == [
        leaves[2], leaves[3], root_hash(leaves[0:2]), root_hash(leaves[4:7])
    ]


def test_reference_proof_from_four_to_seven_omits_known_root() -> None:
    # RFC 9162 §2.1.5 (RFC 6962 §2.1.3) example: PROOF(4, D[7]) = [l] = [MTH(D[4:7])].
    leaves = REFERENCE_LEAVES[:7]
    assert consistency_proof(leaves, 4) == [root_hash(leaves[4:7])]


def test_reference_proof_from_six_to_seven() -> None:
    # RFC 9162 §2.1.5 example: PROOF(6, D[7]) = [i, j, k] = [MTH(D[4:6]), leaf 6, MTH(D[0:4])].
    leaves = REFERENCE_LEAVES[:7]
    i, j, k = root_hash(leaves[4:6]), leaves[6], root_hash(leaves[0:4])
    assert consistency_proof(leaves, 6) == [i, j, k]


def test_generated_proofs_verify_on_random_trees() -> None:
    for leaves, old_size in SAMPLES:
        verify_consistency(
            old_size=old_size,
            new_size=len(leaves),
            old_root=root_hash(leaves[:old_size]),
            new_root=root_hash(leaves),
            proof=consistency_proof(leaves, old_size),
        )


def test_every_bit_flip_of_proof_or_roots_is_rejected() -> None:
    accepted = []
    for leaves, old_size in SAMPLES:
        new_size = len(leaves)
        old_root, new_root = root_hash(leaves[:old_size]), root_hash(leaves)
        proof = consistency_proof(leaves, old_size)
        for position in range(len(proof)):
            for bit in range(256):
                mutated: list[bytes] = list(proof)
                mutated[position] = _flip(proof[position], bit)
                if _verifies(old_size, new_size, old_root, new_root, mutated):
                    accepted.append((old_size, new_size, f"proof[{position}]", bit))
        for bit in range(256):
            if _verifies(old_size, new_size, _flip(old_root, bit), new_root, proof):
                accepted.append((old_size, new_size, "old root", bit))
            if _verifies(old_size, new_size, old_root, _flip(new_root, bit), proof):
                accepted.append((old_size, new_size, "new root", bit))
    assert accepted == []


def test_every_bit_flip_of_old_size_is_rejected() -> None:
    for leaves, old_size in SAMPLES:
        new_size = len(leaves)
        old_root, new_root = root_hash(leaves[:old_size]), root_hash(leaves)
        proof = consistency_proof(leaves, old_size)
        for bit in range(64):
            with pytest.raises(LedgerError):
                verify_consistency(
                    old_size=old_size ^ (1 << bit), new_size=new_size, old_root=old_root,
                    new_root=new_root, proof=proof,
                )


def test_bit_flip_of_new_size_is_rejected_unless_the_proof_shape_is_unchanged() -> None:
    # As for inclusion proofs (RFC 9162 §2.1.4.2): the sizes are authenticated by the
    # signed checkpoints, and a flipped new size with the same sibling layout is
    # indistinguishable. Every other flip must be rejected.
    aliases = 0
    for leaves, old_size in SAMPLES:
        new_size = len(leaves)
        old_root, new_root = root_hash(leaves[:old_size]), root_hash(leaves)
        proof = consistency_proof(leaves, old_size)
        shape = _sides(consistency_proof_nodes(old_size, new_size), old_size)
        for bit in range(64):
            flipped = new_size ^ (1 << bit)
            same_shape = (
                old_size < flipped
                and old_size < new_size
                and _sides(consistency_proof_nodes(old_size, flipped), old_size) == shape
            )
            kwargs = dict(old_size=old_size, new_size=flipped, old_root=old_root,
                          new_root=new_root, proof=proof)
            if same_shape:
                aliases += 1
                verify_consistency(**kwargs)  # type: ignore[arg-type]
            else:
                with pytest.raises(LedgerError):
                    verify_consistency(**kwargs)  # type: ignore[arg-type]
    assert aliases > 0


def test_equal_sizes_need_empty_proof_and_equal_roots() -> None:
    root = root_hash(REFERENCE_LEAVES[:3])
    verify_consistency(old_size=3, new_size=3, old_root=root, new_root=root, proof=[])
    with pytest.raises(ProofError):
        verify_consistency(old_size=3, new_size=3, old_root=root, new_root=root, proof=[root])
    with pytest.raises(RootMismatchError):
        verify_consistency(old_size=3, new_size=3, old_root=root, new_root=bytes(32), proof=[])


@pytest.mark.parametrize(
    ("name", "old_size", "new_size"),
    [
        ("old-size-zero", 0, 5),
        ("both-sizes-zero", 0, 0),
        ("old-above-new", 6, 5),
        ("negative-old-size", -1, 5),
    ],
)
def test_impossible_sizes_raise_proof_error(name: str, old_size: int, new_size: int) -> None:
    with pytest.raises(ProofError):
        verify_consistency(
            old_size=old_size, new_size=new_size, old_root=bytes(32), new_root=bytes(32),
            proof=[],
        )


def test_empty_proof_for_growing_tree_raises_proof_error() -> None:
    leaves = REFERENCE_LEAVES[:5]
    with pytest.raises(ProofError):
        verify_consistency(
            old_size=4, new_size=5, old_root=root_hash(leaves[:4]), new_root=root_hash(leaves),
            proof=[],
        )


def test_generator_rejects_impossible_sizes() -> None:
    for old_size in (0, 4):
        with pytest.raises(ValueError):
            consistency_proof(REFERENCE_LEAVES[:3], old_size)
        with pytest.raises(ValueError):
            consistency_proof_nodes(old_size, 3)


def test_plan_from_stored_nodes_equals_list_proof_for_all_sizes_up_to_200() -> None:
    leaves = [random.Random(SEED).randbytes(32) for _ in range(200)]
    leaves = [hash_leaf(i.to_bytes(2, "big") + leaf) for i, leaf in enumerate(leaves)]
    stored = perfect_nodes(leaves)
    for new_size in range(1, 201):
        prefix = leaves[:new_size]
        for old_size in range(1, new_size + 1):
            plan = consistency_proof_nodes(old_size, new_size)
            assert all(is_perfect(node, new_size) for node in plan.nodes)
            assert assemble_proof(plan, stored) == consistency_proof(prefix, old_size)


def test_plan_from_three_to_seven() -> None:
    assert consistency_proof_nodes(3, 7).elements == (
        (NodeAddress(0, 2),),
        (NodeAddress(0, 3),),
        (NodeAddress(1, 0),),
        (NodeAddress(1, 2), NodeAddress(0, 6)),  # ephemeral node over leaves [4, 7)
    )


def test_plan_needs_logarithmically_many_nodes() -> None:
    new_size = 1_000_003
    for old_size in (1, 2, 500_001, new_size - 1):
        plan = consistency_proof_nodes(old_size, new_size)
        assert len(plan.nodes) <= 2 * new_size.bit_length() + 1


def _verifies(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Run a verification that may only fail with a root mismatch; report whether it passed."""
    try:
        verify_consistency(
            old_size=old_size, new_size=new_size, old_root=old_root, new_root=new_root,
            proof=proof,
        )
    except RootMismatchError:
        return False
    return True


def _flip(value: bytes, bit: int) -> bytes:
    mutated = bytearray(value)
    mutated[bit // 8] ^= 1 << (bit % 8)
    return bytes(mutated)
