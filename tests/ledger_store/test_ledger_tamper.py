"""Tampering that gets past the append-only triggers is caught by `tracemark ledger audit`,
which names the first bad row.

The valid case: mint job 1 (leaf 0, entry id 1), then ``note:1`` … ``note:22`` (leaf n,
entry id n + 1), checkpoints 1, 2, 3 at sizes 5, 13 and 23, so one node is stored: level
4, index 0 (nodes are stored from level 4 up; the audit still recomputes levels 1 to 3). Each negative case is one named change of that ledger, made the only way
left (triggers bypassed, as a superuser could), with the exact row and problem the audit
must report, through the service and through the CLI.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import IntegrityError

from trace.db.models import LedgerEntry, MintJob
from trace.ledger import EMPTY_ROOT, hash_leaf, open_note, perfect_levels, root_hash
from trace.services import brands, ledger
from trace.services.ledger_audit import AuditFailure, audit
from ledger_scenarios import (
    BRAND,
    BuiltLedger,
    brand_id,
    build_ledger,
    cli_env,  # noqa: F401 (fixture)
    flip,
    note_bytes,
    stored_nodes,
    record_notes,
    run_cli,
    tampering,
)

SIZES = (5, 13, 23)


# --- the valid case -------------------------------------------------------------------------


def test_untampered_ledger_audits_clean_with_exact_counts(runtime, cli_env: Path, capsys) -> None:
    built = build_ledger(runtime, SIZES)
    assert built.brand_id == 1
    report = audit(runtime.db, BRAND)
    assert stored_nodes(23) == 1
    assert (report.brand, report.leaves, report.nodes, report.checkpoints, report.entries_rebuilt, report.pending) == (
        BRAND, 23, stored_nodes(23), 3, 1, 0)
    assert report.root_hash == root_hash(built.leaf_hashes)
    code, out, err = run_cli(capsys, "ledger", "audit", "--brand", BRAND)
    assert (code, out) == (0, "")
    root = base64.b64encode(root_hash(built.leaf_hashes)).decode()
    prefix = (f"ledger {BRAND}: ok — 23 leaves, 1 nodes, 3 checkpoints, 1 entries rebuilt from their records, "
              f"0 pending, root {root} (")
    assert err.startswith(prefix) and err.endswith(" s)\n") and err.count("\n") == 1, err


def test_lower_nodes_left_by_an_older_sequencer_are_checked_not_required(runtime) -> None:
    """Ledgers sequenced before nodes were stored from level 4 up keep their level 1 to 3
    rows (append-only): the audit accepts them as long as each level is a right prefix."""
    built = build_ledger(runtime, SIZES)
    _legacy_nodes(built, 13)
    report = audit(runtime.db, BRAND)
    assert (report.leaves, report.nodes, report.pending) == (23, 1 + 6 + 3 + 1, 0)
    assert report.root_hash == root_hash(built.leaf_hashes)


def test_entries_recorded_but_not_sequenced_are_pending_not_a_failure(runtime) -> None:
    built = build_ledger(runtime, SIZES)
    record_notes(runtime.db, built.brand_id, [23, 24])
    report = audit(runtime.db, BRAND)
    assert (report.leaves, report.nodes, report.pending) == (23, 1, 2)
    assert report.root_hash == root_hash(built.leaf_hashes)


# --- one named change each ------------------------------------------------------------------


def _scalar(built: BuiltLedger, sql: str, **params: object) -> bytes | str | int:
    with built.runtime.db.engine.connect() as conn:
        value = conn.execute(text(sql), params).scalar_one()
    return bytes(value) if isinstance(value, memoryview) else value


def _execute(built: BuiltLedger, tables: tuple[str, ...], *statements: tuple[str, dict]) -> None:
    with tampering(built.runtime.db, *tables) as conn:
        for sql, params in statements:
            assert conn.execute(text(sql), params).rowcount == 1, sql


def entry_byte(built: BuiltLedger) -> None:
    old = _scalar(built, "SELECT entry FROM ledger_entry WHERE id = 5")
    assert old == note_bytes(4)
    _execute(built, ("ledger_entry",), ("UPDATE ledger_entry SET entry = :v WHERE id = 5", {"v": flip(old, 30)}))


def commission_entry_byte(built: BuiltLedger) -> None:
    old = _scalar(built, "SELECT entry FROM ledger_entry WHERE id = 1")
    _execute(built, ("ledger_entry",), ("UPDATE ledger_entry SET entry = :v WHERE id = 1", {"v": flip(old, 40)}))


def entry_deleted(built: BuiltLedger) -> None:
    _execute(built, ("ledger_entry",), ("DELETE FROM ledger_entry WHERE id = 5", {}))


def leaf_hash_byte(built: BuiltLedger) -> None:
    old = _scalar(built, "SELECT leaf_hash FROM ledger_leaf WHERE leaf_index = 9")
    assert old == hash_leaf(note_bytes(9))
    _execute(built, ("ledger_leaf",), ("UPDATE ledger_leaf SET leaf_hash = :v WHERE leaf_index = 9", {"v": flip(old, 0)}))


def _node_byte(level: int, index: int) -> Callable[[BuiltLedger], None]:
    def change(built: BuiltLedger) -> None:
        where = "level = :l AND node_index = :i"
        old = _scalar(built, f"SELECT hash FROM ledger_node WHERE {where}", l=level, i=index)
        _execute(built, ("ledger_node",),
                 (f"UPDATE ledger_node SET hash = :v WHERE {where}", {"v": flip(old, 31), "l": level, "i": index}))
    change.__name__ = f"node_{level}_{index}_byte"
    return change


def _set_note(built: BuiltLedger, checkpoint_id: int, note: str) -> None:
    _execute(built, ("ledger_checkpoint",),
             ("UPDATE ledger_checkpoint SET note = :n WHERE id = :i", {"n": note, "i": checkpoint_id}))


def checkpoint_signature_byte(built: BuiltLedger) -> None:
    note = built.notes[13]
    body, signature_line = note.rstrip("\n").rsplit("\n", 1)
    dash, name, blob = signature_line.split(" ")
    signed = base64.b64decode(blob)  # 4-byte key id, then the 64-byte Ed25519 signature
    forged = base64.b64encode(flip(signed, 4 + 20)).decode()
    _set_note(built, 2, f"{body}\n{dash} {name} {forged}\n")


def checkpoint_body_byte(built: BuiltLedger) -> None:
    note = built.notes[13]
    text_part, rest = note.split("\n\n", 1)
    origin, size, root = text_part.split("\n")
    forged_root = base64.b64encode(flip(base64.b64decode(root), 7)).decode()
    _set_note(built, 2, f"{origin}\n{size}\n{forged_root}\n\n{rest}")


def checkpoint_root_column_byte(built: BuiltLedger) -> None:
    old = _scalar(built, "SELECT root_hash FROM ledger_checkpoint WHERE id = 2")
    _execute(built, ("ledger_checkpoint",),
             ("UPDATE ledger_checkpoint SET root_hash = :v WHERE id = 2", {"v": flip(old, 15)}))


def checkpoint_size_column(built: BuiltLedger) -> None:
    _execute(built, ("ledger_checkpoint",), ("UPDATE ledger_checkpoint SET size = 12 WHERE id = 2", {}))


def unit_serial_of_mint_job(built: BuiltLedger) -> None:
    serial = _scalar(built, "SELECT serial FROM unit WHERE mint_job_id = 1 ORDER BY id LIMIT 1")
    changed = ("1" if serial[-1] != "1" else "2")
    _execute(built, (), ("UPDATE unit SET serial = :new WHERE serial = :old", {"new": serial[:-1] + changed, "old": serial}))


def mint_job_time(built: BuiltLedger) -> None:
    column = MintJob.__table__.c.created_at  # typed, so each backend stores the time its own way
    with built.runtime.db.engine.connect() as conn:
        created = conn.execute(select(column).where(MintJob.__table__.c.id == 1)).scalar_one()
    with tampering(built.runtime.db, "mint_job") as conn:
        changed = conn.execute(update(MintJob.__table__).where(MintJob.__table__.c.id == 1)
                               .values(created_at=created + timedelta(microseconds=1)))
        assert changed.rowcount == 1


def leaf_deleted(built: BuiltLedger) -> None:
    _execute(built, ("ledger_leaf",), ("DELETE FROM ledger_leaf WHERE leaf_index = 9", {}))


def last_leaf_deleted(built: BuiltLedger) -> None:
    _execute(built, ("ledger_leaf",), ("DELETE FROM ledger_leaf WHERE leaf_index = 22", {}))


def entry_backdated(built: BuiltLedger) -> None:
    """An entry slipped in under an id the sequencer has already passed, so it never gets a
    leaf. A plain INSERT: the table is append-only, not closed, so no bypass is needed."""
    with built.runtime.db.engine.begin() as conn:
        conn.execute(insert(LedgerEntry.__table__).values(
            id=0, brand_id=built.brand_id, kind="note", ref="note:backdated", entry=b"backdated",
            leaf_hash=hash_leaf(b"backdated"), created_at=datetime(2026, 1, 1, tzinfo=timezone.utc)))


def node_deleted(built: BuiltLedger) -> None:
    _execute(built, ("ledger_node",), ("DELETE FROM ledger_node WHERE level = 4 AND node_index = 0", {}))


def node_added(built: BuiltLedger) -> None:
    # Level 4, index 1 would cover leaves 16 to 31: not a perfect node of a tree of 23.
    _execute(built, ("ledger_node",), ("INSERT INTO ledger_node (brand_id, level, node_index, hash) "
                                       "VALUES (:b, 4, 1, :h)", {"b": built.brand_id, "h": bytes(32)}))


def _add_node(level: int, index: int, *, flipped: bool = False) -> Callable[[BuiltLedger], None]:
    """A node row below level 4, as a ledger sequenced before nodes were stored from level 4 has."""
    def change(built: BuiltLedger) -> None:
        digest = perfect_levels(built.leaf_hashes)[level][index]
        _execute(built, ("ledger_node",), ("INSERT INTO ledger_node (brand_id, level, node_index, hash) "
                                           "VALUES (:b, :l, :i, :h)",
                                           {"b": built.brand_id, "l": level, "i": index,
                                            "h": flip(digest, 31) if flipped else digest}))
    change.__name__ = f"node_{level}_{index}_{'wrong' if flipped else 'right'}_added"
    return change


def _legacy_nodes(built: BuiltLedger, size: int = 23) -> None:
    """The lower rows an older sequencer wrote for the first ``size`` leaves: levels 1 to 3."""
    levels = perfect_levels(built.leaf_hashes[:size])
    _execute(built, ("ledger_node",), *[("INSERT INTO ledger_node (brand_id, level, node_index, hash) "
                                         "VALUES (:b, :l, :i, :h)", {"b": built.brand_id, "l": level, "i": index, "h": h})
                                        for level in (1, 2, 3) for index, h in enumerate(levels[level])])


def legacy_node_byte(built: BuiltLedger) -> None:
    _legacy_nodes(built, 13)
    _node_byte(2, 1)(built)


def legacy_node_deleted(built: BuiltLedger) -> None:
    _legacy_nodes(built, 13)
    _execute(built, ("ledger_node",), ("DELETE FROM ledger_node WHERE level = 1 AND node_index = 3", {}))


def legacy_node_added(built: BuiltLedger) -> None:
    _legacy_nodes(built)
    # Level 1, index 11 would cover leaves 22 and 23: not a perfect node of a tree of 23.
    _execute(built, ("ledger_node",), ("INSERT INTO ledger_node (brand_id, level, node_index, hash) "
                                       "VALUES (:b, 1, 11, :h)", {"b": built.brand_id, "h": bytes(32)}))


def _rewrite_leaves(built: BuiltLedger, rows: list[tuple[int, int, bytes]]) -> None:
    """Replace the leaves at the given indexes by (leaf_index, entry_id, leaf_hash) rows."""
    deletes = [("DELETE FROM ledger_leaf WHERE leaf_index = :i", {"i": index}) for index, _, _ in rows]
    inserts = [("INSERT INTO ledger_leaf (brand_id, leaf_index, entry_id, leaf_hash) VALUES (:b, :i, :e, :h)",
                {"b": built.brand_id, "i": index, "e": entry, "h": digest}) for index, entry, digest in rows]
    _execute(built, ("ledger_leaf",), *deletes, *inserts)


def leaf_entries_swapped(built: BuiltLedger) -> None:
    """Leaves 6 and 7 point at each other's entries; each keeps its hash."""
    hashes = built.leaf_hashes
    _rewrite_leaves(built, [(6, 8, hashes[6]), (7, 7, hashes[7])])


