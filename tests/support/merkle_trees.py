"""Merkle test trees built the slow, obvious way, to check the fast code against."""

from __future__ import annotations

from trace.ledger import root_hash


def perfect_nodes(leaves: list[bytes]) -> dict[tuple[int, int], bytes]:
    """Every perfect node of the tree, computed from its leaves (not from a compact range)."""
    nodes: dict[tuple[int, int], bytes] = {}
    level = 0
    while 1 << level <= len(leaves):
        for index in range(len(leaves) >> level):
            nodes[(level, index)] = root_hash(leaves[index << level : (index + 1) << level])
        level += 1
    return nodes
