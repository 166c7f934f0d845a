"""LLRP: our client against a TCP peer that sends a real RO_ACCESS_REPORT (tests/vectors/rfid)."""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from epcis_receiver import EpcisReceiver
from llrp_peer import (
    CLOSE_CONNECTION,
    KEEPALIVE_ACK,
    REPORT_FROM_READER,
    VECTOR,
    LlrpPeer,
    antenna,
    epc_data,
    peak_rssi,
    tag_report,
)
from station_samples import QUICK, client_for, expected_event, station

from readers.errors import ReaderError
from readers.llrp import scans_from_llrp
from readers.llrp.framing import Message, MessageType, encode_message
from readers.llrp.parameters import TagRead, iter_parameters, tag_reads
from readers.scan import Scan, SourceKind
from readers.station import run_station

FIRST_SEEN = datetime(2013, 11, 27, 20, 44, 1, 558537, tzinfo=timezone.utc)  # 1385585041558537 µs
VECTOR_TAG = "urn:epc:id:sgtin:68100645113.97.8263304295"
SGTIN_198 = "3674257BF7194E60C286B5880000000000000000000000000000"  # sgtin-198:3.0614141.812345.ABC-1
ADD, DELETE, ENABLE, START = 20, 21, 24, 22


@pytest.fixture()
def receiver() -> Iterator[EpcisReceiver]:
    server = EpcisReceiver()
    server.up()
    yield server
    server.close()


def test_the_real_report_decodes_field_by_field() -> None:
    assert REPORT_FROM_READER[:2] == bytes.fromhex("043D")  # version 1, type 61
    assert tag_reads(REPORT_FROM_READER[10:]) == (
        TagRead("3005FB63AC1F3841EC880467", antenna=1, peak_rssi=-50, first_seen=FIRST_SEEN, seen_count=1),)
    assert [field["bytes"] for field in VECTOR["fields"]][0] == "043D"


def test_epcs_longer_than_96_bits_come_as_tlv_epc_data_followed_by_tv_fields() -> None:
    report = tag_report(epc_data(SGTIN_198, 208) + antenna(3) + peak_rssi(-71))
    assert tag_reads(report[10:]) == (TagRead(SGTIN_198, antenna=3, peak_rssi=-71),)


def test_framing_writes_the_header_the_standard_describes() -> None:
    assert encode_message(Message(MessageType.START_ROSPEC, 0x01020304, b"\x00\x00\x00\x01")).hex() == (
        "0416" "0000000e" "01020304" "00000001")


@pytest.mark.parametrize(("name", "data"), [
    ("tlv-length-overruns", bytes.fromhex("00F0002200")),
    ("tlv-length-below-header", bytes.fromhex("00F00002")),
    ("unknown-tv-type", bytes.fromhex("FF0001")),
    ("truncated-tv-value", bytes.fromhex("8D3005FB")),
])
def test_broken_parameters_are_reader_errors(name: str, data: bytes) -> None:
    with pytest.raises(ReaderError):
        list(iter_parameters(data))


def test_a_session_runs_rospec_commands_acknowledges_keepalives_and_closes() -> None:
    tlv_report = tag_report(epc_data(SGTIN_198, 208) + antenna(2), message_id=78)
    unknown_tag = tag_report(epc_data("E2801160600002054CC2096F", 96), message_id=79)  # a blank tag's TID-like EPC
    peer = LlrpPeer(["keepalive", REPORT_FROM_READER, tlv_report, unknown_tag, "close"])
    refused: list[str] = []
    scans = list(scans_from_llrp("127.0.0.1", peer.port, on_invalid=lambda text, error: refused.append(text),
                                 clock=lambda: datetime(2024, 3, 1, tzinfo=timezone.utc)))
    peer.join()

    assert scans == [
        Scan(VECTOR_TAG, "3005FB63AC1F3841EC880467", SourceKind.RFID, FIRST_SEEN, antenna=1, peak_rssi=-50),
        Scan("urn:epc:id:sgtin:0614141.812345.ABC-1", SGTIN_198, SourceKind.RFID,
             datetime(2024, 3, 1, tzinfo=timezone.utc), antenna=2),
    ]
    assert refused == ["E2801160600002054CC2096F"]
    # DELETE (refused by the peer: tolerated), ADD, ENABLE, START, the keepalive ack; the
    # reader closed the connection, so no CLOSE_CONNECTION.
    assert peer.received_types == [DELETE, ADD, ENABLE, START, KEEPALIVE_ACK]
    assert peer.errors == []
    rospec_id = struct.pack("!I", 1)
    assert [body for kind, _, body in peer.received if kind in (DELETE, ENABLE, START)] == [rospec_id] * 3
    add_body = next(body for kind, _, body in peer.received if kind == ADD)
    rospec = next(iter_parameters(add_body))
    assert (rospec.type, rospec.value[:6]) == (177, rospec_id + b"\x00\x00")  # ROSpec 1, priority 0, Disabled
    assert [p.type for p in iter_parameters(rospec.value[6:])] == [178, 183, 237]  # boundary, AISpec, report


def test_once_reads_one_report_then_closes_the_connection() -> None:
    peer = LlrpPeer([REPORT_FROM_READER])
    scans = list(scans_from_llrp("127.0.0.1", peer.port, once=True))
    peer.join()
    assert [scan.identifier for scan in scans] == [VECTOR_TAG]
    assert peer.received_types == [DELETE, ADD, ENABLE, START, CLOSE_CONNECTION]


def test_a_reader_that_refuses_the_connection() -> None:
    peer = LlrpPeer(attempt_status=2)
    with pytest.raises(ReaderError, match="refused the connection: ConnectionAttemptEvent status 2"
                                          r" \(a client-initiated connection already exists\)"):
        list(scans_from_llrp("127.0.0.1", peer.port))
    peer.join()


def test_a_refused_rospec_is_a_reader_error_with_the_readers_words() -> None:
    peer = LlrpPeer(refuse={ADD: (100, "AISpec missing")})
    with pytest.raises(ReaderError, match="refused ADD_ROSPEC: status 100 'AISpec missing'"):
        list(scans_from_llrp("127.0.0.1", peer.port))
    peer.join()


def test_no_reader_listening() -> None:
    # A port bound but never listened on refuses connections, and stays ours for the test
    # (a closed listener's port may be taken by another process on a busy machine).
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        port = holder.getsockname()[1]
        with pytest.raises(ReaderError, match=f"cannot connect to LLRP reader 127.0.0.1:{port}"):
            list(scans_from_llrp("127.0.0.1", port))


def test_an_rfid_portal_posts_the_exact_event(tmp_path: Path, receiver: EpcisReceiver) -> None:
    peer = LlrpPeer([REPORT_FROM_READER])
    config = station(tmp_path, receiver.url, biz_step="receiving", disposition="in_progress",
                     time_zone_offset="+01:00")
    run_station(config, scans_from_llrp("127.0.0.1", peer.port, once=True), client=client_for(receiver),
                notify=lambda _: None, backoff=QUICK)
    peer.join()
    assert [r.event for r in receiver.requests] == [
        expected_event(time="2013-11-27T20:44:01.558Z", epcs=[VECTOR_TAG], biz_step="receiving",
                       disposition="in_progress", offset="+01:00")]
