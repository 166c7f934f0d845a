"""ZPL II labels: exact label text, the ^BQ field data, escaping, streaming."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
import segno
from carrier_samples import CODE, URL, numbered_codes

from codegen.zpl import MAX_URL_LENGTH, ZplWriter, zpl_label
from trace.errors import InvalidInput

GOLDEN_203_DPI = (
    "^XA\n"
    "^CI28\n"
    "^PW400\n"
    "^LL240\n"
    f"^FO16,16^BQN,2,3^FH\\^FDQA,{URL}^FS\n"
    "^FO224,24^A0N,20,14^FH\\^FDGTIN 09520123456788^FS\n"
    "^FO224,72^A0N,20,14^FH\\^FDLOT LOT-2026-11^FS\n"
    "^FO224,120^A0N,20,14^FH\\^FDSN 7QK3M9XH2D4PA^FS\n"
    "^FO224,168^A0N,20,14^FH\\^FDEXP 2027-11-30^FS\n"
    "^XZ\n"
)


def _unescape_fh(data: str) -> str:
    """What the printer makes of ^FH\\ field data: \\hh is the byte 0xhh."""
    return re.sub(r"\\([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), data)


def _field_data(label: str) -> list[str]:
    return re.findall(r"\^FD(.*?)\^FS", label)


def test_label_for_fixed_code_is_exactly_the_golden_text():
    assert zpl_label(CODE) == GOLDEN_203_DPI


def test_label_without_expiry_has_no_exp_line():
    label = zpl_label(dataclasses.replace(CODE, expires=None))

    assert label == GOLDEN_203_DPI.replace("^FO224,168^A0N,20,14^FH\\^FDEXP 2027-11-30^FS\n", "")


def test_qr_field_data_is_level_q_automatic_input_then_the_exact_url():
    (qr_field,) = re.findall(r"\^BQN,2,3\^FH\\\^FD(.*?)\^FS", zpl_label(CODE))

    error_correction, data_input, comma, data = qr_field[0], qr_field[1], qr_field[2], qr_field[3:]
    assert (error_correction, data_input, comma) == ("Q", "A", ",")
    assert _unescape_fh(data) == URL


def test_300_dpi_label_keeps_the_millimetre_layout():
    label = zpl_label(CODE, dpi=300)

    assert "^PW600\n^LL360\n" in label
    assert "^FO24,24^BQN,2,4^FH\\^FDQA," in label
    assert "^FO336,36^A0N,30,21^FH\\^FDGTIN 09520123456788^FS" in label


def test_caret_tilde_and_backslash_in_data_are_hex_escaped():
    code = dataclasses.replace(CODE, lot="L^XZ~JA\\1", serial="S^1")

    label = zpl_label(code)

    assert "^FDLOT L\\5EXZ\\7EJA\\5C1^FS" in label
    assert "^FDSN S\\5E1^FS" in label
    assert label.count("^XZ") == 1
    assert "~" not in label
    assert [_unescape_fh(data) for data in _field_data(label)][1:4] == [
        "GTIN 09520123456788", "LOT L^XZ~JA\\1", "SN S^1",
    ]


def test_writer_streams_one_label_per_code_for_1000_codes():
    codes = numbered_codes(1000)
    out = io.StringIO()

    writer = ZplWriter(out)
    for code in codes:
        writer.write(code)
    writer.close()

    labels = out.getvalue().split("^XZ\n")
    assert labels[-1] == ""
    assert len(labels[:-1]) == 1000
    assert all(label.startswith("^XA\n") and label.count("^XA") == 1 for label in labels[:-1])
    serials = [re.search(r"\^FDSN (.*?)\^FS", label).group(1) for label in labels[:-1]]
    assert serials == [code.serial for code in codes]


def test_url_longer_than_the_label_holds_is_refused():
    url = URL + "x" * (MAX_URL_LENGTH - len(URL) + 1)

    with pytest.raises(InvalidInput) as caught:
        zpl_label(dataclasses.replace(CODE, url=url))

    assert str(caught.value) == (
        "cannot fit URL on a 50x30 mm ZPL label: expected at most 203 ASCII characters, "
        f"found 204 in {url!r}"
    )


def test_url_of_maximum_length_is_accepted():
    url = URL + "x" * (MAX_URL_LENGTH - len(URL))

    assert f"^FDQA,{url}^FS" in zpl_label(dataclasses.replace(CODE, url=url))


def test_unsupported_resolution_is_a_programming_error():
    with pytest.raises(ValueError, match="unsupported printer resolution 250 dpi"):
        zpl_label(CODE, dpi=250)


def test_maximum_url_length_is_what_qr_version_12_at_level_q_holds():
    # The layout leaves room for a version 12 symbol (65 modules) and its quiet zone.
    longest = segno.make_qr("h" * MAX_URL_LENGTH, error="q", boost_error=False)
    one_more = segno.make_qr("h" * (MAX_URL_LENGTH + 1), error="q", boost_error=False)

    assert (longest.designator, one_more.designator) == ("12-Q", "13-Q")