def leaves_reordered(built: BuiltLedger) -> None:
    """Leaves 6 and 7 swapped whole (entry and hash): a consistent-looking reordering."""
    hashes = built.leaf_hashes
    _rewrite_leaves(built, [(6, 8, hashes[7]), (7, 7, hashes[6])])


def leaf_of_another_brand(built: BuiltLedger) -> None:
    """Leaf 4 points at an entry of another brand carrying the same bytes."""
    info = brands.add_brand(built.runtime.db, built.runtime.key_store, name="Beta Tea", domain="https://id.beta.example",
                            slug="beta")
    assert info.slug == "beta"
    record_notes(built.runtime.db, brand_id(built.runtime.db, "beta"), [4])
    other = _scalar(built, "SELECT id FROM ledger_entry WHERE ref = 'note:4' AND brand_id <> :b", b=built.brand_id)
    assert other == 24
    _rewrite_leaves(built, [(4, other, hash_leaf(note_bytes(4)))])


def head_root_byte(built: BuiltLedger) -> None:
    old = _scalar(built, "SELECT root_hash FROM ledger_log WHERE brand_id = :b", b=built.brand_id)
    _execute(built, (), ("UPDATE ledger_log SET root_hash = :v WHERE brand_id = :b", {"v": flip(old, 3), "b": built.brand_id}))


