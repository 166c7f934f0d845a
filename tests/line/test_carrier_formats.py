"""Mint for every carrier: DataMatrix (ZPL and images), RFID EPC plans, NFC NDEF messages."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import ndef
import pytest
import sqlalchemy as sa
import zxingcpp
from PIL import Image

from codegen import datamatrix
from codegen.epc_plan import EpcPlanWriter, sgtin_scheme
from codegen.label import LabelCode
from codegen.mint_job import MintRequest, mint
from codegen.ndef_output import NTAG_USER_BYTES, ndef_message, tlv_size
from codegen.serials import numeric_serials
from trace.crypto import sign_code
from trace.db.models import Brand
from trace.errors import InvalidInput
from trace.identifiers import DigitalLink
from trace.identifiers.element_string import ElementString
from trace.identifiers.epc import Epc
from support.factories import seeded_catalog


def _mint(rt, cat, fmt: str, out: Path | None, count: int = 5, **options) -> str:
    buffer = io.StringIO()
    mint(rt.db, rt.key_store, MintRequest(gtin=cat.gtin, lot=cat.lot, count=count, output_format=fmt, out=out,
                                          requested_by="test", **options), stdout=buffer)
    return buffer.getvalue()


def _set_prefix_length(rt, length: int) -> None:
    with rt.db.transaction() as session:
        session.execute(sa.update(Brand).values(company_prefix_length=length))


def _code(rt, cat, serial: str) -> LabelCode:
    signature = sign_code(rt.key_store.load(cat.kid), brand=cat.brand, gtin14=cat.gtin, lot=cat.lot, serial=serial)
    url = DigitalLink.build(stem="https://id.acme.example", gtin=cat.gtin, lot=cat.lot, serial=serial).as_uri()
    return LabelCode(url=f"{url}?8030={signature}", gtin=cat.gtin, lot=cat.lot, serial=serial)


@pytest.mark.parametrize("kind", ["dm-png", "dm-svg"])
def test_every_datamatrix_image_decodes_to_the_exact_element_string(runtime, tmp_path: Path, kind: str) -> None:
    cat = seeded_catalog(runtime)
    out = tmp_path / "codes.zip"
    _mint(runtime, cat, kind, out, count=4)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert len(names) == 4
        for name in names:
            data = archive.read(name)
            image = Image.open(io.BytesIO(data)) if kind == "dm-png" else None
            serial = name.rsplit("_", 1)[1].split(".")[0]
            signature = sign_code(runtime.key_store.load(cat.kid), brand="acme", gtin14=cat.gtin, lot=cat.lot,
                                  serial=serial)
            expected = f"(01){cat.gtin}(17)281031(10){cat.lot}(21){serial}(8030){signature}"
            if image is None:
                assert data.startswith(b"<?xml") and b"<svg" in data
                continue
            [read] = zxingcpp.read_barcodes(image)
            assert read.content_type == zxingcpp.ContentType.GS1  # FNC1 in first position: GS1 data
            assert read.text == expected
            assert ElementString.parse(read.text).as_fnc1(separator="\x1d") == "\x1d" + read.bytes.decode()


def test_datamatrix_zpl_has_fnc1_escapes_and_the_same_element_string(runtime) -> None:
    cat = seeded_catalog(runtime)
    zpl = _mint(runtime, cat, "datamatrix", None, count=3)
    labels = zpl.split("^XZ\n")[:-1]
    assert len(labels) == 3
    for label in labels:
        assert "^BXN,3,200,,,,_^FH\\^FD_101" + cat.gtin in label
        data = label.split("^FH\\^FD", 1)[1].split("^FS", 1)[0]
        # Undo the ^BX escapes: "__" is an underscore, "_1" is FNC1 (GS when scanned).
        decoded = data.replace("__", "\0").replace("_1", "\x1d").replace("\0", "_")
        es = ElementString.parse(decoded)
        assert [ai for ai, _ in es.ais] == ["01", "17", "10", "21", "8030"]
        assert decoded == es.as_fnc1(separator="\x1d")


def test_datamatrix_zpl_escapes_underscores_in_the_signature() -> None:
    code = LabelCode("https://b.example/x?8030=A_b-C", "09506000134352", "L_1", "S1")
    assert datamatrix.zpl_field_data(code) == "_1010950600013435210L__1_121S1_18030A__b-C"


def test_epc_plan_uses_numeric_serials_and_sgtin96_rows_are_exact(runtime) -> None:
    cat = seeded_catalog(runtime)
    _set_prefix_length(runtime, 7)
    rows = [json.loads(line) for line in _mint(runtime, cat, "epc", None, count=20).splitlines()]
    assert len(rows) == 20
    for row in rows:
        serial = row["serial"]
        assert serial.isdigit() and serial[0] != "0" and int(serial) < 2 ** 38
        epc = Epc(scheme="sgtin-96", filter=1, company_prefix="9506000", reference="013435", serial=serial)
        assert row == {
            "serial": serial, "gtin": cat.gtin, "lot": cat.lot, "epc_scheme": "sgtin-96",
            "epc_hex": epc.to_hex(), "epc_tag_uri": f"urn:epc:tag:sgtin-96:1.9506000.013435.{serial}",
            "user_memory": row["user_memory"], "user_memory_bytes": len(row["user_memory"]),
            "lock": "epc:permalock user:permalock access-password:lock kill-password:lock",
        }
        assert row["user_memory"].startswith(f"https://id.acme.example/01/{cat.gtin}/10/LOT-2026%2F11/21/{serial}?8030=")
        assert Epc.from_hex(row["epc_hex"]).serial == serial


def test_epc_plan_row_exact_for_a_known_serial_and_small_user_memory(runtime) -> None:
    cat = seeded_catalog(runtime)
    code = _code(runtime, cat, "123456")
    out = io.StringIO()
    EpcPlanWriter(out, company_prefix_length=7, user_memory_bits=512).write(code)
    assert json.loads(out.getvalue()) == {
        "serial": "123456", "gtin": "09506000134352", "lot": "LOT-2026/11", "epc_scheme": "sgtin-96",
        "epc_hex": "30364433400D1EC00001E240", "epc_tag_uri": "urn:epc:tag:sgtin-96:1.9506000.013435.123456",
        "user_memory": None, "user_memory_bytes": 0,
        "lock": "epc:permalock access-password:lock kill-password:lock",
    }


def test_epc_plan_of_alphanumeric_serials_uses_sgtin198(runtime) -> None:
    cat = seeded_catalog(runtime)
    _set_prefix_length(runtime, 7)
    rows = [json.loads(line) for line in _mint(runtime, cat, "epc", None, count=3, serials="random").splitlines()]
    for row in rows:
        assert row["epc_scheme"] == "sgtin-198"
        assert Epc.from_hex(row["epc_hex"]).serial == row["serial"]
    assert (sgtin_scheme("274877906943"), sgtin_scheme("274877906944"), sgtin_scheme("07")) == (
        "sgtin-96", "sgtin-198", "sgtin-198")


def test_epc_plan_without_company_prefix_length_is_refused_before_minting(runtime) -> None:
    cat = seeded_catalog(runtime)
    with pytest.raises(InvalidInput, match="no GS1 Company Prefix length"):
        _mint(runtime, cat, "epc", None)


def test_numeric_serials_fit_sgtin96() -> None:
    serials = numeric_serials(10_000)
    assert all(s.isdigit() and s[0] != "0" and 0 < int(s) < 2 ** 38 for s in serials)
    assert len(set(serials)) > 9_990


def test_ndef_files_hold_one_uri_record_with_the_signed_url(runtime, tmp_path: Path) -> None:
    cat = seeded_catalog(runtime)
    out = tmp_path / "tags"
    _mint(runtime, cat, "ndef", out, count=3, nfc_chip="ntag215")
    files = sorted(out.iterdir())
    assert len(files) == 3
    for path in files:
        [record] = list(ndef.message_decoder(path.read_bytes()))
        serial = path.stem.rsplit("_", 1)[1]
        assert record.iri == _code(runtime, cat, serial).url
        assert tlv_size(path.read_bytes()) <= NTAG_USER_BYTES["ntag215"]


def test_ndef_hex_lines_to_stdout(runtime) -> None:
    cat = seeded_catalog(runtime)
    lines = _mint(runtime, cat, "ndef", None, count=2, nfc_chip="ntag216").splitlines()
    for line in lines:
        serial, hex_message = line.split(" ")
        assert bytes.fromhex(hex_message) == ndef_message(_code(runtime, cat, serial).url)


def test_ndef_sizes_per_chip_with_the_exact_error(runtime) -> None:
    url = "https://id.acme.example/01/09506000134352/10/LOT-2026%2F11/21/7QK3M9XH2D4PA?8030=" + "A" * 90
    message = ndef_message(url)
    assert len(message) == 5 + len(url) - len("https://")  # short record header, prefix code
    assert tlv_size(message) == len(message) + 3
    long_url = url + "&x=" + "B" * 140  # 308-byte message: too big for NTAG213, fine for 215
    code = LabelCode(long_url, "09506000134352", "LOT-2026/11", "7QK3M9XH2D4PA")
    from codegen.ndef_output import NdefHexWriter

    big = ndef_message(long_url)
    with pytest.raises(InvalidInput) as caught:
        NdefHexWriter(io.StringIO(), chip="ntag213").write(code)
    assert str(caught.value) == (
        f"NDEF message for serial '7QK3M9XH2D4PA' does not fit NTAG213: expected at most 144 bytes of user"
        f" memory, found {len(big) + 5} bytes ({len(big)}-byte message + 5 bytes TLV)")
    NdefHexWriter(io.StringIO(), chip="ntag215").write(code)
    with pytest.raises(InvalidInput, match="unknown NFC chip 'ntag210'"):
        NdefHexWriter(io.StringIO(), chip="ntag210")


def test_a_signed_url_does_not_fit_ntag213_and_leaves_nothing(runtime, tmp_path: Path) -> None:
    # 90 characters of AI 8030 push the message to ~168 bytes: NTAG213's 144 cannot hold it.
    seeded = seeded_catalog(runtime)
    out = tmp_path / "tags.txt"
    with pytest.raises(InvalidInput, match=r"does not fit NTAG213: expected at most 144 bytes of user memory, "
                                           r"found 171 bytes \(168-byte message \+ 3 bytes TLV\)"):
        _mint(runtime, seeded, "ndef", out, nfc_chip="ntag213")
    assert not out.exists()
    _mint(runtime, seeded, "ndef", out, nfc_chip="ntag215")
    assert len(out.read_text().splitlines()) == 5
