"""Compact ranges: the O(log n) state that lets an append-only log grow and report its root.

The compact range of ``[0, size)`` is the list of perfect subtrees covering the leaves,
largest (leftmost) first, one per set bit of ``size``. Appending a leaf works like adding one
to a binary counter: equal-sized neighbours merge into their parent. Every merge creates a
node that is perfect from then on, which is exactly what storage must persist.

References: RFC 9162 §2.1.1; transparency-dev/merkle ``docs/compact_ranges.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from hashlib import sha256
from typing import TypeAlias, cast

from trace.ledger.hashing import HASH_SIZE, NODE_PREFIX, hash_border
from trace.ledger.nodes import NodeAddress, range_nodes
from trace.types import Hash32


NewNode: TypeAlias = tuple[int, int, Hash32]
"""A node that became perfect during an append, as ``(level, index, hash)``: persist it.

A plain tuple rather than a named one: appends report about two of these per leaf, and
building named tuples would halve the append rate.
"""


class CompactRange:
    """The perfect-subtree hashes covering leaves ``[0, size)`` of an append-only tree.

    >>> from trace.ledger.hashing import hash_leaf
    >>> cr = CompactRange()
    >>> [(level, index) for level, index, _ in cr.extend([hash_leaf(b"a"), hash_leaf(b"b")])]
    [(0, 0), (0, 1), (1, 0)]
    >>> cr.size, len(cr.hashes)
    (2, 1)
    """

    __slots__ = ("_size", "_hashes")

    def __init__(self) -> None:
        self._size = 0
        self._hashes: list[bytes] = []

    @classmethod
    def from_hashes(cls, size: int, hashes: Sequence[bytes]) -> CompactRange:
        """Rebuild the range of a tree of ``size`` leaves from stored node hashes.

        ``hashes`` are the hashes of the nodes ``range_nodes(0, size)``, in that order.
        Raises ``ValueError`` if their number or length does not fit ``size``.
        """
        if size < 0:
            raise ValueError(f"tree size {size} is negative")
        expected = size.bit_count()
        if len(hashes) != expected:
            raise ValueError(
                f"compact range of size {size}: expected {expected} hashes, found {len(hashes)}"
            )
        for position, value in enumerate(hashes):
            if len(value) != HASH_SIZE:
                raise ValueError(
                    f"compact range of size {size}: hash {position} has {len(value)} bytes, "
                    f"expected {HASH_SIZE}"
                )
        compact = cls()
        compact._size = size
        compact._hashes = [bytes(value) for value in hashes]
        return compact

    @property
    def size(self) -> int:
        """The number of leaves covered."""
        return self._size

    @property
    def hashes(self) -> tuple[Hash32, ...]:
        """The hashes of :attr:`nodes`, left to right."""
        return tuple(Hash32(value) for value in self._hashes)

    @property
    def nodes(self) -> list[NodeAddress]:
        """The addresses of the perfect subtrees held, left to right."""
        return range_nodes(0, self._size)

    def root(self) -> Hash32:
        """Return the Merkle root of the tree of :attr:`size` leaves (RFC 9162 §2.1.1)."""
        return hash_border(self._hashes)

    def copy(self) -> CompactRange:
        """Return an independent copy (appending to one does not change the other)."""
        return CompactRange.from_hashes(self._size, self._hashes)

    def append(self, leaf_hash: bytes) -> list[NewNode]:
        """Append one leaf; return the nodes that became perfect, lowest level first.

        The first is the leaf itself at ``(0, old size)``; each following one is the
        parent of the previous.
        """
        return self.extend((leaf_hash,))

    def extend(self, leaf_hashes: Iterable[bytes]) -> list[NewNode]:
        """Append leaves in order; return every node that became perfect, in creation order.

        Raises ``ValueError`` (leaving the range unchanged) if a leaf hash is not 32 bytes.
        """
        leaves = [bytes(value) for value in leaf_hashes]
        for position, value in enumerate(leaves):
            if len(value) != HASH_SIZE:
                raise ValueError(
                    f"leaf hash {position} of the batch has {len(value)} bytes, "
                    f"expected {HASH_SIZE}"
                )
        # Hot loop (hundreds of thousands of leaves per second): locals only, plain
        # tuples, no calls other than the hash itself.
        created: list[tuple[int, int, bytes]] = []
        record = created.append
        stack = self._hashes
        pop = stack.pop
        push = stack.append
        size = self._size
        for node in leaves:
            record((0, size, node))
            index, level = size, 0
            # Each trailing one bit of the old size is a perfect sibling on the left.
            while index & 1:
                node = sha256(NODE_PREFIX + pop() + node).digest()
                index >>= 1
                level += 1
                record((level, index, node))
            push(node)
            size += 1
        self._size = size
        return cast(list[NewNode], created)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CompactRange):
            return NotImplemented
        return self._size == other._size and self._hashes == other._hashes

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"CompactRange(size={self._size}, root={self.root().hex()})"
