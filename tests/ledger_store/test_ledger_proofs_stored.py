"""Proofs served from the stored tree (perfect nodes only, right-border nodes rebuilt) are
the RFC 9162 proofs of the reference implementation over the recorded entries, and verify.

The ledger: ``note:<n>`` is leaf n, 300 leaves recorded and sequenced in uneven batches
(so stored nodes were completed across batch boundaries), checkpoints at several sizes.
"""

from __future__ import annotations

import base64
import itertools

import pytest

from trace.errors import Conflict, InvalidInput, NotFound
from trace.ledger import (
    Checkpoint,
    RootMismatchError,
    consistency_proof,
    hash_leaf,
    inclusion_proof,
    open_note,
    root_hash,
    verify_consistency,
    verify_inclusion,
)
from trace.services import ledger
from ledger_scenarios import BRAND, brand_id, note_bytes, record_notes
from support.factories import seeded_catalog

SIZE = 300
BATCH_ENDS = (1, 2, 3, 7, 8, 31, 64, 65, 100, 127, 200, 255, 256, 257, 300)
CHECKPOINTS = (1, 64, 100, 255, 256, 300)
PROOF_SIZES = (1, 2, 7, 64, 100, 255, 256, 257, 300)
LEAF_HASHES = [hash_leaf(note_bytes(n)) for n in range(SIZE)]  # computed here, from what is recorded


@pytest.fixture
def stored(runtime) -> dict[int, str]:
    """Build the ledger; return the checkpoint note published at each size."""
    seeded_catalog(runtime)
    brand = brand_id(runtime.db)
    notes: dict[int, str] = {}
    done = 0
    for end in BATCH_ENDS:
        record_notes(runtime.db, brand, list(range(done, end)))
        assert ledger.sequence(runtime.db, BRAND) == end - done
        done = end
        if end in CHECKPOINTS:
            notes[end] = ledger.publish_checkpoint(runtime.db, runtime.key_store, BRAND)
    return notes


def test_checkpoints_commit_to_the_recomputed_roots(runtime, stored: dict[int, str]) -> None:
    vkey = ledger.verifier_key(runtime.db, BRAND)
    for size, note in stored.items():
        checkpoint = Checkpoint.parse(open_note(note, vkey))
        assert (checkpoint.origin, checkpoint.size, checkpoint.root_hash) == (
            "id.acme.example/tracemark-ledger/acme", size, root_hash(LEAF_HASHES[:size]))
    head = ledger.head(runtime.db, runtime.key_store, BRAND)
    assert (head.size, head.root_hash, head.pending) == (SIZE, root_hash(LEAF_HASHES), 0)


def test_inclusion_proof_of_every_leaf_at_several_sizes(runtime, stored: dict[int, str]) -> None:
    served = 0
    for size in PROOF_SIZES:
        expected_root = root_hash(LEAF_HASHES[:size])
        for index in range(size):
            proof = ledger.inclusion(runtime.db, BRAND, f"note:{index}", size=size)
            assert (proof.brand, proof.ref, proof.leaf_index, proof.tree_size, proof.leaf_hash) == (
                BRAND, f"note:{index}", index, size, LEAF_HASHES[index])
            assert proof.root_hash == expected_root
            assert list(proof.proof) == inclusion_proof(LEAF_HASHES[:size], index)
            verify_inclusion(leaf_hash=LEAF_HASHES[index], index=index, size=size, proof=proof.proof,
                             root=proof.root_hash)
            served += 1
    assert served == sum(PROOF_SIZES)


def test_proofs_stay_right_as_the_tree_grows_after_upper_nodes_were_kept(runtime, stored: dict[int, str]) -> None:
    """PostgreSQL keeps a ledger's upper nodes in memory after its first proof; nodes the
    tree completes later are read on a miss, older sizes still use the right border."""
    ledger.inclusion(runtime.db, BRAND, "note:0")  # keeps the upper nodes of the 300-leaf tree
    record_notes(runtime.db, brand_id(runtime.db), list(range(SIZE, 2 * SIZE)))
    assert ledger.sequence(runtime.db, BRAND) == SIZE
    leaves = LEAF_HASHES + [hash_leaf(note_bytes(n)) for n in range(SIZE, 2 * SIZE)]
    checked = 0
    for size in (SIZE, 511, 512, 2 * SIZE):
        for index in [*range(0, size, 7), size - 1]:
            proof = ledger.inclusion(runtime.db, BRAND, f"note:{index}", size=size if size < 2 * SIZE else None)
            assert (proof.leaf_index, proof.tree_size, proof.root_hash) == (index, size, root_hash(leaves[:size]))
            assert list(proof.proof) == inclusion_proof(leaves[:size], index)
            checked += 1
    assert checked == sum(len(range(0, size, 7)) + 1 for size in (SIZE, 511, 512, 2 * SIZE))


