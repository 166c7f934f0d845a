"""RFC 9162 Merkle tree hashing with SHA-256.

Leaves and interior nodes are hashed with different one-byte prefixes so that an
interior node can never be passed off as a leaf (second-preimage defence,
RFC 9162 §2.1.1).

References: RFC 9162 §2.1.1.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import sha256

from trace.types import Hash32

HASH_SIZE = 32
"""Size in bytes of every leaf, node and root hash."""

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"

EMPTY_ROOT = Hash32(sha256(b"").digest())
"""Root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1)."""


def hash_leaf(entry: bytes) -> Hash32:
    """Return the leaf hash SHA-256(0x00 || entry).

    >>> hash_leaf(b"").hex()
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'

    References: RFC 9162 §2.1.1.
    """
    return Hash32(sha256(LEAF_PREFIX + entry).digest())


def hash_children(left: bytes, right: bytes) -> Hash32:
    """Return the interior node hash SHA-256(0x01 || left || right).

    References: RFC 9162 §2.1.1.
    """
    return Hash32(sha256(NODE_PREFIX + left + right).digest())


def hash_border(hashes: Sequence[bytes]) -> Hash32:
    """Return the Merkle root over adjacent perfect subtrees given left to right.

    The subtrees must be those of a compact range (strictly decreasing sizes from left
    to right), as on a tree's right border: the two rightmost merge first, then each one
    further left is hashed in as a left child. An empty sequence gives :data:`EMPTY_ROOT`.

    References: RFC 9162 §2.1.1 (the split at the largest power of two smaller than n).
    """
    if not hashes:
        return EMPTY_ROOT
    node = hashes[-1]
    for left in reversed(hashes[:-1]):
        node = sha256(NODE_PREFIX + left + node).digest()
    return Hash32(node)
