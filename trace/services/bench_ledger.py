"""`tracemark bench ledger`: stored-ledger appends, audit and proof serving, each next to a
baseline measured in the same run (raw SHA-256 for the audit)."""

from __future__ import annotations

import hashlib
import multiprocessing
import random
import secrets
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterator
from typing import Any

from trace.crypto import FileKeyStore
from trace.db import ledger_proof_store, migrate
from trace.db.database import Database
from trace.db.ledger import LedgerLog
from trace.db.ledger_store import NewEntry
from trace.errors import LedgerError
from trace.services import brands, ledger
from trace.services.ledger_audit import audit
from trace.services.lookups import brand_by_slug


@dataclass(frozen=True, slots=True)
class LedgerBenchResult:
    database: str
    leaves: int
    batch: int
    appends_per_s: float
    audit_seconds: float
    raw_sha256_per_s: float
    audit_target_seconds: float
    record_per_s: float
    sequence_per_s: float
    proofs: int
    proofs_per_s: float
    proof_clients: int
    proofs_concurrent_per_s: float
    proof_workers: int = 1
    sequencer: str = "in turn"
    """"concurrent process": writers and a sequencer process ran at once, as in production
    (PostgreSQL); "in turn": each batch recorded, then sequenced (SQLite, one writer)."""
    gap_free_root_recomputed: bool = False

    @property
    def audit_ratio(self) -> float:
        """Time to hash 2n at raw speed over the audit's time (target >= 0.25)."""
        return self.audit_target_seconds / self.audit_seconds if self.audit_seconds else 0.0


def raw_sha256_rate(samples: int = 500_000) -> float:
    data = [secrets.token_bytes(120) for _ in range(1000)]
    sha = hashlib.sha256
    start = time.perf_counter()
    for i in range(samples):
        sha(data[i % 1000]).digest()
    return samples / (time.perf_counter() - start)


def _entry(i: int) -> bytes:
    # About the size of an EPCIS event's pre-hash string.
    return (f"eventType=ObjectEvent\neventTime=2026-11-25T01:00:00.000Z\naction=OBSERVE\nbizStep=shipping\n"
            f"epcList=https://id.gs1.org/01/09506000134352/21/{i:013d}\n").encode()


PROOF_CLIENTS = 4
"""Clients asking for proofs at once in the concurrent measure."""

PROOF_WORKERS = 2
"""Server processes serving them, as ``tracemark serve --workers 2`` on this 2-core kind of
machine: each takes an equal share of the clients, one thread and pooled connection per
client (within one process the threads share one interpreter lock)."""


def _serve(db: Database, slug: str, refs: list[str], clients: int) -> float:
    """Proofs per second serving ``refs`` from ``clients`` threads (one thread: in this one)."""
    def serve(part: list[str]) -> None:
        for ref in part:
            ledger.inclusion(db, slug, ref)

    start = time.perf_counter()
    if clients == 1:
        serve(refs)
    else:
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(serve, [refs[i::clients] for i in range(clients)]))
    return len(refs) / (time.perf_counter() - start)


def _proof_worker(url: str, slug: str, refs: list[str], clients: int, ready: Any, go: Any, done: Any) -> None:
    """One serving process: warmed up (connections, the ledger's upper nodes) before the
    clock; reports (perf_counter at start, at end) — one clock for every process here."""
    db = Database.from_url(url)
    try:
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(lambda ref: ledger.inclusion(db, slug, ref), refs[:clients * 4]))
        ready.set()
        go.wait()
        start = time.perf_counter()
        _serve(db, slug, refs, clients)
        done.send((start, time.perf_counter()))
    finally:
        db.dispose()


