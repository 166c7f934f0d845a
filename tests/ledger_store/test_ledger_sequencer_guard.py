"""The sequencer reads pending leaf hashes as one packed string; a stored hash that is not
32 bytes (a corrupted entry row) would shift every hash after it, so the sequencer names the
entry and numbers nothing, and the head stays where it was."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from ledger_scenarios import BRAND, brand_id, note_bytes, record_notes
from support.factories import seeded_catalog
from trace.errors import LedgerError
from trace.ledger import hash_leaf, root_hash
from trace.services import ledger


def test_a_pending_leaf_hash_of_the_wrong_length_stops_sequencing(runtime) -> None:
    seeded_catalog(runtime)
    brand = brand_id(runtime.db)
    record_notes(runtime.db, brand, [0, 1])
    assert ledger.sequence(runtime.db, BRAND) == 2
    record_notes(runtime.db, brand, [2])
    with runtime.db.transaction() as session:  # a row no writer of ours makes: 31 bytes
        bad = session.execute(text(
            "INSERT INTO ledger_entry (brand_id, kind, ref, entry, leaf_hash, created_at) "
            "VALUES (:b, 'note', 'note:bad', :e, :h, CURRENT_TIMESTAMP) RETURNING id"),
            {"b": brand, "e": b"bad", "h": hash_leaf(b"bad")[:31]}).scalar_one()
    record_notes(runtime.db, brand, [3])
    with pytest.raises(LedgerError) as raised:
        ledger.sequence(runtime.db, BRAND)
    assert str(raised.value) == (f"ledger entry {bad} of brand {brand} has a leaf hash of 31 bytes, expected 32: "
                                 "not sequenced")
    head = ledger.head(runtime.db, runtime.key_store, BRAND)
    assert (head.size, head.root_hash, head.pending) == (2, root_hash([hash_leaf(note_bytes(n)) for n in (0, 1)]), 3)
