"""CSV output: header, exact rows, quoting."""

from __future__ import annotations

import csv
import dataclasses
import io

from carrier_samples import CODE, URL

from codegen.csv_output import CsvWriter


def _render(*codes):
    out = io.StringIO()
    writer = CsvWriter(out)
    for code in codes:
        writer.write(code)
    writer.close()
    return out.getvalue()


def test_header_and_one_row_per_code_exactly():
    no_expiry = dataclasses.replace(CODE, serial="PX4D2HX9M3KQ7", expires=None)

    assert _render(CODE, no_expiry) == (
        "serial,gtin,lot,expires,url\r\n"
        f"7QK3M9XH2D4PA,09520123456788,LOT-2026-11,2027-11-30,{URL}\r\n"
        f"PX4D2HX9M3KQ7,09520123456788,LOT-2026-11,,{URL}\r\n"
    )


def test_no_codes_gives_the_header_only():
    assert _render() == "serial,gtin,lot,expires,url\r\n"


def test_lot_with_comma_and_quote_is_quoted_and_reads_back():
    code = dataclasses.replace(CODE, lot='A,"B"')

    text = _render(code)

    assert ',"A,""B""",' in text
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows == [{"serial": "7QK3M9XH2D4PA", "gtin": "09520123456788", "lot": 'A,"B"',
                     "expires": "2027-11-30", "url": URL}]


def test_rows_are_written_as_they_come():
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.write(CODE)

    assert out.getvalue().count("\r\n") == 2  # before close()
