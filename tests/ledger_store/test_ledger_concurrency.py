"""Writers in separate processes record 10,000 entries at once, each sequencing after its
commit as the product's writers do, while a publisher process sequences and signs
checkpoints; the ledger ends up with every entry exactly once, in leaf indexes 0..9999
without gap, under the root recomputed here from the entries alone, and every checkpoint
signed on the way is the root of a prefix of it."""

from __future__ import annotations

import multiprocessing
import random
import time
import traceback
from pathlib import Path

from sqlalchemy import text

from trace.crypto import FileKeyStore
from trace.db.database import Database
from trace.db.ledger_store import NewEntry
from trace.ledger import hash_leaf, root_hash
from trace.services import ledger
from trace.services.ledger_audit import audit
from trace.services.lookups import brand_by_slug
from ledger_scenarios import BRAND, PASSPHRASE, stored_nodes
from support.factories import seeded_catalog

WRITERS = 4
PER_WRITER = 2_500
TOTAL = WRITERS * PER_WRITER
ROUNDS = 100


def writer_entry(writer: int, number: int) -> bytes:
    return f"tracemark-test/concurrent/v1\nwriter={writer}\nnumber={number}\n".encode()


def write(url: str, writer: int, start: multiprocessing.synchronize.Barrier,
          round_start: multiprocessing.synchronize.Barrier, results: multiprocessing.Queue) -> None:
    """One writer process: its own engine, ROUNDS batches of random sizes (1 entry or more),
    a non-waiting sequencing attempt after each commit (what codegen/mint_job.py does).

    The writers start each round together (``round_start``), so their transactions overlap
    even when a loaded machine would otherwise run one writer's whole share before the next
    one is scheduled; within a round they race freely.
    """
    try:
        db = Database.from_url(url)
        rng = random.Random(writer)
        cuts = [0, *sorted(rng.sample(range(1, PER_WRITER), ROUNDS - 1)), PER_WRITER]
        with db.reading() as session:
            brand = brand_by_slug(session, BRAND).id
        start.wait(timeout=120)
        began = time.perf_counter()
        number = sequenced = transactions = 0
        for low, high in zip(cuts, cuts[1:]):
            round_start.wait(timeout=120)
            batch = high - low
            with db.transaction() as session:
                ledger.record(session, brand, [NewEntry(kind="note", ref=f"w{writer}:{n}", entry=writer_entry(writer, n))
                                               for n in range(number, number + batch)])
            number += batch
            transactions += 1
            sequenced += ledger.sequence(db, BRAND, wait=False)
        db.dispose()
        results.put((writer, number, transactions, sequenced, time.perf_counter() - began, None))
    except BaseException:  # noqa: BLE001 — reported to the parent, which fails the test
        results.put((writer, 0, 0, 0, 0.0, traceback.format_exc()))


def publish(url: str, key_dir: str, start: multiprocessing.synchronize.Barrier,
            writers_done: multiprocessing.synchronize.Event, results: multiprocessing.Queue) -> None:
    """The scheduled checkpoint publisher, in a hurry: sequence (waiting for the lock) and
    sign a checkpoint every 50 ms while the writers write."""
    try:
        db = Database.from_url(url)
        key_store = FileKeyStore(Path(key_dir), PASSPHRASE.encode(), scrypt_log2_n=10)
        start.wait(timeout=120)
        sizes = []
        while not writers_done.wait(0.05):
            note = ledger.publish_checkpoint(db, key_store, BRAND)
            sizes.append(int(note.split("\n")[1]))
        db.dispose()
        results.put(("publisher", sizes, None))
    except BaseException:  # noqa: BLE001 — reported to the parent, which fails the test
        results.put(("publisher", [], traceback.format_exc()))


