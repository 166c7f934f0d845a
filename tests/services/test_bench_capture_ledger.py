"""`tracemark bench capture` and `bench ledger`, briefly, on both databases: every document
captured (warm-up included) and every leaf sequenced, audited clean and provable."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from trace.db.database import Database
from trace.errors import TraceError
from trace.services.bench_capture import bench_capture
from trace.services.bench_ledger import bench_ledger


def test_bench_capture_captures_every_event_and_times_all_but_the_warm_up(database_url: str) -> None:
    result = bench_capture(database_url=database_url, documents=3, events=4, epcs=2)
    assert (result.documents, result.events, result.epcs_per_event) == (3, 12, 2)
    assert result.events_per_s > 0 and result.raw_events_per_s > 0
    db = Database.from_url(database_url)
    try:
        with db.engine.connect() as conn:
            # 4 documents of 4 events captured (the warm-up too), then the baseline's bulk
            # insert of the 3 timed documents' 12 event rows beside them.
            assert conn.execute(text("SELECT count(*) FROM epcis_event")).scalar() == 16 + 12
            assert conn.execute(text("SELECT count(*) FROM epc_state")).scalar() == 32
    finally:
        db.dispose()


def test_bench_ledger_sequences_audits_and_proves_every_leaf(database_url: str) -> None:
    result = bench_ledger(database_url=database_url, leaves=2_500, batch=1_000, proofs=50)
    assert (result.leaves, result.batch, result.proofs) == (2_500, 1_000, 50)
    assert result.appends_per_s > 0 and result.proofs_per_s > 0 and result.proofs_concurrent_per_s > 0
    assert 0 < result.audit_ratio and result.audit_target_seconds == 2 * 2_500 / result.raw_sha256_per_s
    # PostgreSQL: a writer and a sequencer process at once; SQLite (one writer): in turn.
    assert result.sequencer == ("concurrent process" if database_url.startswith("postgresql") else "in turn")
    assert result.gap_free_root_recomputed is True and result.proof_clients == 4 and result.proof_workers == 2
    db = Database.from_url(database_url)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT size FROM ledger_log")).scalar() == 2_500
            assert conn.execute(text("SELECT count(*), min(leaf_index), max(leaf_index) FROM ledger_leaf")).one() == (
                2_500, 0, 2_499)
    finally:
        db.dispose()


def test_bench_capture_with_concurrent_clients_stores_every_event_once(database_url: str) -> None:
    result = bench_capture(database_url=database_url, documents=5, events=3, epcs=2, workers=3)
    assert (result.workers, result.events) == (3, 15)
    db = Database.from_url(database_url)
    try:
        with db.engine.connect() as conn:
            # warm-up + 5 timed documents of 3 events, each once (then the baseline's 15 raw
            # rows); each captured event one ledger leaf
            assert conn.execute(text("SELECT count(*), count(DISTINCT hash_id) FROM epcis_event")).one() == (33, 33)
            assert conn.execute(text("SELECT count(*) FROM epcis_event WHERE hash_id LIKE 'ni:%'")).scalar() == 18
            assert conn.execute(text("SELECT size FROM ledger_log")).scalar() == 18
    finally:
        db.dispose()


def test_bench_capture_needs_a_worker(database_url: str) -> None:
    with pytest.raises(TraceError, match="at least one worker"):
        bench_capture(database_url=database_url, documents=1, events=1, epcs=1, workers=0)