@dataclass(frozen=True)
class Case:
    change: Callable[[BuiltLedger], None]
    row: str
    problem: str


SIGNATURE_FAILS = ("not a valid signed checkpoint of this ledger "
                   "(signed note: the signature by 'id.acme.example/tracemark-ledger/acme' does not verify)")

CASES = [
    Case(entry_byte, "ledger_leaf brand=acme leaf_index=4", "leaf hash does not match entry 5"),
    Case(commission_entry_byte, "ledger_leaf brand=acme leaf_index=0", "leaf hash does not match entry 1"),
    Case(entry_deleted, "ledger_leaf brand=acme leaf_index=4", "leaf hash does not match entry 5"),
    Case(leaf_hash_byte, "ledger_leaf brand=acme leaf_index=9", "leaf hash does not match entry 10"),
    Case(_node_byte(4, 0), "ledger_node brand_id=1 level=4 node_index=0", "stored hash differs from recomputation"),
    Case(checkpoint_signature_byte, "ledger_checkpoint id=2", SIGNATURE_FAILS),
    Case(checkpoint_body_byte, "ledger_checkpoint id=2", SIGNATURE_FAILS),
    Case(checkpoint_root_column_byte, "ledger_checkpoint id=2", "size or root column differs from the signed note"),
    Case(checkpoint_size_column, "ledger_checkpoint id=2", "size or root column differs from the signed note"),
    Case(unit_serial_of_mint_job, "ledger_entry id=1 (commission:1)", "does not match the stored record it describes"),
    Case(mint_job_time, "ledger_entry id=1 (commission:1)", "does not match the stored record it describes"),
    Case(leaf_deleted, "ledger_leaf brand=acme leaf_index=10", "expected leaf 9: a leaf is missing or out of order"),
    Case(node_deleted, "ledger_node brand_id=1 level=4 node_index=0", "is missing"),
    Case(node_added, "ledger_node brand_id=1 level=4 node_index=1", "is not part of the tree"),
    Case(_add_node(1, 0, flipped=True), "ledger_node brand_id=1 level=1 node_index=0",
         "stored hash differs from recomputation"),
    Case(_add_node(3, 0, flipped=True), "ledger_node brand_id=1 level=3 node_index=0",
         "stored hash differs from recomputation"),
    Case(_add_node(2, 3), "ledger_node brand_id=1 level=2 node_index=0", "is missing"),
    Case(legacy_node_byte, "ledger_node brand_id=1 level=2 node_index=1", "stored hash differs from recomputation"),
    Case(legacy_node_deleted, "ledger_node brand_id=1 level=1 node_index=3", "is missing"),
    Case(legacy_node_added, "ledger_node brand_id=1 level=1 node_index=11", "is not part of the tree"),
    Case(leaf_entries_swapped, "ledger_leaf brand=acme leaf_index=6", "leaf hash does not match entry 8"),
    Case(leaves_reordered, "ledger_leaf brand=acme leaf_index=6",
         "names entry 8, but entry 7 comes next in recording order (missing, extra or reordered rows)"),
    Case(last_leaf_deleted, "ledger_entry id=23", "recorded but has no leaf"),
    Case(entry_backdated, "ledger_leaf brand=acme leaf_index=0",
         "names entry 1, but entry 0 comes next in recording order (missing, extra or reordered rows)"),
    Case(leaf_of_another_brand, "ledger_leaf brand=acme leaf_index=4", "leaf hash does not match entry 24"),
    Case(head_root_byte, "ledger_log brand=acme", "head root differs from the recomputed root"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.change.__name__ for case in CASES])