def test_proof_of_every_leaf_at_every_head_size_while_the_tree_grows_one_leaf_at_a_time(runtime) -> None:
    """At the head's size PostgreSQL builds the proof straight from the rows it read (no
    plan): every head from 1 to 70 leaves — partial and full 16-leaf blocks, powers of two,
    nodes completed after the upper ones were kept — gives the reference proof."""
    seeded_catalog(runtime)
    brand = brand_id(runtime.db)
    proven = 0
    for size in range(1, 71):
        record_notes(runtime.db, brand, [size - 1])
        assert ledger.sequence(runtime.db, BRAND) == 1
        for index in range(size):
            proof = ledger.inclusion(runtime.db, BRAND, f"note:{index}")
            assert (proof.leaf_index, proof.tree_size, proof.root_hash) == (index, size, root_hash(LEAF_HASHES[:size]))
            assert list(proof.proof) == inclusion_proof(LEAF_HASHES[:size], index)
            proven += 1
    assert proven == 70 * 71 // 2


def test_inclusion_defaults_to_the_current_tree(runtime, stored: dict[int, str]) -> None:
    proof = ledger.inclusion(runtime.db, BRAND, "note:150")
    assert (proof.leaf_index, proof.tree_size, proof.root_hash) == (150, SIZE, root_hash(LEAF_HASHES))
    assert list(proof.proof) == inclusion_proof(LEAF_HASHES, 150)


def test_consistency_proofs_between_every_pair_of_sizes(runtime, stored: dict[int, str]) -> None:
    pairs = list(itertools.combinations_with_replacement(PROOF_SIZES, 2))
    assert len(pairs) == 45
    for old, new in pairs:
        proof = ledger.consistency(runtime.db, BRAND, old, new)
        assert (proof.brand, proof.old_size, proof.new_size) == (BRAND, old, new)
        assert (proof.old_root, proof.new_root) == (root_hash(LEAF_HASHES[:old]), root_hash(LEAF_HASHES[:new]))
        assert list(proof.proof) == consistency_proof(LEAF_HASHES[:new], old)
        verify_consistency(old_size=old, new_size=new, old_root=proof.old_root, new_root=proof.new_root,
                           proof=proof.proof)
    current = ledger.consistency(runtime.db, BRAND, 100)
    assert (current.new_size, current.new_root) == (SIZE, root_hash(LEAF_HASHES))


def test_consistency_from_each_published_checkpoint_to_the_next(runtime, stored: dict[int, str]) -> None:
    vkey = ledger.verifier_key(runtime.db, BRAND)
    heads = [Checkpoint.parse(open_note(note, vkey)) for note in stored.values()]
    for older, newer in zip(heads, heads[1:]):
        proof = ledger.consistency(runtime.db, BRAND, older.size, newer.size)
        verify_consistency(old_size=older.size, new_size=newer.size, old_root=older.root_hash,
                           new_root=newer.root_hash, proof=proof.proof)


# --- a stored proof is evidence only for its own leaf, index and root -----------------------


def test_a_served_proof_does_not_verify_anything_else(runtime, stored: dict[int, str]) -> None:
    proof = ledger.inclusion(runtime.db, BRAND, "note:77", size=256)
    valid = dict(leaf_hash=LEAF_HASHES[77], index=77, size=256, proof=list(proof.proof), root=proof.root_hash)
    verify_inclusion(**valid)
    mutations = {
        "another leaf": {"leaf_hash": LEAF_HASHES[78]},
        "another index": {"index": 76},
        "another tree's root": {"root": root_hash(LEAF_HASHES[:255])},
        "one proof byte": {"proof": [proof.proof[0], bytes([proof.proof[1][0] ^ 1]) + proof.proof[1][1:],
                                     *proof.proof[2:]]},
    }
    accepted = []
    for name, change in mutations.items():
        try:
            verify_inclusion(**{**valid, **change})
            accepted.append(name)
        except RootMismatchError as mismatch:
            assert mismatch.expected_root == change.get("root", proof.root_hash)
    assert accepted == []


# --- bad requests -------------------------------------------------------------------------------


def test_inclusion_bad_requests(runtime, stored: dict[int, str]) -> None:
    db = runtime.db
    record_notes(db, brand_id(db), [SIZE])  # recorded, not yet sequenced
    cases = [
        (dict(ref="note:5", size=0), InvalidInput, "invalid tree size 0: expected 1 to 300"),
        (dict(ref="note:5", size=301), InvalidInput, "invalid tree size 301: expected 1 to 300"),
        (dict(ref="note:150", size=100), InvalidInput, "entry 'note:150' is leaf 150, not inside a tree of 100 leaves"),
        (dict(ref="note:999"), NotFound, "unknown ledger entry 'note:999' for brand 'acme'"),
        (dict(ref=f"note:{SIZE}"), Conflict, "ledger entry 'note:300' is not sequenced yet: publish a checkpoint first"),
        (dict(ref="note:5", brand="nobody"), NotFound, "unknown brand 'nobody'"),
    ]
    for request, error, message in cases:
        brand = request.pop("brand", BRAND)
        with pytest.raises(error) as raised:
            ledger.inclusion(db, brand, request.pop("ref"), **request)
        assert str(raised.value) == message


