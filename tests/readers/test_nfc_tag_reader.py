"""NFC: write and read NDEF URI records on an NTAG215 through the real nfcpy stack.

The tag is :class:`ntag_memory.Ntag215` — memory pages answering the NTAG21x commands —
behind an nfcpy device driver; everything above the driver (ContactlessFrontend, tag
activation, Type 2 Tag NDEF procedures, ndeflib) is nfcpy's own code.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import nfc.tag.tt2_nxp
import pytest
from epcis_receiver import EpcisReceiver
from ntag_memory import InMemoryNtagDevice, Ntag215, frontend
from station_samples import ITEM_DL, QUICK, client_for, clock, expected_event, station

from readers.errors import ReaderError
from readers.nfc import read_uri, scan_from_tag, scans_from_frontend, write_uri
from readers.scan import Scan, SourceKind
from readers.station import run_station
from trace.errors import InvalidInput

UID = bytes.fromhex("04A22B3C4D5E80")
MINTED = "https://brand.example/01/09520123456788/10/L1/21/12345?8030=MEUCIQDx"
RDWR = {"on-connect": lambda tag: False, "beep-on-connect": False}
WHEN = datetime(2024, 3, 1, 0, 0, 1, tzinfo=timezone.utc)


def connect(device: InMemoryNtagDevice) -> nfc.tag.tt2_nxp.NTAG215:
    tag = frontend(device).connect(rdwr=RDWR)
    assert isinstance(tag, nfc.tag.tt2_nxp.NTAG215)  # told apart by its GET_VERSION answer
    return tag


@pytest.fixture()
def receiver() -> Iterator[EpcisReceiver]:
    server = EpcisReceiver()
    server.up()
    yield server
    server.close()


def test_encoding_writes_one_uri_record_into_the_tag_memory() -> None:
    chip = Ntag215(UID)
    write_uri(connect(InMemoryNtagDevice(chip)), MINTED)

    body = MINTED.removeprefix("https://").encode()
    # Page 4 on: NDEF message TLV (03, length), record header D1 (MB ME SR, well-known),
    # type length 1, payload length, type "U", prefix code 04 ("https://"), the rest, FE.
    expected = bytes([0x03, len(body) + 5, 0xD1, 0x01, len(body) + 1, 0x55, 0x04]) + body + b"\xfe"
    assert bytes(chip.memory[16:16 + len(expected)]) == expected
    assert chip.page(3) == bytes.fromhex("E1103E00")  # capability container untouched


def test_a_written_tag_reads_back_on_the_next_tap() -> None:
    chip = Ntag215(UID)
    write_uri(connect(InMemoryNtagDevice(chip)), MINTED)
    tag = connect(InMemoryNtagDevice(chip))  # a new session: nothing cached
    assert read_uri(tag) == MINTED  # the '=' of the signature query kept as written
    assert scan_from_tag(tag, clock=lambda: WHEN) == Scan(ITEM_DL, MINTED, SourceKind.NFC, WHEN,
                                                          tag_uid="04A22B3C4D5E80")


def test_writing_refuses_a_url_larger_than_the_tag() -> None:
    tag = connect(InMemoryNtagDevice(Ntag215(UID)))
    with pytest.raises(ReaderError, match="the message needs 522 bytes, the tag holds 492$"):
        write_uri(tag, "https://brand.example/" + "x" * 500)


def test_a_blank_tag_has_no_uri() -> None:
    tag = connect(InMemoryNtagDevice(Ntag215(UID)))
    with pytest.raises(InvalidInput, match="NFC tag 04A22B3C4D5E80 has no URI record"):
        read_uri(tag)


def test_taps_become_scans_once_per_tap() -> None:
    first, second = Ntag215(UID), Ntag215(bytes.fromhex("04112233445566"))
    for chip, url in ((first, MINTED), (second, "https://brand.example/01/09520123456788/21/12346")):
        write_uri(connect(InMemoryNtagDevice(chip)), url)
    device = InMemoryNtagDevice(first)
    taps = scans_from_frontend(frontend(device), clock=lambda: WHEN)

    assert next(taps).tag_uid == "04A22B3C4D5E80"
    device.remove()  # the first tag leaves the field…
    device.present(second)  # …and the next one is tapped
    assert next(taps).identifier == "https://id.gs1.org/01/09520123456788/21/12346"


def test_an_nfc_station_posts_the_exact_event(tmp_path: Path, receiver: EpcisReceiver) -> None:
    chip = Ntag215(UID)
    write_uri(connect(InMemoryNtagDevice(chip)), MINTED)
    config = station(tmp_path, receiver.url, biz_step="retail_selling", disposition="retail_sold")
    source = scans_from_frontend(frontend(InMemoryNtagDevice(chip)), once=True,
                                 clock=clock("2024-03-01T08:00:01+08:00"))
    run_station(config, source, client=client_for(receiver), notify=lambda _: None, backoff=QUICK)
    assert [r.event for r in receiver.requests] == [
        expected_event(time="2024-03-01T00:00:01.000Z", epcs=[ITEM_DL], biz_step="retail_selling",
                       disposition="retail_sold")]
