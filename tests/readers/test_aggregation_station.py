"""Packing station: case label, items, CLOSE → one AggregationEvent; mistakes refused."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from epcis_receiver import EpcisReceiver
from station_samples import CASE_DL, ITEM_2_DL, ITEM_DL, QUICK, client_for, clock, expected_event, station

from readers.aggregation import AggregationSession
from readers.buffer import EventBuffer
from readers.events import EventTemplate
from readers.scan import Command, Reading, SourceKind, parse_scanned_text
from readers.station import StationConfig, run_station
from readers.text_lines import scans_from_lines
from trace.errors import InvalidInput

SECOND_CASE = "https://id.gs1.org/00/106141412345678915"
RFID_ITEM = "urn:epc:id:sgtin:0614141.812345.6789"
T = datetime(2024, 3, 1, tzinfo=timezone.utc)
TEMPLATE = EventTemplate("urn:epc:id:sgln:0614141.00777.0", "packing", "ADD", "in_progress")


@pytest.fixture()
def receiver() -> Iterator[EpcisReceiver]:
    server = EpcisReceiver()
    server.up()
    yield server
    server.close()


def packing_station(tmp_path: Path, url: str) -> StationConfig:
    return station(tmp_path, url, mode="aggregation", biz_step=None, disposition="in_progress")


def typed(lines: list[str], *times: str) -> Iterator[Reading]:
    return scans_from_lines(io.StringIO("\r\n".join(lines) + "\r\n"), commands={"CLOSE"}, clock=clock(*times))


def test_a_case_and_its_items_become_one_aggregation_event(tmp_path: Path, receiver: EpcisReceiver) -> None:
    config = packing_station(tmp_path, receiver.url)
    assert (config.biz_step, config.action) == ("packing", "ADD")  # aggregation-mode defaults
    notices: list[str] = []
    source = typed([
        "]C100106141412345678908",                           # the case label (GS1-128)
        "(01)09520123456788(21)12345",                       # an item
        "https://brand.example/01/09520123456788/21/12345",  # the same item again, as its QR
        "3074257BF7194E4000001A85",                          # an item read by RFID (SGTIN-96)
        "https://id.gs1.org/00/106141412345678915",          # another case label: refused
        "(01)09520123456788(21)12346",
        "CLOSE",
    ], "2024-03-01T08:00:00+08:00", "2024-03-01T08:00:01+08:00", "2024-03-01T08:00:02+08:00",
       "2024-03-01T08:00:03+08:00", "2024-03-01T08:00:04+08:00", "2024-03-01T08:00:05+08:00",
       "2024-03-01T08:00:06.789+08:00")
    summary = run_station(config, source, client=client_for(receiver), notify=notices.append, backoff=QUICK)

    assert [r.event for r in receiver.requests] == [expected_event(
        "AggregationEvent", time="2024-03-01T00:00:06.789Z", parent=CASE_DL,
        epcs=[ITEM_DL, RFID_ITEM, ITEM_2_DL], action="ADD", biz_step="packing", disposition="in_progress")]
    assert notices[0] == f"duplicate item {ITEM_DL} ignored: already in case {CASE_DL}"
    assert notices[1] == (f"refused: cannot start case {SECOND_CASE} (read from {SECOND_CASE!r}): case"
                          f" {CASE_DL} is still open; scan 'CLOSE' to close it first")
    assert f"case {CASE_DL} closed with 3 item(s)" in notices
    assert (summary.reads, summary.events, summary.refused) == (6, 1, 1)


def test_an_open_case_survives_a_restart(tmp_path: Path, receiver: EpcisReceiver) -> None:
    config = packing_station(tmp_path, receiver.url)
    first_notices: list[str] = []
    run_station(config, typed(["(00)106141412345678908", "(01)09520123456788(21)12345"],
                              "2024-03-01T08:00:00+08:00"),
                client=client_for(receiver), notify=first_notices.append, backoff=QUICK)
    assert receiver.requests == []
    assert first_notices[-1] == (f"case {CASE_DL} is still open with 1 item(s): it resumes when the"
                                 " station restarts")
    with EventBuffer(config.buffer_path) as buffer:
        assert [held.scan.identifier for held in buffer.held()] == [CASE_DL, ITEM_DL]

    run_station(config, typed(["(01)09520123456788(21)12346", "CLOSE"], "2024-03-01T09:00:00+08:00"),
                client=client_for(receiver), notify=lambda _: None, backoff=QUICK)
    assert [(r.event["parentID"], r.event["childEPCs"]) for r in receiver.requests] == [
        (CASE_DL, [ITEM_DL, ITEM_2_DL])]
    with EventBuffer(config.buffer_path) as buffer:
        assert buffer.held() == ()


@pytest.mark.parametrize(("name", "readings", "message"), [
    ("item-before-case", ["(01)09520123456788(21)12345"],
     f"item {ITEM_DL} (read from '(01)09520123456788(21)12345') scanned before any case label:"
     " expected a case label (SSCC) first"),
    ("close-without-case", ["CLOSE"], "'CLOSE' with no open case: expected a case label (SSCC) first"),
    ("close-empty-case", ["(00)106141412345678908", "CLOSE"],
     f"cannot close case {CASE_DL}: it has no items; scan its items first"),
    ("class-level-item", ["(00)106141412345678908", "(01)09520123456788"],
     "cannot pack https://id.gs1.org/01/09520123456788 (read from '(01)09520123456788'): expected an"
     " instance identifier (with a serial), found a class-level key"),
    ("unknown-command", ["(00)106141412345678908", "ABORT"], "unknown command 'ABORT': expected 'CLOSE'"),
])
def test_mistakes_are_refused_and_change_nothing(name: str, readings: list[str], message: str) -> None:
    session = AggregationSession(TEMPLATE)
    *before, last = readings
    for text in before:
        session.add(None, parse_scanned_text(text, time=T))
    state = (session.open_case, session.items)
    reading = (Command(last, SourceKind.KEYBOARD, T) if last.isalpha()
               else parse_scanned_text(last, time=T))
    with pytest.raises(InvalidInput) as caught:
        session.add(None, reading)
    assert str(caught.value) == message
    assert (session.open_case, session.items) == state


def test_rescanning_the_open_case_is_a_harmless_repeat() -> None:
    session = AggregationSession(TEMPLATE)
    session.add(1, parse_scanned_text("(00)106141412345678908", time=T))
    outcome = session.add(2, parse_scanned_text("3154257BF4499602D2000000", time=T))  # same SSCC as SSCC-96
    assert outcome.notices == ("case urn:epc:id:sscc:0614141.1234567890 is already open: repeat scan ignored",)
    session.add(3, parse_scanned_text(ITEM_DL, time=T))
    closed = session.add(None, Command("CLOSE", SourceKind.KEYBOARD, T))
    assert closed.release == (1, 2, 3)
    assert [e.raw["childEPCs"] for e in closed.events] == [[ITEM_DL]]
