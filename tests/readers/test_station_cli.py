"""``tracemark station run|flush``: the thin shell over readers.station, end to end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
import segno
from epcis_receiver import API_KEY, EpcisReceiver
from station_samples import ITEM_DL, expected_event, station_file

from trace.cli.main import main

KEY_VARIABLE = "TRACEMARK_TEST_STATION_KEY"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def receiver() -> Iterator[EpcisReceiver]:
    server = EpcisReceiver()
    yield server
    server.close()


@pytest.fixture()
def api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_VARIABLE, API_KEY)


def test_run_reads_a_folder_of_images_once_and_posts_the_events(
        tmp_path: Path, receiver: EpcisReceiver, api_key: None, capsys: pytest.CaptureFixture[str]) -> None:
    receiver.up()
    images = tmp_path / "camera"
    images.mkdir()
    segno.make("https://brand.example/01/09520123456788/21/12345", micro=False).save(images / "a.png", scale=5)
    when = datetime(2024, 3, 1, 1, 2, 3, tzinfo=timezone.utc)
    os.utime(images / "a.png", (when.timestamp(), when.timestamp()))
    config = station_file(tmp_path, receiver.url)

    assert main(["station", "run", str(config), "--source", f"images:{images}", "--once"]) == 0
    out, err = capsys.readouterr()
    assert out == ("station dock-3: 1 read, 1 event(s) recorded, 0 refused; forwarded 1 (0 already"
                   " captured), rejected 0; buffer: 0 pending, 1 sent, 0 rejected\n")
    event = expected_event(time="2024-03-01T01:02:03.000Z", epcs=[ITEM_DL])
    assert err == f"recorded ObjectEvent {event['eventID']}\n"
    assert [r.event for r in receiver.requests] == [event]


def test_flush_with_the_server_down_keeps_the_events_and_exits_1(
        tmp_path: Path, receiver: EpcisReceiver, api_key: None, capsys: pytest.CaptureFixture[str]) -> None:
    config = station_file(tmp_path, receiver.url)
    images = tmp_path / "camera"
    images.mkdir()
    segno.make("https://brand.example/01/09520123456788/21/12345", micro=False).save(images / "a.png", scale=5)
    assert main(["station", "run", str(config), "--source", f"images:{images}", "--once"]) == 0
    capsys.readouterr()

    assert main(["station", "flush", str(config)]) == 1
    out, err = capsys.readouterr()
    assert out == "station dock-3: forwarded 0 (0 already captured), rejected 0; buffer: 1 pending, 0 sent, 0 rejected\n"
    assert err.startswith("1 event(s) still pending: server unreachable: ")

    receiver.up()
    assert main(["station", "flush", str(config)]) == 0
    assert capsys.readouterr().out == ("station dock-3: forwarded 1 (0 already captured), rejected 0;"
                                       " buffer: 0 pending, 1 sent, 0 rejected\n")


def test_a_missing_api_key_is_one_error_line(tmp_path: Path, receiver: EpcisReceiver,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    assert main(["station", "flush", str(station_file(tmp_path, receiver.url))]) == 1
    assert capsys.readouterr().err == (
        f"error: station 'dock-3': environment variable {KEY_VARIABLE} is not set: expected the"
        " partner API key the server gave this station\n")


def test_an_unknown_source_is_one_error_line(tmp_path: Path, receiver: EpcisReceiver, api_key: None,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["station", "run", str(station_file(tmp_path, receiver.url)), "--source", "camera"]) == 1
    assert capsys.readouterr().err == (
        "error: unknown source 'camera': expected stdin, serial:PORT[@BAUD], images:PATH, nfc:usb or"
        " llrp:HOST[:PORT]\n")


def test_a_running_station_forwards_as_it_reads_and_stops_cleanly_on_sigterm(
        tmp_path: Path, receiver: EpcisReceiver) -> None:
    receiver.up()
    config = station_file(tmp_path, receiver.url)
    running = subprocess.Popen(
        [sys.executable, "-c", "from trace.cli.station import app; app()", "run", str(config)],
        cwd=ROOT, env={**os.environ, KEY_VARIABLE: API_KEY}, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert running.stdin is not None
    running.stdin.write("(01)09520123456788(21)12345\n(01)09520123456788(21)12346\n")
    running.stdin.flush()  # stdin stays open: the scanner is still plugged in
    deadline = time.monotonic() + 30
    while len(receiver.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(receiver.requests) == 2  # posted while the station runs, not at its end

    running.send_signal(signal.SIGTERM)
    out, err = running.communicate(timeout=30)
    assert running.returncode == 0, err
    assert out == ("station dock-3: 2 read, 2 event(s) recorded, 0 refused; forwarded 2 (0 already"
                   " captured), rejected 0; buffer: 0 pending, 2 sent, 0 rejected\n")
