"""Which stored nodes make up a proof, and how to turn them into the proof.

A stored ledger keeps only perfect nodes (:mod:`trace.ledger.nodes`). A proof element is
either one such node or an *ephemeral* node on the tree's right border, whose hash is the
Merkle root of a compact range of perfect nodes. So a proof is planned as a sequence of
compact ranges: fetch every address in :attr:`ProofPlan.nodes` in one query, then
:func:`assemble_proof`. Planning is O(log n) and needs no hashes.

References: RFC 9162 §2.1.3.1, §2.1.4.1; transparency-dev/merkle ``proof`` package
(``Nodes`` / ``Rehash``), whose node choice this follows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from trace.ledger.hashing import HASH_SIZE, hash_border
from trace.ledger.nodes import NodeAddress, range_nodes
from trace.types import Hash32

FetchedNodes = Mapping[tuple[int, int], bytes]
"""Stored node hashes keyed by ``(level, index)`` (or :class:`NodeAddress`)."""


@dataclass(frozen=True, slots=True)
class ProofPlan:
    """The shape of a proof in terms of stored perfect nodes.

    ``elements[i]`` lists, left to right, the perfect nodes whose Merkle root is proof
    element ``i``: one node for an ordinary sibling, several for an ephemeral one.

    >>> inclusion_proof_nodes(0, 3).elements
    ((NodeAddress(level=0, index=1),), (NodeAddress(level=0, index=2),))
    >>> inclusion_proof_nodes(0, 7).elements[-1]
    (NodeAddress(level=1, index=2), NodeAddress(level=0, index=6))
    """

    elements: tuple[tuple[NodeAddress, ...], ...]

    @property
    def nodes(self) -> tuple[NodeAddress, ...]:
        """Every perfect node to fetch, each once, in proof order."""
        return tuple(node for element in self.elements for node in element)


def inclusion_proof_nodes(index: int, size: int) -> ProofPlan:
    """Plan the inclusion proof of leaf ``index`` in the tree of ``size`` leaves.

    Raises ``ValueError`` unless ``0 <= index < size``.

    References: RFC 9162 §2.1.3.1.
    """
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside the tree: expected 0 <= index < {size}")
    return ProofPlan(tuple(_path(0, index, size)))


def consistency_proof_nodes(old_size: int, new_size: int) -> ProofPlan:
    """Plan the consistency proof from the tree of ``old_size`` to that of ``new_size``.

    The proof is the inclusion path, in the new tree, of the largest perfect subtree that
    ends the old tree, preceded by that subtree's root unless it is the whole old tree
    (whose root the verifier already holds). Raises ``ValueError`` unless
    ``0 < old_size <= new_size``.

    References: RFC 9162 §2.1.4.1.
    """
    if not 0 < old_size <= new_size:
        raise ValueError(
            f"sizes {old_size} -> {new_size} have no consistency proof: "
            "expected 0 < old_size <= new_size"
        )
    if old_size == new_size:
        return ProofPlan(())
    level = (old_size & -old_size).bit_length() - 1
    last = NodeAddress(level, (old_size - 1) >> level)
    elements = _path(last.level, last.index, new_size)
    if old_size != 1 << level:
        elements.insert(0, (last,))
    return ProofPlan(tuple(elements))


def assemble_proof(plan: ProofPlan, fetched: FetchedNodes) -> list[Hash32]:
    """Turn a plan and the stored hashes of its nodes into the proof, lowest node first.

    Raises ``ValueError`` if a planned node is missing from ``fetched`` or is not 32 bytes.
    """
    return [hash_border(_lookup(element, fetched)) for element in plan.elements]


def root_from_perfect_nodes(size: int, fetched: FetchedNodes) -> Hash32:
    """Return the root of the tree of ``size`` leaves from the nodes ``range_nodes(0, size)``.

    Raises ``ValueError`` if one of those nodes is missing from ``fetched`` or malformed.

    References: RFC 9162 §2.1.1.
    """
    if size < 0:
        raise ValueError(f"tree size {size} is negative")
    return hash_border(_lookup(range_nodes(0, size), fetched))


def _path(level: int, index: int, size: int) -> list[tuple[NodeAddress, ...]]:
    """Return the inclusion path of node ``(level, index)`` in a tree of ``size`` leaves.

    Below the *fork*, where the paths to this node and to the last leaf part, every
    sibling is perfect; the sibling at the fork is the (maybe ephemeral) rest of the tree
    to the right; above the fork only left siblings remain, which together are the compact
    range of everything to the left.
    """
    last = (size - 1) >> level
    inner = (index ^ last).bit_length()
    elements: list[tuple[NodeAddress, ...]] = [
        (NodeAddress(level + step, (index >> step) ^ 1),) for step in range(inner - 1)
    ]
    if inner:
        fork_child_level = level + inner - 1
        right_begin = ((index >> (inner - 1)) | 1) << fork_child_level
        elements.append(tuple(range_nodes(right_begin, size)))
    fork_begin = (index >> inner) << (level + inner)
    elements.extend((node,) for node in reversed(range_nodes(0, fork_begin)))
    return elements


def _lookup(nodes: Sequence[NodeAddress], fetched: FetchedNodes) -> list[bytes]:
    hashes = []
    for node in nodes:
        try:
            value = fetched[node]
        except KeyError:
            raise ValueError(f"node {tuple(node)} is needed but was not fetched") from None
        if len(value) != HASH_SIZE:
            raise ValueError(
                f"node {tuple(node)} has a {len(value)}-byte hash, expected {HASH_SIZE}"
            )
        hashes.append(value)
    return hashes
