"""Compact ranges and node addressing: appends, reported nodes, roots from stored nodes."""

from __future__ import annotations

import random

import pytest

from trace.ledger import (
    EMPTY_ROOT,
    CompactRange,
    NodeAddress,
    hash_leaf,
    range_nodes,
    root_from_perfect_nodes,
    root_hash,
)
from support.merkle_trees import perfect_nodes

SEED = 2014


def _leaves(count: int, seed: int = SEED) -> list[bytes]:
    rng = random.Random(seed)
    return [rng.randbytes(32) for _ in range(count)]



def test_empty_range() -> None:
    compact = CompactRange()
    assert (compact.size, compact.hashes, compact.nodes) == (0, (), [])
    assert compact.root() == EMPTY_ROOT


def test_root_after_each_append_equals_root_hash() -> None:
    leaves = _leaves(600)
    compact = CompactRange()
    for size, leaf in enumerate(leaves, start=1):
        compact.append(leaf)
        assert compact.size == size
        assert compact.root() == root_hash(leaves[:size])


def test_nodes_reported_are_exactly_the_perfect_nodes() -> None:
    leaves = _leaves(777)
    compact = CompactRange()
    reported: dict[tuple[int, int], bytes] = {}
    for size, leaf in enumerate(leaves, start=1):
        created = compact.append(leaf)
        # The leaf itself, then one parent per trailing one bit of the old size.
        assert created[0] == (0, size - 1, leaf)
        assert len(created) == 1 + ((size - 1) ^ size).bit_length() - 1
        for level, index, value in created:
            assert (level, index) not in reported, "a node was reported twice"
            reported[(level, index)] = value
        if size % 97 == 0:
            assert reported == perfect_nodes(leaves[:size])
    assert reported == perfect_nodes(leaves)


def test_compact_range_holds_the_nodes_of_range_nodes() -> None:
    leaves = _leaves(100)
    stored = perfect_nodes(leaves)
    compact = CompactRange()
    for size, leaf in enumerate(leaves, start=1):
        compact.append(leaf)
        assert compact.nodes == range_nodes(0, size)
        assert compact.hashes == tuple(stored[node] for node in compact.nodes)


def test_extend_equals_repeated_append() -> None:
    leaves = _leaves(1000)
    one_by_one, batched = CompactRange(), CompactRange()
    created_one_by_one = [node for leaf in leaves for node in one_by_one.append(leaf)]
    created_batched = batched.extend(leaves[:333]) + batched.extend(leaves[333:])
    assert created_batched == created_one_by_one
    assert batched == one_by_one
    assert batched.root() == root_hash(leaves)


def test_extend_a_hundred_thousand_leaves() -> None:
    leaves = [hash_leaf(i.to_bytes(4, "big")) for i in range(100_000)]
    compact = CompactRange()
    created = compact.extend(leaves)
    assert len(created) == 2 * 100_000 - (100_000).bit_count()
    assert compact.root() == root_hash(leaves)


def test_from_hashes_resumes_appending() -> None:
    leaves = _leaves(300)
    stored = perfect_nodes(leaves)
    for size in (0, 1, 5, 128, 255):
        resumed = CompactRange.from_hashes(size, [stored[n] for n in range_nodes(0, size)])
        resumed.extend(leaves[size:])
        assert resumed.root() == root_hash(leaves)


def test_copy_is_independent() -> None:
    original = CompactRange()
    original.extend(_leaves(5))
    copy = original.copy()
    copy.append(bytes(32))
    assert (original.size, copy.size) == (5, 6)


@pytest.mark.parametrize(
    ("size", "hashes"),
    [(3, [bytes(32)]), (2, [bytes(32), bytes(32)]), (1, [bytes(31)]), (-1, [])],
)
def test_from_hashes_rejects_hashes_not_fitting_the_size(size: int, hashes: list[bytes]) -> None:
    with pytest.raises(ValueError):
        CompactRange.from_hashes(size, hashes)


def test_extend_rejects_wrong_length_leaf_and_changes_nothing() -> None:
    compact = CompactRange()
    compact.extend(_leaves(3))
    before = compact.copy()
    with pytest.raises(ValueError, match="leaf hash 1"):
        compact.extend([bytes(32), bytes(33)])
    assert compact == before


def test_root_from_perfect_nodes_equals_root_hash_for_every_size() -> None:
    leaves = _leaves(200)
    stored = perfect_nodes(leaves)
    for size in range(0, 201):
        assert root_from_perfect_nodes(size, stored) == root_hash(leaves[:size])


def test_root_from_perfect_nodes_reports_missing_node() -> None:
    with pytest.raises(ValueError, match=r"\(0, 2\)"):
        root_from_perfect_nodes(3, {(1, 0): bytes(32)})


@pytest.mark.parametrize(
    ("begin", "end", "expected"),
    [
        (0, 0, []),
        (0, 1, [(0, 0)]),
        (0, 6, [(2, 0), (1, 2)]),
        (0, 7, [(2, 0), (1, 2), (0, 6)]),
        (3, 8, [(0, 3), (2, 1)]),
        (5, 13, [(0, 5), (1, 3), (2, 2), (0, 12)]),
        (16, 32, [(4, 1)]),
    ],
)
def test_range_nodes(begin: int, end: int, expected: list[tuple[int, int]]) -> None:
    assert range_nodes(begin, end) == expected


def test_range_nodes_tile_the_range_exactly() -> None:
    for begin in range(0, 70):
        for end in range(begin, 70):
            position = begin
            for node in range_nodes(begin, end):
                node_begin, node_end = node.coverage()
                assert node_begin == position
                position = node_end
            assert position == end


def test_range_nodes_rejects_reversed_range() -> None:
    with pytest.raises(ValueError):
        range_nodes(5, 4)


def test_node_address_navigation() -> None:
    node = NodeAddress(1, 2)
    assert node.coverage() == (4, 6)
    assert node.parent() == (2, 1)
    assert node.sibling() == (1, 3)
    assert {(1, 2): b"x"}[node] == b"x"
