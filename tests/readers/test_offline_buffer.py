"""The offline buffer and its forwarder: outages, retries, idempotency, rejections, kill -9."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from epcis_receiver import API_KEY, EpcisReceiver
from station_samples import QUICK, client_for, station, station_file

from readers.buffer import EventBuffer, EventState
from readers.events import EventTemplate, object_event
from readers.forwarder import EpcisClient, Rejection, forward
from readers.scan import parse_scanned_text
from readers.station import flush_station, run_station

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = EventTemplate("urn:epc:id:sgln:0614141.00777.0", "shipping", disposition="in_transit")
START = datetime(2024, 3, 1, tzinfo=timezone.utc)


def item(serial: int) -> str:
    return f"https://id.gs1.org/01/09520123456788/21/{serial}"


def buffered(buffer: EventBuffer, *serials: int) -> list[str]:
    """Buffer one ObjectEvent per serial; returns their Event Hash IDs in order."""
    events = [object_event([parse_scanned_text(item(s), time=START + timedelta(seconds=s))], TEMPLATE)
              for s in serials]
    buffer.record(events)
    return [event.hash_id for event in events]


@pytest.fixture()
def receiver() -> Iterator[EpcisReceiver]:
    server = EpcisReceiver()  # down until a test calls up()
    yield server
    server.close()


@pytest.fixture()
def buffer(tmp_path: Path) -> Iterator[EventBuffer]:
    with EventBuffer(tmp_path / "buffer.sqlite3") as opened:
        yield opened


def test_the_buffer_file_is_wal_with_full_sync(buffer: EventBuffer) -> None:
    with sqlite3.connect(buffer.path) as other:
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert buffer._db.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL


def test_events_wait_while_the_server_is_down_and_go_in_order_when_it_is_back(
        tmp_path: Path, receiver: EpcisReceiver) -> None:
    config = station(tmp_path, receiver.url)
    scans = [parse_scanned_text(item(n), time=START + timedelta(seconds=n)) for n in (1, 2, 3)]
    down = run_station(config, scans, client=client_for(receiver), notify=lambda _: None, backoff=QUICK)
    assert (down.events, down.buffer.pending, down.forwarding.sent) == (3, 3, 0)
    assert down.forwarding.stopped is not None and "server unreachable" in down.forwarding.stopped
    assert receiver.requests == []

    receiver.up()
    back = flush_station(config, client=client_for(receiver), backoff=QUICK)
    assert [r.event["epcList"] for r in receiver.requests] == [[item(1)], [item(2)], [item(3)]]
    assert (back.forwarding.sent, back.buffer.pending, back.buffer.sent) == (3, 0, 3)


def test_retries_back_off_until_the_server_answers(buffer: EventBuffer, receiver: EpcisReceiver) -> None:
    receiver.up()
    receiver.script.extend([500, 503, 502])
    [hash_id] = buffered(buffer, 1)
    delays: list[float] = []
    report = forward(buffer, client_for(receiver), backoff=QUICK, sleep=delays.append)
    assert delays == [0.01, 0.02, 0.04]
    assert [r.status for r in receiver.requests] == [500, 503, 502, 201]
    assert (report.sent, report.failures, report.remaining) == (1, 3, 0)
    [event] = buffer.events()
    assert (event.hash_id, event.state, event.attempts, event.http_status) == (hash_id, EventState.SENT, 4, 201)


def test_forwarding_resumes_by_itself_when_the_server_comes_back(buffer: EventBuffer,
                                                                 receiver: EpcisReceiver) -> None:
    buffered(buffer, 1, 2)
    stop = threading.Event()
    threading.Timer(0.3, receiver.up).start()
    report = forward(buffer, client_for(receiver), backoff=QUICK, stop=stop)
    assert (report.sent, report.remaining) == (2, 0) and report.failures >= 1


def test_a_lost_answer_is_retried_and_the_409_settles_it(buffer: EventBuffer, receiver: EpcisReceiver) -> None:
    receiver.up()
    receiver.script.append("lost-answer")  # captured, but the station sees a 503
    [hash_id] = buffered(buffer, 1)
    report = forward(buffer, client_for(receiver), backoff=QUICK, sleep=lambda _: None)
    assert [r.status for r in receiver.requests] == [503, 409]
    assert receiver.posted_hashes() == [hash_id, hash_id]  # the very same event, twice
    assert list(receiver.captured) == [hash_id]  # and captured once
    assert (report.sent, report.duplicates) == (1, 1)
    assert buffer.counts().sent == 1


def test_the_same_event_is_never_buffered_twice(buffer: EventBuffer) -> None:
    buffered(buffer, 1)
    buffered(buffer, 1)
    assert len(buffer.events()) == 1


def test_a_refused_event_is_kept_as_rejected_and_the_next_one_goes_on(
        buffer: EventBuffer, receiver: EpcisReceiver) -> None:
    receiver.up()
    receiver.script.append(422)
    first, second = buffered(buffer, 1, 2)
    report = forward(buffer, client_for(receiver), backoff=QUICK)

    problem = json.dumps({"type": "about:blank", "status": 422, "title": "problem", "detail": "scripted answer"})
    assert report.rejected == (Rejection(first, 422, problem),)
    assert [(e.hash_id, e.state, e.http_status, e.problem) for e in buffer.events()] == [
        (first, EventState.REJECTED, 422, problem), (second, EventState.SENT, 201, None)]
    again = forward(buffer, client_for(receiver), backoff=QUICK)  # a rejected event is not retried
    assert (again.sent, len(receiver.requests)) == (0, 2)


def test_a_wrong_api_key_stops_forwarding_and_keeps_events_pending(buffer: EventBuffer,
                                                                  receiver: EpcisReceiver) -> None:
    receiver.up()
    buffered(buffer, 1, 2)
    report = forward(buffer, EpcisClient(receiver.url, "not-the-key"), backoff=QUICK)
    assert report.stopped is not None and report.stopped.startswith(
        f"the server answered HTTP 401 to {receiver.url}/epcis/events: check the station's server URL and API key")
    assert (len(receiver.requests), buffer.counts().pending, buffer.counts().rejected) == (1, 2, 0)


@pytest.mark.parametrize(("max_reads", "restart"), [
    (1, ["flush"]),                       # every read was already an event: just forward
    (3, ["run", "--source", "stdin", "--once"]),  # two reads were mid-batch: replayed, then sent
])
def test_kill_9_between_read_and_forward_loses_nothing(tmp_path: Path, receiver: EpcisReceiver,
                                                       max_reads: int, restart: list[str]) -> None:
    config = station_file(tmp_path, receiver.url, batching={"max_reads": max_reads})
    environment = {**os.environ, "TRACEMARK_TEST_STATION_KEY": API_KEY}
    station_cli = [sys.executable, "-c", "from trace.cli.station import app; app()"]
    serials = [101, 102, 103, 104, 105]
    with open(tmp_path / "first-run.log", "w") as log:
        first = subprocess.Popen([*station_cli, "run", str(config), "--source", "stdin"], cwd=ROOT,
                                 env=environment, stdin=subprocess.PIPE, stdout=log, stderr=log, text=True)
        assert first.stdin is not None
        first.stdin.write("".join(f"(01)09520123456788(21){s}\n" for s in serials))
        first.stdin.flush()
        # Every read is on disk — as events, or journaled while its batch is open — before the kill.
        _wait_for(tmp_path / "buffer.sqlite3", events=len(serials) // max_reads, held=len(serials) % max_reads)
        os.kill(first.pid, signal.SIGKILL)  # no goodbye: no flush, no final forwarding
        first.wait(10)
    assert receiver.requests == []  # the server was down all along

    receiver.up()
    second = subprocess.run([*station_cli, *restart[:1], str(config), *restart[1:]], cwd=ROOT,
                            env=environment, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr

    posted = [epc for r in receiver.requests for epc in r.event["epcList"]]
    assert sorted(posted) == [item(s) for s in serials]  # every scan, exactly once
    assert len(receiver.posted_hashes()) == len(set(receiver.posted_hashes())) == len(receiver.captured)
    with EventBuffer(tmp_path / "buffer.sqlite3") as buffer:
        assert (buffer.counts().pending, buffer.held()) == (0, ())


def _wait_for(path: Path, *, events: int, held: int, seconds: float = 30) -> None:
    """Until the (other process's) buffer holds ``events`` events and ``held`` journaled scans."""
    deadline = time.monotonic() + seconds
    found = (0, 0)
    while time.monotonic() < deadline:
        try:
            with sqlite3.connect(path, timeout=5) as db:
                found = (db.execute("SELECT count(*) FROM buffered_event").fetchone()[0],
                         db.execute("SELECT count(*) FROM held_scan").fetchone()[0])
        except sqlite3.OperationalError:
            found = (0, 0)  # not created yet
        if found == (events, held):
            return
        time.sleep(0.05)
    raise AssertionError(f"buffer never reached {events} events / {held} held scans (last seen {found})")