def _serve_in_processes(url: str, slug: str, refs: list[str], clients: int, workers: int) -> float:
    """Proofs per second serving ``refs`` to ``clients`` concurrent clients from ``workers``
    processes at once, from the first process's start to the last one's end."""
    context = multiprocessing.get_context("spawn")
    go = context.Event()
    started = []
    for w in range(workers):
        ready = context.Event()
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_proof_worker, daemon=True,
                                  args=(url, slug, refs[w::workers], clients // workers, ready, go, send))
        process.start()
        started.append((process, ready, receive))
    try:
        for process, ready, _ in started:
            if not ready.wait(120):
                raise RuntimeError("a proof-serving process of the bench did not start")
        go.set()
        spans = [receive.recv() for _, _, receive in started]
    finally:
        for process, _, _ in started:
            process.join(30)
            if process.is_alive():
                process.kill()
    return len(refs) / (max(end for _, end in spans) - min(start for start, _ in spans))


def _batches(leaves: int, batch: int) -> Iterator[list[NewEntry]]:
    for first in range(0, leaves, batch):
        yield [NewEntry(kind="bench", ref=f"bench:{i}", entry=_entry(i))
               for i in range(first, min(leaves, first + batch))]


def _append_in_turn(db: Database, slug: str, brand_id: int, leaves: int, batch: int) -> tuple[float, float]:
    """Record a batch, sequence it, and so on: (seconds recording, seconds sequencing)."""
    recording = sequencing = 0.0
    for entries in _batches(leaves, batch):
        start = time.perf_counter()
        with db.transaction() as session:
            ledger.record(session, brand_id, entries)
        middle = time.perf_counter()
        ledger.sequence(db, slug)
        recording += middle - start
        sequencing += time.perf_counter() - middle
    return recording, sequencing


def _sequencer(url: str, slug: str, leaves: int, ready: Any, go: Any, done: Any) -> None:
    """The sequencer process: sequence whatever writers committed until ``leaves`` are in
    the tree; reports (seconds spent sequencing, perf_counter when the last leaf was in)."""
    db = Database.from_url(url)
    try:
        sequenced = 0
        busy = 0.0
        ledger.sequence(db, slug)  # connect and warm up; nothing is pending yet
        ready.set()
        go.wait()
        while sequenced < leaves:
            start = time.perf_counter()
            added = ledger.sequence(db, slug)
            if added:
                sequenced += added
                busy += time.perf_counter() - start
            else:
                time.sleep(0.0005)
        done.send((busy, time.perf_counter()))
    finally:
        db.dispose()


def _append_concurrently(db: Database, url: str, slug: str, brand_id: int, leaves: int,
                         batch: int) -> tuple[float, float, float]:
    """One writer here and one sequencer process running at once: (seconds the writer
    spent recording, seconds the sequencer spent sequencing, seconds from the first record
    to the last leaf in the tree)."""
    context = multiprocessing.get_context("spawn")
    ready, go = context.Event(), context.Event()
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_sequencer, args=(url, slug, leaves, ready, go, send), daemon=True)
    process.start()
    try:
        if not ready.wait(120):
            raise RuntimeError("the bench's sequencer process did not start")
        work = list(_batches(leaves, batch))  # the entries exist before the clock starts, as in in-turn mode's loop
        start = time.perf_counter()
        go.set()
        for entries in work:
            with db.transaction() as session:
                ledger.record(session, brand_id, entries)
        recording = time.perf_counter() - start
        sequencing, finished = receive.recv()
        process.join(60)
    finally:
        if process.is_alive():
            process.kill()
    return recording, sequencing, finished - start


def bench_ledger(*, database_url: str | None, leaves: int, batch: int = 1000, proofs: int = 20_000,
                 workdir: Path | None = None) -> LedgerBenchResult:
    with tempfile.TemporaryDirectory(prefix="tracemark-bench-", dir=workdir) as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        migrate.upgrade(url)
        db = Database.from_url(url)
        key_store = FileKeyStore(Path(tmp) / "keys", secrets.token_hex(16).encode(), scrypt_log2_n=14)
        slug = f"bench-{secrets.token_hex(4)}"
        brands.add_brand(db, key_store, name=slug, domain="https://bench.example", slug=slug)
        with db.reading() as session:
            brand_id = brand_by_slug(session, slug).id
        if db.dialect == "postgresql":
            recording, sequencing, elapsed = _append_concurrently(db, url, slug, brand_id, leaves, batch)
        else:
            recording, sequencing = _append_in_turn(db, slug, brand_id, leaves, batch)
            elapsed = recording + sequencing
        appends = leaves / elapsed
        with db.transaction() as session:
            ledger_proof_store.analyze(session)  # what autovacuum would do after such a load
        ledger.publish_checkpoint(db, key_store, slug)
        raw = raw_sha256_rate()
        report = audit(db, slug)
        with db.reading() as session:
            head_root = bytes(session.get(LedgerLog, brand_id).root_hash)  # type: ignore[union-attr]
        # The audit recomputed every leaf from its entry, every node and the root from the
        # leaves, and checked the head against them; it raises at the first mismatch.
        gap_free = report.leaves == leaves and report.pending == 0 and report.root_hash == head_root
        if not gap_free:
            raise LedgerError(f"ledger after the bench: {report.leaves} leaves of {leaves}, "
                                 f"{report.pending} pending, root matches head: {report.root_hash == head_root}")
        rng = random.Random(7)
        refs = [f"bench:{rng.randrange(leaves)}" for _ in range(proofs)]
        # Steady state, as a server runs: its first proof of a ledger also loads the upper
        # nodes it keeps in memory (ledger_proof_store.UpperNodes); that one is not timed.
        ledger.inclusion(db, slug, "bench:0")
        proof_rate = _serve(db, slug, refs, 1)
        concurrent_rate = _serve_in_processes(url, slug, [f"bench:{rng.randrange(leaves)}" for _ in range(proofs)],
                                              PROOF_CLIENTS, PROOF_WORKERS)
        db.dispose()
        return LedgerBenchResult(database=db.dialect, leaves=leaves, batch=batch, appends_per_s=appends,
                                 sequencer="concurrent process" if db.dialect == "postgresql" else "in turn",
                                 gap_free_root_recomputed=gap_free,
                                 record_per_s=leaves / recording, sequence_per_s=leaves / sequencing,
                                 audit_seconds=report.seconds, raw_sha256_per_s=raw,
                                 audit_target_seconds=2 * leaves / raw, proofs=proofs, proofs_per_s=proof_rate,
                                 proof_clients=PROOF_CLIENTS, proofs_concurrent_per_s=concurrent_rate,
                                 proof_workers=PROOF_WORKERS)
