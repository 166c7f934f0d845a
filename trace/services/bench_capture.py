"""`tracemark bench capture`: EPCIS capture rate (validation, hashing, storage, state, ledger)
next to a raw bulk insert of the same event and index rows (COPY on PostgreSQL, executemany
on SQLite) measured in the same run."""

from __future__ import annotations

import io
import json
import secrets
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import text

from trace.crypto import FileKeyStore
from trace.db import migrate
from trace.db.database import Database
from trace.errors import TraceError
from trace.services import brands, ledger
from trace.services.capture import capture_document
from trace.services.lookups import brand_by_slug

CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]


@dataclass(frozen=True, slots=True)
class CaptureBenchResult:
    database: str
    documents: int
    events: int
    epcs_per_event: int
    events_per_s: float
    raw_events_per_s: float
    workers: int = 1
    """Concurrent capture clients (threads, each with its own connection), as partners uploading at once."""

    @property
    def ratio(self) -> float:
        return self.events_per_s / self.raw_events_per_s


def _document(doc: int, events: int, epcs: int, start: datetime) -> dict[str, Any]:
    event_list = []
    for e in range(events):
        base = (doc * events + e) * epcs
        event_list.append({
            "type": "ObjectEvent", "eventTime": (start + timedelta(seconds=doc * events + e)).isoformat(),
            "eventTimeZoneOffset": "+00:00", "action": "OBSERVE", "bizStep": "shipping",
            "disposition": "in_transit", "readPoint": {"id": "urn:epc:id:sgln:9506000.13435.0"},
            "epcList": [f"urn:epc:id:sgtin:9506000.013435.{base + i}" for i in range(epcs)],
        })
    return {"@context": CONTEXT, "type": "EPCISDocument", "schemaVersion": "2.0",
            "creationDate": start.isoformat(), "epcisBody": {"eventList": event_list}}


def _raw_insert(db: Database, brand_id: int, documents: list[dict[str, Any]]) -> float:
    """Insert the same event and index rows without validation, hashing, state or ledger."""
    now = datetime.now(timezone.utc)
    events, index = [], []
    row_id = 10_000_000_000 + secrets.randbelow(1_000_000) * 100_000  # explicit ids away from the sequence
    for doc in documents:
        for event in doc["epcisBody"]["eventList"]:
            row_id += 1
            events.append((row_id, brand_id, f"raw-{row_id}", f"raw-{row_id}", "ObjectEvent", "OBSERVE",
                           event["eventTime"], "+00:00", now.isoformat(), "shipping", "in_transit",
                           event["readPoint"]["id"], None, False, None, json.dumps(event), 0, "bench"))
            index.extend((row_id, "epc", f"raw{row_id}-{epc}", brand_id, event["eventTime"]) for epc in event["epcList"])
    columns = ("id, brand_id, event_id, hash_id, event_type, action, event_time, event_time_zone_offset, record_time, "
               "biz_step, disposition, read_point, biz_location, is_error_declaration, declares_error_of, document, "
               "ledger_entry_id, captured_by")
    start = time.perf_counter()
    with db.transaction() as session:
        cursor = session.connection().connection.driver_connection.cursor()
        if db.dialect == "postgresql":
            def copy(table: str, cols: str, rows: list[tuple]) -> None:
                text = "".join("\t".join("\\N" if v is None else str(v).replace("\\", "\\\\").replace("\t", " ")
                                         for v in row) + "\n" for row in rows)
                cursor.copy_expert(f"COPY {table} ({cols}) FROM STDIN", io.StringIO(text))
            copy("epcis_event", columns, events)
            copy("epcis_event_epc", "event_row_id, role, epc_key, brand_id, event_time", index)
        else:
            cursor.executemany(f"INSERT INTO epcis_event ({columns}) VALUES ({', '.join('?' * 18)})", events)
            cursor.executemany("INSERT INTO epcis_event_epc (event_row_id, role, epc_key, brand_id, event_time) "
                               "VALUES (?, ?, ?, ?, ?)", index)
        cursor.close()
    return sum(len(d["epcisBody"]["eventList"]) for d in documents) / (time.perf_counter() - start)


def _capture_all(db: Database, slug: str, documents: list[dict[str, Any]], workers: int) -> None:
    """Capture ``documents`` with ``workers`` concurrent clients taking the next document in
    turn, then sequence whatever of the ledger the writers' own passes left pending."""
    queue = iter(documents)
    lock = threading.Lock()
    failures: list[BaseException] = []

    def client() -> None:
        while not failures:
            with lock:
                doc = next(queue, None)
            if doc is None:
                return
            try:
                capture_document(db, slug, doc, captured_by="bench")
            except BaseException as exc:  # reported below, after the other clients stop
                failures.append(exc)

    threads = [threading.Thread(target=client, name=f"bench-capture-{n}") for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    ledger.sequence(db, slug)


def _check_stored(db: Database, slug: str, expected: int) -> None:
    """Every event stored once, every ledger entry a leaf of the tree (no gap, nothing pending)."""
    with db.reading() as session:
        brand_id = brand_by_slug(session, slug).id
        stored, = session.execute(text("SELECT count(*) FROM epcis_event WHERE brand_id = :b"), {"b": brand_id}).one()
        entries, = session.execute(text("SELECT count(*) FROM ledger_entry WHERE brand_id = :b"), {"b": brand_id}).one()
        size, = session.execute(text("SELECT size FROM ledger_log WHERE brand_id = :b"), {"b": brand_id}).one()
    if not stored == entries == size == expected:
        raise TraceError(f"bench capture: {expected} events sent, {stored} stored, {entries} ledger entries, "
                         f"ledger size {size}")


def bench_capture(*, database_url: str | None, documents: int = 50, events: int = 100,
                  epcs: int = 10, workers: int = 1) -> CaptureBenchResult:
    if workers < 1:
        raise TraceError("bench capture needs at least one worker")
    with tempfile.TemporaryDirectory(prefix="tracemark-bench-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        migrate.upgrade(url)
        db = Database.from_url(url)
        key_store = FileKeyStore(Path(tmp) / "keys", secrets.token_hex(16).encode(), scrypt_log2_n=14)
        slug = f"bench-{secrets.token_hex(4)}"
        brands.add_brand(db, key_store, name=slug, domain="https://bench.example", slug=slug)
        start = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(days=secrets.randbelow(3000))
        warm_up, *docs = [_document(d, events, epcs, start) for d in range(documents + 1)]
        # Steady state, as a running server sees it: tables of a fresh database have no planner
        # statistics yet (PostgreSQL then guesses "tiny" and may walk a whole index per key);
        # autovacuum analyzes them within a minute of the first captures. One untimed document,
        # then that ANALYZE.
        capture_document(db, slug, warm_up, captured_by="bench")
        with db.transaction() as session:
            postgres = session.get_bind().dialect.name == "postgresql"
            session.execute(text("ANALYZE epc_state, epcis_event, epcis_event_epc" if postgres else "ANALYZE"))
        began = time.perf_counter()
        _capture_all(db, slug, docs, workers)
        rate = documents * events / (time.perf_counter() - began)
        _check_stored(db, slug, (documents + 1) * events)
        with db.reading() as session:
            brand_id = brand_by_slug(session, slug).id
        raw = _raw_insert(db, brand_id, docs)
        db.dispose()
        return CaptureBenchResult(database=db.dialect, documents=documents, events=documents * events,
                                  epcs_per_event=epcs, events_per_s=rate, raw_events_per_s=raw,
                                  workers=workers)