def test_consistency_bad_requests(runtime, stored: dict[int, str]) -> None:
    cases = [
        ((0, 300), InvalidInput, "invalid consistency range 0..300: expected 1 <= from <= to <= 300"),
        ((200, 100), InvalidInput, "invalid consistency range 200..100: expected 1 <= from <= to <= 300"),
        ((1, 301), InvalidInput, "invalid tree size 301: expected 1 to 300"),
        ((1, 0), InvalidInput, "invalid tree size 0: expected 1 to 300"),
    ]
    for (old, new), error, message in cases:
        with pytest.raises(error) as raised:
            ledger.consistency(runtime.db, BRAND, old, new)
        assert str(raised.value) == message
    with pytest.raises(NotFound) as unknown:
        ledger.consistency(runtime.db, "nobody", 1, 2)
    assert str(unknown.value) == "unknown brand 'nobody'"


def test_proofs_and_entry_bytes_agree(runtime, stored: dict[int, str]) -> None:
    """The bytes served for an event are the ones its leaf hashes (what auditors check first)."""
    for n in (0, 150, 299):
        assert ledger.entry_bytes(runtime.db, BRAND, f"note:{n}") == note_bytes(n)
        assert hash_leaf(note_bytes(n)) == ledger.inclusion(runtime.db, BRAND, f"note:{n}").leaf_hash
    assert base64.b64encode(root_hash(LEAF_HASHES)).decode() == stored[SIZE].split("\n")[2]


def test_a_packed_block_with_a_leaf_missing_is_not_unpacked() -> None:
    """A block read packed must hold exactly its leaves: one missing (a broken ledger) would
    shift every later hash into the wrong place, so none is taken (the proof is then
    planned, and the missing leaf fetched and named)."""
    from trace.db.ledger_proof_store import _block_leaves

    leaves = [bytes([k]) * 32 for k in range(16)]
    assert _block_leaves(37, 100, b"".join(leaves)) == leaves  # leaf 37: block 32..47
    for packed in (b"".join(leaves[:15]), b"".join(leaves) + b"\x00", b"", None):
        assert _block_leaves(37, 100, packed) is None
    assert _block_leaves(97, 100, b"".join(leaves[:4])) == leaves[:4]  # the last, partial block: 96..99
    assert _block_leaves(97, 100, b"".join(leaves[:3])) is None


def test_a_block_read_out_of_order_is_never_served() -> None:
    """The leaf's block is aggregated as the index returns it, which PostgreSQL does not
    promise to keep: a proof made from it is served only if the block's root is its stored
    node (a full block), else only if the proof leads to the head's root."""
    from trace.db.ledger_proof_store import BLOCK_BITS, ProofContext, UpperNodes, _agrees, _direct_proof, _in_order
    from trace.ledger import hash_leaf, inclusion_proof, root_hash

    leaves = [hash_leaf(f"entry {k}".encode()) for k in range(20)]
    block = leaves[:16]
    upper = UpperNodes((1, b"key"), BLOCK_BITS, {(BLOCK_BITS, 0): root_hash(block)})
    swapped = [block[1], block[0], *block[2:]]
    assert _in_order(block, 5, upper) is True
    assert _in_order(swapped, 5, upper) is False
    border = leaves[16:]
    upper.nodes[(BLOCK_BITS, 0)] = root_hash(block)
    made = _direct_proof(5, 20, block, border, {}, upper)
    assert made is not None and made[0] == inclusion_proof(leaves, 5)
    context = ProofContext(brand_id=1, tree_size=20, root_hash=root_hash(leaves), entry_id=6, leaf_index=5,
                           leaf_hash=leaves[5], entry=b"entry 5")
    assert _agrees(*made, context, 16, upper) is True
    wrong = _direct_proof(5, 20, swapped, border, {}, upper)
    assert wrong is not None and _agrees(*wrong, context, 16, upper) is False
    # The tree's last, partial block has no stored node: the whole proof is checked.
    tail = ProofContext(brand_id=1, tree_size=20, root_hash=root_hash(leaves), entry_id=19, leaf_index=18,
                        leaf_hash=leaves[18], entry=b"entry 18")
    made = _direct_proof(18, 20, border, None, {}, upper)
    assert made is not None and made[0] == inclusion_proof(leaves, 18) and _agrees(*made, tail, 4, upper) is True
    made = _direct_proof(18, 20, [border[0], border[1], border[3], border[2]], None, {}, upper)
    assert made is not None and _agrees(*made, tail, 4, upper) is False
