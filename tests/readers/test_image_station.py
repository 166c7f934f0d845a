"""Camera images: QR codes (segno) and GS1 DataMatrix (zxing-cpp) decoded into exact events."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
import segno
import zxingcpp
from epcis_receiver import EpcisReceiver
from PIL import Image
from station_samples import CASE_DL, ITEM_2_DL, ITEM_DL, QUICK, client_for, expected_event, station

from readers.images import decode_image, scans_from_folder, scans_from_images
from readers.scan import Scan, SourceKind
from readers.station import run_station

SIGNED_LINK = "https://brand.example/01/09520123456788/10/L1/21/12345?8030=MEUCIQDx"
T1 = datetime(2024, 3, 1, 0, 0, 0, 123000, tzinfo=timezone.utc)
T2 = datetime(2024, 3, 1, 0, 0, 5, 0, tzinfo=timezone.utc)


def qr_png(path: Path, text: str, when: datetime) -> Path:
    segno.make(text, micro=False).save(path, scale=6)
    return _stamped(path, when)


def datamatrix_png(path: Path, element_string: str, when: datetime) -> Path:
    barcode = zxingcpp.create_barcode(element_string, zxingcpp.BarcodeFormat.DataMatrix, gs1=True)
    bitmap = memoryview(barcode.to_image(scale=6))
    Image.frombytes("L", (bitmap.shape[1], bitmap.shape[0]), bitmap.tobytes()).save(path)
    return _stamped(path, when)


def _stamped(path: Path, when: datetime) -> Path:
    nanoseconds = int(when.timestamp()) * 1_000_000_000 + when.microsecond * 1000
    os.utime(path, ns=(nanoseconds, nanoseconds))
    return path


@pytest.fixture()
def receiver() -> Iterator[EpcisReceiver]:
    server = EpcisReceiver()
    server.up()
    yield server
    server.close()


def test_decoding_gives_what_a_scanner_would_send(tmp_path: Path) -> None:
    qr = qr_png(tmp_path / "qr.png", SIGNED_LINK, T1)
    matrix = datamatrix_png(tmp_path / "dm.png", "(01)09520123456788(10)ABC1(21)12346", T2)
    assert decode_image(qr) == (SIGNED_LINK,)
    # GS1 DataMatrix: the ]d2 symbology identifier, then FNC1 form with GS after the lot.
    assert decode_image(matrix) == ("]d2010952012345678810ABC1\x1d2112346",)


def test_a_folder_of_images_becomes_one_event_per_code(tmp_path: Path, receiver: EpcisReceiver) -> None:
    images = tmp_path / "camera"
    images.mkdir()
    qr_png(images / "a.png", SIGNED_LINK, T1)
    datamatrix_png(images / "b.png", "(01)09520123456788(10)ABC1(21)12346", T2)
    Image.new("L", (60, 60), 255).save(images / "blank.png")  # newest, no code in it
    refused: list[str] = []
    config = station(tmp_path, receiver.url, biz_step="receiving", disposition="in_progress")
    source = scans_from_images(images, on_invalid=lambda text, error: refused.append(str(error)))
    summary = run_station(config, source, client=client_for(receiver), notify=lambda _: None, backoff=QUICK)

    common = {"biz_step": "receiving", "disposition": "in_progress"}
    assert [r.event for r in receiver.requests] == [
        expected_event(time="2024-03-01T00:00:00.123Z", epcs=[ITEM_DL], **common),
        expected_event(time="2024-03-01T00:00:05.000Z", epcs=[ITEM_2_DL], **common),
    ]
    assert refused == [f"no barcode found in image {str(images / 'blank.png')!r}"]
    assert summary.buffer.sent == 2


def test_a_single_image_file(tmp_path: Path) -> None:
    path = datamatrix_png(tmp_path / "case.png", "(00)106141412345678908", T1)
    assert list(scans_from_images(path)) == [
        Scan(CASE_DL, "]d200106141412345678908", SourceKind.IMAGE, T1)]


def test_a_watched_folder_yields_images_as_they_arrive(tmp_path: Path) -> None:
    stop = threading.Event()
    found: list[Scan] = []
    watcher = threading.Thread(target=lambda: found.extend(
        scans_from_folder(tmp_path, watch=True, poll_seconds=0.05, stop=stop)))
    watcher.start()
    try:
        qr_png(tmp_path / "late.png", SIGNED_LINK, T1)
        for _ in range(100):
            if found:
                break
            stop.wait(0.05)
    finally:
        stop.set()
        watcher.join(5)
    assert [(s.identifier, s.time) for s in found] == [(ITEM_DL, T1)]


def test_a_file_that_is_not_an_image_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "note.png"
    bogus.write_text("not an image")
    refused: list[str] = []
    assert list(scans_from_images(bogus, on_invalid=lambda text, error: refused.append(str(error)))) == []
    assert refused and refused[0].startswith(f"cannot read image {str(bogus)!r}: expected a PNG/JPEG/… file")
