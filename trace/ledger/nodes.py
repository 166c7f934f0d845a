"""Addresses of the nodes of an append-only Merkle tree.

A node is ``(level, index)``: level 0 holds the leaves, and node ``(level, index)`` is the
root of the perfect subtree over leaves ``[index * 2**level, (index + 1) * 2**level)``::

    level 2:        (2,0)                    (2,1) ...
    level 1:    (1,0)      (1,1)        (1,2)      (1,3) ...
    level 0: (0,0) (0,1) (0,2) (0,3) (0,4) (0,5) (0,6) (0,7) ...

Once the tree holds all the leaves a perfect node covers, the node's hash never changes, so
storage can keep it forever. A tree whose size is not a power of two also has *ephemeral*
nodes on its right border (they cover a partial range and change as the tree grows); they
are never stored but rebuilt from the perfect nodes of a compact range.

References: RFC 9162 §2.1.1; transparency-dev/merkle ``compact`` package (NodeID).
"""

from __future__ import annotations

from typing import NamedTuple


class NodeAddress(NamedTuple):
    """The address of a perfect subtree's root: ``(level, index)``.

    A plain ``(level, index)`` tuple compares and hashes equal, so mappings keyed by
    either form are interchangeable.

    >>> NodeAddress(2, 1).coverage()
    (4, 8)
    """

    level: int
    # Shadows tuple.index on purpose: "index" is the term of RFC 9162 and every log API.
    index: int  # type: ignore[assignment]

    def coverage(self) -> tuple[int, int]:
        """Return the range ``[begin, end)`` of leaf indices under this node."""
        return self.index << self.level, (self.index + 1) << self.level

    def parent(self) -> NodeAddress:
        """Return the address of this node's parent."""
        return NodeAddress(self.level + 1, self.index >> 1)

    def sibling(self) -> NodeAddress:
        """Return the address of the other child of this node's parent."""
        return NodeAddress(self.level, self.index ^ 1)


def range_nodes(begin: int, end: int) -> list[NodeAddress]:
    """Return the compact range of ``[begin, end)``: the fewest perfect nodes covering it.

    Nodes come left to right; their sizes first grow, then shrink. The Merkle root of
    ``[0, size)`` is :func:`trace.ledger.hashing.hash_border` over ``range_nodes(0, size)``.

    >>> range_nodes(0, 7)
    [NodeAddress(level=2, index=0), NodeAddress(level=1, index=2), NodeAddress(level=0, index=6)]
    >>> range_nodes(3, 8)
    [NodeAddress(level=0, index=3), NodeAddress(level=2, index=1)]

    References: transparency-dev/merkle ``docs/compact_ranges.md``.
    """
    if not 0 <= begin <= end:
        raise ValueError(f"range [{begin}, {end}) is not a range: expected 0 <= begin <= end")
    result = []
    while begin < end:
        # The largest node starting at `begin`: aligned to `begin` and no longer than what
        # is left of the range.
        level = (end - begin).bit_length() - 1
        if begin:
            level = min(level, (begin & -begin).bit_length() - 1)
        result.append(NodeAddress(level, begin >> level))
        begin += 1 << level
    return result


def is_perfect(node: tuple[int, int], size: int) -> bool:
    """Return whether ``node`` is complete (all its leaves present) in a tree of ``size``."""
    level, index = node
    return (index + 1) << level <= size