def test_four_writer_processes_record_10000_entries_without_gap_or_duplicate(runtime, database_url: str,
                                                                             tmp_path: Path) -> None:
    seeded_catalog(runtime)
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(WRITERS + 1)
    round_start = context.Barrier(WRITERS)
    writers_done = context.Event()
    results = context.Queue()
    published = context.Queue()
    began = time.perf_counter()
    processes = [context.Process(target=write, args=(database_url, w, start, round_start, results), name=f"writer-{w}")
                 for w in range(WRITERS)]
    publisher = context.Process(target=publish, args=(database_url, str(tmp_path / "keys"), start, writers_done,
                                                      published), name="publisher")
    for process in [*processes, publisher]:
        process.start()
    reports = [results.get(timeout=300) for _ in processes]
    writers_done.set()
    _, sizes, publisher_error = published.get(timeout=120)
    for process in [*processes, publisher]:
        process.join(timeout=60)
    assert [p.exitcode for p in [*processes, publisher]] == [0] * (WRITERS + 1)
    assert publisher_error is None, publisher_error
    assert sizes == sorted(sizes) and len(sizes) >= 2, sizes  # checkpoints only ever grow
    assert [r[5] for r in reports] == [None] * WRITERS, "\n".join(r[5] for r in reports if r[5])
    assert sorted((r[0], r[1]) for r in reports) == [(w, PER_WRITER) for w in range(WRITERS)]
    by_writers = sum(r[3] for r in reports)
    final = ledger.sequence(runtime.db, BRAND)
    assert by_writers + final <= TOTAL  # the publisher sequenced the others
    elapsed = time.perf_counter() - began

    with runtime.db.engine.connect() as conn:
        leaves = conn.execute(text(
            "SELECT l.leaf_index, l.entry_id, l.leaf_hash, e.ref, e.entry FROM ledger_leaf l "
            "JOIN ledger_entry e ON e.id = l.entry_id ORDER BY l.leaf_index")).tuples().all()
        entry_ids = conn.execute(text("SELECT id FROM ledger_entry ORDER BY id")).scalars().all()
        size, head_root, last_entry = conn.execute(text("SELECT size, root_hash, last_entry_id FROM ledger_log")).one()
    assert [row[0] for row in leaves] == list(range(TOTAL))  # no gap, no duplicate index
    assert len(entry_ids) == TOTAL
    assert [row[1] for row in leaves] == entry_ids  # each entry exactly once, in recording order
    expected = {f"w{w}:{n}": writer_entry(w, n) for w in range(WRITERS) for n in range(PER_WRITER)}
    assert {row[3]: bytes(row[4]) for row in leaves} == expected
    for w in range(WRITERS):  # each writer's entries keep the order it recorded them in
        mine = [int(row[3].split(":")[1]) for row in leaves if row[3].startswith(f"w{w}:")]
        assert mine == list(range(PER_WRITER))
    # The test proves something only if the writers overlapped: one after the other would give
    # WRITERS - 1 switches of writer along the leaves (the rounds make about 3 per round).
    owners = [row[3].split(":")[0] for row in leaves]
    switches = sum(a != b for a, b in zip(owners, owners[1:]))
    assert switches >= 20, f"writers hardly overlapped ({switches} switches): the test proved nothing"
    leaf_hashes = [hash_leaf(bytes(row[4])) for row in leaves]
    assert [bytes(row[2]) for row in leaves] == leaf_hashes
    assert (size, bytes(head_root), last_entry) == (TOTAL, root_hash(leaf_hashes), entry_ids[-1])

    note = ledger.publish_checkpoint(runtime.db, runtime.key_store, BRAND)
    assert note.split("\n")[1] == str(TOTAL)
    # Every checkpoint signed mid-flight is a prefix of the final tree (the audit proves
    # consecutive checkpoints consistent and recomputes each one's root).
    report = audit(runtime.db, BRAND)
    assert (report.leaves, report.nodes, report.pending, report.root_hash) == (
        TOTAL, stored_nodes(TOTAL), 0, root_hash(leaf_hashes))
    assert report.checkpoints == len(set(sizes) | {TOTAL})
    with runtime.db.engine.connect() as conn:
        stored = conn.execute(text("SELECT size, root_hash FROM ledger_checkpoint ORDER BY id")).tuples().all()
    assert [(size, bytes(root)) for size, root in stored] == [(n, root_hash(leaf_hashes[:n]))
                                                               for n in sorted(set(sizes) | {TOTAL})]
    print(f"\n{runtime.db.dialect}: {TOTAL:,} entries by {WRITERS} processes in "
          f"{sum(r[2] for r in reports)} transactions, {elapsed:.1f} s (writers' own time: "
          f"{', '.join(f'{r[4]:.1f}' for r in sorted(reports))} s); {by_writers:,} sequenced by writers, {TOTAL - by_writers - final:,} by the publisher, "
          f"{final:,} at the end; "
          f"{switches} writer switches along the leaves; {len(set(sizes))} checkpoints published meanwhile")
