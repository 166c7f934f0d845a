"""Leaf and node hashing, and roots of the RFC 9162 reference tree.

The reference tree is the 8-leaf tree of the Certificate Transparency test suite. Expected
hashes come from transparency-dev/merkle ``testonly/constants.go`` (commit 417fb0c, Apache
2.0); they agree with the roots in ``tests/vectors/merkle``.
"""

from __future__ import annotations

import hashlib

import pytest

from trace.ledger import (
    EMPTY_ROOT,
    hash_border,
    hash_children,
    hash_leaf,
    range_nodes,
    root_hash,
)

LEAF_INPUTS = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
LEAF_HASHES_HEX = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
]
# Root hash per tree size 1..8.
ROOTS_HEX = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_empty_tree_root_is_sha256_of_nothing() -> None:
    expected = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert EMPTY_ROOT.hex() == expected
    assert root_hash([]) == EMPTY_ROOT


def test_leaf_hashes_of_the_reference_tree() -> None:
    assert [hash_leaf(entry).hex() for entry in LEAF_INPUTS] == LEAF_HASHES_HEX


def test_leaf_and_node_hashes_use_their_prefixes() -> None:
    left, right = b"\x11" * 32, b"\x22" * 32
    assert hash_leaf(b"abc") == hashlib.sha256(b"\x00abc").digest()
    assert hash_children(left, right) == hashlib.sha256(b"\x01" + left + right).digest()
    # Domain separation: a node's preimage hashed as a leaf gives another hash.
    assert hash_leaf(left + right) != hash_children(left, right)


def test_first_level_node_of_the_reference_tree() -> None:
    leaves = [hash_leaf(entry) for entry in LEAF_INPUTS]
    assert hash_children(leaves[0], leaves[1]).hex() == ROOTS_HEX[1]
    assert (
        hash_children(leaves[6], leaves[7]).hex()
        == "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"
    )


@pytest.mark.parametrize("size", range(1, 9))
def test_root_of_reference_tree_prefix(size: int) -> None:
    leaves = [hash_leaf(entry) for entry in LEAF_INPUTS[:size]]
    assert root_hash(leaves).hex() == ROOTS_HEX[size - 1]


def test_root_splits_at_largest_power_of_two_below_size() -> None:
    # RFC 9162 §2.1.1: MTH(D[7]) = HASH(0x01 || MTH(D[0:4]) || MTH(D[4:7])), and
    # MTH(D[4:7]) = HASH(0x01 || MTH(D[4:6]) || MTH(D[6:7])).
    leaves = [hash_leaf(entry) for entry in LEAF_INPUTS[:7]]
    right = hash_children(root_hash(leaves[4:6]), leaves[6])
    assert root_hash(leaves) == hash_children(root_hash(leaves[:4]), right)


def test_root_equals_fold_of_compact_range() -> None:
    leaves = [hash_leaf(i.to_bytes(2, "big")) for i in range(300)]
    for size in range(0, 300, 7):
        border = [root_hash(leaves[slice(*n.coverage())]) for n in range_nodes(0, size)]
        assert hash_border(border) == root_hash(leaves[:size])