def test_audit_names_the_first_bad_row(runtime, cli_env: Path, capsys, case: Case) -> None:
    built = build_ledger(runtime, SIZES)
    assert built.brand_id == 1
    case.change(built)
    with pytest.raises(AuditFailure) as failed:
        audit(runtime.db, BRAND)
    assert (failed.value.row, failed.value.problem) == (case.row, case.problem)
    assert str(failed.value) == f"{case.row}: {case.problem}"
    code, out, err = run_cli(capsys, "ledger", "audit", "--brand", BRAND)
    assert (code, out, err) == (1, "", f"error: {case.row}: {case.problem}\n")


def test_tampering_helper_leaves_the_tables_protected(runtime) -> None:
    """The bypass is one transaction wide: afterwards the triggers refuse changes again."""
    built = build_ledger(runtime, SIZES)
    _legacy_nodes(built)
    node_deleted(built)
    with pytest.raises(IntegrityError, match="ledger_node is append-only: DELETE refused"):
        with runtime.db.engine.begin() as conn:
            conn.execute(text("DELETE FROM ledger_node WHERE level = 1 AND node_index = 4"))


# --- a consistent rewrite: only a checkpoint kept outside can tell ----------------------------

LEDGER_TABLES = ("ledger_entry", "ledger_leaf", "ledger_node", "ledger_checkpoint")


