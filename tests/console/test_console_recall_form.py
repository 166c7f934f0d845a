"""The new-recall form's fields as criteria, and an uploaded CSV checked whole: each kind of
malformed file is refused with its file name and line, never half used."""

from __future__ import annotations

from datetime import date

import pytest

from trace.api.console_recall_form import MAX_CSV_BYTES, CsvUpload, RecallForm, read_csv
from trace.errors import InvalidInput

ITEM = "https://id.gs1.org/01/09506000134352/21/A1"
VALID = b"identifier\n" + ITEM.encode() + b"\n(00)095060000000000015\n"


def test_every_field_becomes_a_criterion() -> None:
    form = RecallForm(gtin=" 09506000134352 ", lots="L1, L2\nL3", line="line-2", produced_from="2026-11-02",
                      produced_to="2026-11-04", material_lots="urn:epc:class:lgtin:9506000.113436.S1\n\n",
                      identifiers=f"\n{ITEM}\n", imported=f"{ITEM}\nurn:epc:id:sscc:9506000.0000000001",
                      return_points="urn:epc:id:sgln:9506000.13435.8")
    criteria = form.criteria()
    assert (criteria.gtin, criteria.lots, criteria.line, criteria.produced_from, criteria.produced_to) == (
        "09506000134352", ("L1", "L2", "L3"), "line-2", date(2026, 11, 2), date(2026, 11, 4))
    assert criteria.material_lots == ("urn:epc:class:lgtin:9506000.113436.S1",)
    assert criteria.identifiers == (ITEM, "urn:epc:id:sscc:9506000.0000000001")  # typed and imported, once each
    assert criteria.return_points == ("urn:epc:id:sgln:9506000.13435.8",)


def test_a_bad_typed_identifier_names_its_line() -> None:
    with pytest.raises(InvalidInput) as refused:
        RecallForm(identifiers=f"{ITEM}\n\nnot-a-code").criteria()
    assert str(refused.value) == ("1 bad identifiers: line 3: invalid identifier 'not-a-code': "
                                  "expected an absolute URI")


def test_an_upload_adds_to_what_was_imported_before() -> None:
    form = RecallForm(imported=ITEM).with_upload(CsvUpload("units.csv", VALID))
    assert (form.imported.splitlines(), form.imported_from, form.imported_count) == (
        [ITEM, "https://id.gs1.org/00/095060000000000015"], "units.csv", 2)
    assert RecallForm().with_upload(None) == RecallForm()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bad-row", VALID + b"urn:epc:id:sgtin:9506000.013435\n",
     "bad-row.csv: 1 bad row(s) in the identifier list, nothing started: line 4: "),
    ("unclosed-quote", VALID + b'"' + ITEM.encode() + b"\n",
     "unclosed-quote.csv line 4: unexpected end of data: expected one identifier per row, quoted fields closed "
     "on the same row"),
    ("text-after-quote", b'"' + ITEM.encode() + b'"x\n',
     "text-after-quote.csv line 1: ',' expected after '\"': expected one identifier per row, quoted fields "
     "closed on the same row"),
    ("latin-1", VALID + b"caf\xe9\n",
     "latin-1.csv line 4: byte 0xe9 is not UTF-8: expected a CSV file saved as UTF-8 text"),
    ("header-only", b"identifier\n",
     "header-only.csv: the identifier list is empty: expected one identifier per row"),
    ("too-large", b"x" * (MAX_CSV_BYTES + 1),
     f"too-large.csv: {MAX_CSV_BYTES + 1} bytes: expected a CSV of at most {MAX_CSV_BYTES} bytes"),
])
def test_a_malformed_csv_is_refused_whole(name: str, content: bytes, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_csv(CsvUpload(f"{name}.csv", content))
    assert str(refused.value).startswith(message)
    if name != "bad-row":
        assert str(refused.value) == message


def test_a_utf8_bom_and_crlf_are_accepted() -> None:
    assert read_csv(CsvUpload("excel.csv", b"\xef\xbb\xbf" + VALID.replace(b"\n", b"\r\n"))) == (
        ITEM, "https://id.gs1.org/00/095060000000000015")
