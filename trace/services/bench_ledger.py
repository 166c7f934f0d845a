"""`tracemark bench ledger`: stored-ledger appends, audit and proof serving, each next to a
baseline measured in the same run (raw SHA-256 for the audit)."""

from __future__ import annotations

import hashlib
import random
import secrets
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from trace.crypto import FileKeyStore
from trace.db import ledger_proof_store, migrate
from trace.db.database import Database
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


def _append(db: Database, slug: str, brand_id: int, leaves: int, batch: int) -> tuple[float, float, float]:
    """Leaves appended per second with a writer and the sequencer running at once, as a
    server runs them: the writer records batches of ``batch`` entries, each in its own
    transaction; the sequencer numbers whatever is committed until all of it is in the
    tree. Also the seconds each of them was busy (recording, sequencing)."""
    busy = {"record": 0.0, "sequence": 0.0}
    written = threading.Event()

    def write() -> None:
        try:
            for first in range(0, leaves, batch):
                entries = [NewEntry(kind="bench", ref=f"bench:{i}", entry=_entry(i))
                           for i in range(first, min(leaves, first + batch))]
                began = time.perf_counter()
                with db.transaction() as session:
                    ledger.record(session, brand_id, entries)
                busy["record"] += time.perf_counter() - began
        finally:
            written.set()

    start = time.perf_counter()
    writer = threading.Thread(target=write, name="bench-ledger-writer")
    writer.start()
    sequenced = 0
    while sequenced < leaves:
        began = time.perf_counter()
        added = ledger.sequence(db, slug)
        busy["sequence"] += time.perf_counter() - began
        sequenced += added
        if not added and written.is_set():
            writer.join()
            sequenced += ledger.sequence(db, slug)  # what the writer committed last
            break
        if not added:
            time.sleep(0.001)
    elapsed = time.perf_counter() - start
    writer.join()
    if sequenced != leaves:
        raise LedgerError(f"bench ledger: {sequenced} leaves sequenced, {leaves} recorded")
    return leaves / elapsed, busy["record"], busy["sequence"]


PROOF_CLIENTS = 2
"""Client threads serving proofs at once in the concurrent measure (each on its own pooled
connection), as a server serves several clients: the database's waits overlap."""


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


def bench_ledger(*, database_url: str | None, leaves: int, batch: int = 1000, proofs: int = 5000,
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
        appends, recording, sequencing = _append(db, slug, brand_id, leaves, batch)
        with db.transaction() as session:
            ledger_proof_store.analyze(session)  # what autovacuum would do after such a load
        ledger.publish_checkpoint(db, key_store, slug)
        raw = raw_sha256_rate()
        report = audit(db, slug)
        rng = random.Random(7)
        refs = [f"bench:{rng.randrange(leaves)}" for _ in range(proofs)]
        # Steady state, as a server runs: its first proof of a ledger also loads the upper
        # nodes it keeps in memory (ledger_proof_store.UpperNodes); that one is not timed.
        ledger.inclusion(db, slug, "bench:0")
        proof_rate = _serve(db, slug, refs, 1)
        concurrent_rate = _serve(db, slug, [f"bench:{rng.randrange(leaves)}" for _ in range(proofs)], PROOF_CLIENTS)
        db.dispose()
        return LedgerBenchResult(database=db.dialect, leaves=leaves, batch=batch, appends_per_s=appends,
                                 record_per_s=leaves / recording, sequence_per_s=leaves / sequencing,
                                 audit_seconds=report.seconds, raw_sha256_per_s=raw,
                                 audit_target_seconds=2 * leaves / raw, proofs=proofs, proofs_per_s=proof_rate,
                                 proof_clients=PROOF_CLIENTS, proofs_concurrent_per_s=concurrent_rate)