def _rewrite_history(built: BuiltLedger, sizes: tuple[int, ...], body: Callable[[int], bytes]) -> None:
    """What an operator holding the database and the checkpoint key can do: throw away every
    note, leaf, node and checkpoint, record notes again with ``body`` and publish checkpoints
    at ``sizes``, so that everything stored agrees with everything else."""
    db = built.runtime.db
    with tampering(db, *LEDGER_TABLES) as conn:
        for sql in ("DELETE FROM ledger_leaf", "DELETE FROM ledger_node", "DELETE FROM ledger_checkpoint",
                    "DELETE FROM ledger_entry WHERE kind = 'note'"):
            conn.execute(text(sql))
        conn.execute(text("UPDATE ledger_log SET size = 0, root_hash = :r, last_entry_id = 0"), {"r": EMPTY_ROOT})
    # The commission entry (id 1) stays: it must still match its mint job.
    done = 1
    for size in sizes:
        record_notes(db, built.brand_id, list(range(done, size)), body=body)
        ledger.publish_checkpoint(db, built.runtime.key_store, BRAND)
        done = size


def forged_note_3(number: int) -> bytes:
    return b"forged note 3\n" if number == 3 else note_bytes(number)


def test_consistent_rewrite_passes_alone_but_fails_against_a_checkpoint_kept_outside(runtime, cli_env: Path,
                                                                                    capsys) -> None:
    built = build_ledger(runtime, SIZES)
    kept = built.notes[13]  # e.g. a partner saved it, or a witness cosigned it
    assert audit(runtime.db, BRAND, external_checkpoint=kept).leaves == 23  # the honest ledger agrees with it

    _rewrite_history(built, SIZES, forged_note_3)

    rewritten = [built.entries[0], *(forged_note_3(n) for n in range(1, 23))]
    report = audit(runtime.db, BRAND)  # internally consistent: the audit alone cannot tell
    assert (report.leaves, report.nodes, report.checkpoints, report.entries_rebuilt, report.pending) == (
        23, stored_nodes(23), 3, 1, 0)
    assert report.root_hash == root_hash([hash_leaf(e) for e in rewritten])
    assert report.root_hash != root_hash(built.leaf_hashes)
    latest = ledger.latest_checkpoint(runtime.db, BRAND)
    assert latest != built.notes[23]
    open_note(latest, ledger.verifier_key(runtime.db, BRAND))  # validly signed by the same key

    with pytest.raises(AuditFailure) as failed:
        audit(runtime.db, BRAND, external_checkpoint=kept)
    assert (failed.value.row, failed.value.problem) == ("external checkpoint",
                                                        "root at size 13 differs from the recomputed tree")
    (cli_env / "kept.txt").write_text(kept, encoding="utf-8")
    code, out, err = run_cli(capsys, "ledger", "audit", "--brand", BRAND, "--from-checkpoint", str(cli_env / "kept.txt"))
    assert (code, out, err) == (1, "", "error: external checkpoint: root at size 13 differs from the recomputed tree\n")
    code, _, err = run_cli(capsys, "ledger", "audit", "--brand", BRAND)
    assert code == 0 and err.startswith("ledger acme: ok — 23 leaves, 1 nodes, 3 checkpoints,"), err


