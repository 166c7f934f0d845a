"""`tracemark verify` takes what each carrier yields: a QR or NFC URL, RFID user memory, a
DataMatrix element string (bracketed, or the FNC1 form a scanner sends), a CSV line's URL."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import ndef
import sqlalchemy as sa
import zxingcpp
from PIL import Image

from codegen.mint_job import MintRequest, mint
from trace.cli.main import main
from trace.db.models import Brand
from support.factories import seeded_catalog


def _mint(rt, cat, fmt: str, out: Path | None = None) -> str:
    buffer = io.StringIO()
    mint(rt.db, rt.key_store, MintRequest(gtin=cat.gtin, lot=cat.lot, count=1, output_format=fmt, out=out,
                                          requested_by="test"), stdout=buffer)
    return buffer.getvalue()


def _verdict(capsys, code: str) -> tuple[int, str, str]:
    status = main(["verify", code])
    verdict = json.loads(capsys.readouterr().out)
    return status, verdict["verdict"], verdict["url"]


def test_a_code_from_every_carrier_verifies_as_genuine(runtime, cli_env, tmp_path: Path, capsys) -> None:
    cat = seeded_catalog(runtime)
    with runtime.db.transaction() as session:
        session.execute(sa.update(Brand).values(company_prefix_length=7))

    csv_line = _mint(runtime, cat, "csv").split("\r\n")[1]  # CSV lines end in CR LF (RFC 4180)
    url = csv_line.split(",")[4]
    assert _verdict(capsys, csv_line.split(",", 4)[4] + "\r") == (0, "genuine", url)

    _mint(runtime, cat, "dm-png", tmp_path / "dm.zip")
    with zipfile.ZipFile(tmp_path / "dm.zip") as images:
        (name,) = images.namelist()
        (symbol,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(images.read(name))))
    serial = name.rsplit("_", 1)[1].removesuffix(".png")
    status, verdict, as_url = _verdict(capsys, symbol.text)  # (01)…(17)…(10)…(21)…(8030)…
    assert (status, verdict) == (0, "genuine")
    assert as_url.startswith(f"https://id.gs1.org/01/{cat.gtin}/10/LOT-2026%2F11/21/{serial}?17=281031&8030=")
    # A scanner set up for GS1 sends the symbology identifier ]d2 (FNC1 first) and GS separators.
    scanner_sends = "]d2" + symbol.bytes.decode("ascii")
    assert scanner_sends.count("\x1d") == 2  # after the lot and after the serial
    assert _verdict(capsys, scanner_sends) == (0, "genuine", as_url)

    plan = json.loads(_mint(runtime, cat, "epc"))
    assert _verdict(capsys, plan["user_memory"])[:2] == (0, "genuine")

    _mint(runtime, cat, "ndef", tmp_path / "tags")
    (tag_file,) = (tmp_path / "tags").iterdir()
    (record,) = ndef.message_decoder(tag_file.read_bytes())
    assert _verdict(capsys, record.iri) == (0, "genuine", record.iri)


def test_what_is_neither_a_url_nor_an_element_string_is_one_error_line(runtime, cli_env, capsys) -> None:
    seeded_catalog(runtime)
    assert main(["verify", "(99)nothing"]) == 1
    assert capsys.readouterr().err.startswith("error: invalid element string '(99)nothing'")
