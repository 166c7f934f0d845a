"""Keyboard-wedge and serial scanners: lines in, exact EPCIS ObjectEvents out at the server."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import serial
from epcis_receiver import API_KEY, EpcisReceiver
from station_samples import ITEM_2_DL, ITEM_DL, QUICK, client_for, clock, expected_event, station

from readers.scan import Scan, SourceKind
from readers.station import run_station
from readers.text_lines import port_lines, scans_from_lines


@pytest.fixture()
def receiver() -> Iterator[EpcisReceiver]:
    server = EpcisReceiver()
    server.up()
    yield server
    server.close()


def test_one_event_per_scanned_line(tmp_path: Path, receiver: EpcisReceiver) -> None:
    config = station(tmp_path, receiver.url)
    typed = io.StringIO(
        "]d2010952012345678810ABC1\x1d2112345\r\n"
        "\r\n"
        "https://brand.example/01/09520123456788/21/12346?8030=MEUCIQD\r\n"
    )
    source = scans_from_lines(typed, clock=clock("2024-03-01T08:15:30.250+08:00",
                                                 "2024-03-01T08:15:31.500+08:00"))
    notices: list[str] = []
    summary = run_station(config, source, client=client_for(receiver), notify=notices.append, backoff=QUICK)

    assert [r.event for r in receiver.requests] == [
        expected_event(time="2024-03-01T00:15:30.250Z", epcs=[ITEM_DL]),
        expected_event(time="2024-03-01T00:15:31.500Z", epcs=[ITEM_2_DL]),
    ]
    assert {r.authorization for r in receiver.requests} == {f"Bearer {API_KEY}"}
    assert {r.status for r in receiver.requests} == {201}
    assert (summary.reads, summary.events, summary.refused) == (2, 2, 0)
    assert (summary.forwarding.sent, summary.buffer.pending, summary.buffer.sent) == (2, 0, 2)


def test_batched_reads_make_one_event_per_n_distinct_identifiers(tmp_path: Path, receiver: EpcisReceiver) -> None:
    config = station(tmp_path, receiver.url, action="ADD", biz_step="commissioning",
                     disposition="active", batching={"max_reads": 2})
    typed = io.StringIO("(01)09520123456788(21)12345\n"
                        "https://id.gs1.org/01/09520123456788/21/12345\n"  # same item again
                        "(01)09520123456788(21)12346\n"
                        "3074257BF7194E4000001A85\n")  # last batch: closed when input ends
    source = scans_from_lines(typed, clock=clock("2024-03-01T08:00:00+08:00", "2024-03-01T08:00:01+08:00",
                                                 "2024-03-01T08:00:02+08:00", "2024-03-01T08:00:03+08:00"))
    run_station(config, source, client=client_for(receiver), notify=lambda _: None, backoff=QUICK)

    common = {"action": "ADD", "biz_step": "commissioning", "disposition": "active"}
    assert [r.event for r in receiver.requests] == [
        expected_event(time="2024-03-01T00:00:00.000Z", epcs=[ITEM_DL, ITEM_2_DL], **common),
        expected_event(time="2024-03-01T00:00:03.000Z", epcs=["urn:epc:id:sgtin:0614141.812345.6789"], **common),
    ]


def test_a_batch_closes_after_its_seconds_even_while_the_scanner_is_silent(
        tmp_path: Path, receiver: EpcisReceiver) -> None:
    config = station(tmp_path, receiver.url, batching={"max_reads": 100, "max_seconds": 0.2})
    late = clock("2024-03-01T08:00:00+08:00")
    recorded_before_end: list[int] = []

    def slow_scanner() -> Iterator[Scan]:
        yield Scan(ITEM_DL, "typed", SourceKind.KEYBOARD, late())
        time.sleep(1.0)  # the scanner is idle: the batch must not wait for it
        recorded_before_end.append(len(receiver.requests))

    run_station(config, slow_scanner(), client=client_for(receiver), notify=lambda _: None, backoff=QUICK)
    assert recorded_before_end == [1]
    assert [r.event["epcList"] for r in receiver.requests] == [[ITEM_DL]]


def test_unreadable_lines_are_reported_and_reading_goes_on(tmp_path: Path, receiver: EpcisReceiver) -> None:
    config = station(tmp_path, receiver.url)
    refused: list[str] = []
    typed = io.StringIO("garbage\n(01)09520123456788(10)LOT1\n(01)09520123456788(21)12345\n")
    source = scans_from_lines(typed, clock=clock("2024-03-01T08:00:00+08:00"),
                              on_invalid=lambda text, error: refused.append(str(error)))
    notices: list[str] = []
    summary = run_station(config, source, client=client_for(receiver), notify=notices.append, backoff=QUICK)

    assert refused == ["unrecognised scan 'garbage': expected a GS1 Digital Link URI, a GS1 element string"
                       " ((01)…, FNC1/GS form, with or without a ]d2/]Q3/]C1/]e0 symbology identifier),"
                       " an EPC URI (urn:epc:id:… or urn:epc:tag:…) or an EPC in hex"]
    assert [n for n in notices if n.startswith("refused")] == [
        "refused: cannot record 'https://id.gs1.org/01/09520123456788/10/LOT1' (read from"
        " '(01)09520123456788(10)LOT1'): expected an instance identifier (a serial, an SSCC),"
        " found a class-level key"]
    assert [r.event["epcList"] for r in receiver.requests] == [[ITEM_DL]]
    assert (summary.reads, summary.events, summary.refused) == (2, 1, 1)


def test_serial_scanner_lines_end_with_cr_lf_or_both() -> None:
    port = serial.serial_for_url("loop://", timeout=0.05)
    port.write(b"]C100106141412345678908\r(01)09520123456788(21)12345\r\n3074257BF7194E4000001A85\n")
    lines = list(port_lines(port, idle_seconds=0.2))
    port.close()
    assert lines == ["]C100106141412345678908", "(01)09520123456788(21)12345", "3074257BF7194E4000001A85"]
    scans = list(scans_from_lines(lines, source=SourceKind.SERIAL))
    assert [(s.identifier, s.source) for s in scans] == [
        ("https://id.gs1.org/00/106141412345678908", SourceKind.SERIAL),
        (ITEM_DL, SourceKind.SERIAL),
        ("urn:epc:id:sgtin:0614141.812345.6789", SourceKind.SERIAL),
    ]


def test_stopping_a_station_records_the_open_batch(tmp_path: Path, receiver: EpcisReceiver) -> None:
    config = station(tmp_path, receiver.url, batching={"max_reads": 10})
    stop = threading.Event()
    never = threading.Event()

    def scanner_left_running() -> Iterator[Scan]:
        yield Scan(ITEM_DL, "typed", SourceKind.KEYBOARD, clock("2024-03-01T08:00:00+08:00")())
        never.wait(5)  # blocked on the device, as a real scanner is

    threading.Timer(0.3, stop.set).start()
    summary = run_station(config, scanner_left_running(), client=client_for(receiver), notify=lambda _: None,
                          stop=stop, backoff=QUICK)
    never.set()
    assert [r.event["epcList"] for r in receiver.requests] == [[ITEM_DL]]
    assert (summary.events, summary.buffer.sent) == (1, 1)