def test_history_cut_back_below_a_kept_checkpoint_is_caught(runtime) -> None:
    built = build_ledger(runtime, SIZES)
    kept = built.notes[23]
    _rewrite_history(built, (5, 13), note_bytes)  # the same entries, but only the first 13 of them
    report = audit(runtime.db, BRAND)
    assert (report.leaves, report.checkpoints, report.root_hash) == (13, 2, root_hash(built.leaf_hashes[:13]))
    with pytest.raises(AuditFailure) as failed:
        audit(runtime.db, BRAND, external_checkpoint=kept)
    assert (failed.value.row, failed.value.problem) == ("external checkpoint", "size 23 is beyond the stored tree (13 leaves)")


def test_external_checkpoint_signed_by_another_ledger_is_refused(runtime) -> None:
    build_ledger(runtime, SIZES)
    brands.add_brand(runtime.db, runtime.key_store, name="Beta Tea", domain="https://id.beta.example", slug="beta")
    record_notes(runtime.db, brand_id(runtime.db, "beta"), [1])
    other = ledger.publish_checkpoint(runtime.db, runtime.key_store, "beta")
    with pytest.raises(AuditFailure) as failed:
        audit(runtime.db, BRAND, external_checkpoint=other)
    assert failed.value.row == "external checkpoint"
    vkey = ledger.verifier_key(runtime.db, BRAND)
    assert failed.value.problem == (f"not a valid signed checkpoint of this ledger "
                                    f"(signed note: expected a signature by {vkey!r}, found none)")
