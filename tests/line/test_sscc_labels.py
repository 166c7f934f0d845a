"""Case and pallet labels: SSCCs allocated once per brand and extension digit, labels that scan."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import sqlalchemy as sa
import zxingcpp
from PIL import Image

from codegen.sscc_images import png_bytes
from codegen.sscc_labels import sscc_label, zpl_label
from trace.cli.main import main
from trace.db.ledger import LedgerEntry
from trace.errors import IdentifierError, InvalidInput
from trace.identifiers import Sscc
from trace.identifiers.epc import decode
from trace.services import brands, sscc
from support.factories import seeded_catalog

# seeded_catalog's GTIN 09506000134352: company prefix 9506000 at length 7.
GOLDEN_ZPL = (
    "^XA\n^CI28\n^PW812\n^LL1218\n"
    "^FO40,40^A0N,36,26^FDSSCC^FS\n"
    "^FO40,90^A0N,56,40^FH\\^FD(00) 0 9506000 000000001 5^FS\n"
    "^FO40,180^BQN,2,6^FH\\^FDQA,https://id.acme.example/00/095060000000000015^FS\n"
    "^FO40,700^A0N,28,20^FDEPC 315644334000000001000000^FS\n"
    "^FO60,820^BY4^BCN,264,N,N,N^FD>;>800095060000000000015^FS\n"
    "^FO60,1110^A0N,48,34^FH\\^FD(00) 0 9506000 000000001 5^FS\n"
    "^XZ\n"
)


def _label(value: str = "095060000000000015", level: str = "case"):
    return sscc_label(Sscc.parse(value), domain="https://id.acme.example", company_prefix_length=7,
                      level=level)  # type: ignore[arg-type]


def test_check_digits_of_built_ssccs() -> None:
    assert Sscc.build(extension_digit=0, company_prefix="9506000", serial_reference=1).value == "095060000000000015"
    # GS1 General Specifications example SSCC 1 0614141 123456789 0 (check digit 8 for 0614141 ref 1234567890).
    assert Sscc.build(extension_digit=1, company_prefix="0614141", serial_reference=234567890).value \
        == "106141412345678908"
    assert Sscc.build(extension_digit=3, company_prefix="952012345678", serial_reference=9999).value \
        == "395201234567899997"  # weights 3,1,… from the right: sum 183
    with pytest.raises(IdentifierError, match="expected 0 to 999999999"):
        Sscc.build(extension_digit=0, company_prefix="9506000", serial_reference=10**9)
    with pytest.raises(IdentifierError, match="check digit should be 5, found 8"):
        Sscc.parse("095060000000000018")


def test_zpl_golden_label() -> None:
    assert zpl_label(_label()) == GOLDEN_ZPL


def test_epc_filter_by_level() -> None:
    assert decode(_label(level="case").epc_hex).tag_uri == "urn:epc:tag:sscc-96:2.9506000.0000000001"
    assert decode(_label(level="pallet").epc_hex).tag_uri == "urn:epc:tag:sscc-96:6.9506000.0000000001"
    assert decode(_label().epc_hex).digital_link == "https://id.gs1.org/00/095060000000000015"


def test_png_label_decodes_to_gs1_128_and_digital_link() -> None:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png_bytes(_label("395060000000001235")))))
    assert sorted((r.format.name, r.text, r.symbology_identifier) for r in found) == [
        ("Code128", "(00)395060000000001235", "]C1"),  # ]C1: GS1-128 (FNC1 in first position)
        ("QRCode", "https://id.acme.example/00/395060000000001235", "]Q1"),
    ]


def test_allocation_needs_prefix_length(runtime) -> None:
    cat = seeded_catalog(runtime)
    with pytest.raises(InvalidInput, match="Company Prefix length is not set"):
        sscc.allocate(runtime.db, cat.brand, count=1)


def test_allocations_have_no_gaps_or_duplicates(runtime, cli_env, tmp_path: Path) -> None:
    cat = seeded_catalog(runtime)
    assert main(["brand", "set-prefix-length", "--brand", cat.brand, "--length", "7"]) == 0
    first = tmp_path / "first.csv"
    second = tmp_path / "second.csv"
    assert main(["sscc", "mint", "--brand", cat.brand, "--count", "3", "--format", "csv", "--out", str(first)]) == 0
    assert main(["sscc", "mint", "--brand", cat.brand, "--count", "2", "--format", "csv", "--out", str(second)]) == 0
    other_extension = sscc.allocate(runtime.db, cat.brand, count=1, extension_digit=5)

    rows = [*csv.DictReader(first.open()), *csv.DictReader(second.open())]
    assert [r["sscc"] for r in rows] == [
        Sscc.build(extension_digit=0, company_prefix="9506000", serial_reference=n).value for n in range(1, 6)]
    assert rows[0] == {"sscc": "095060000000000015", "hri": "(00) 0 9506000 000000001 5",
                       "digital_link": "https://id.acme.example/00/095060000000000015",
                       "epc_hex": "315644334000000001000000",
                       "epc_tag_uri": "urn:epc:tag:sscc-96:2.9506000.0000000001"}
    assert [s.value for s in other_extension.ssccs] == ["595060000000000010"]
    with runtime.db.reading() as session:
        refs = session.scalars(sa.select(LedgerEntry.ref).where(LedgerEntry.kind == "sscc-allocation")
                               .order_by(LedgerEntry.id)).all()
    assert refs == ["sscc:9506000:0:000000001-000000003", "sscc:9506000:0:000000004-000000005",
                    "sscc:9506000:5:000000001-000000001"]


def test_zpl_and_png_output(runtime, cli_env, tmp_path: Path) -> None:
    cat = seeded_catalog(runtime)
    brands.set_company_prefix_length(runtime.db, cat.brand, 7)
    zpl = tmp_path / "cases.zpl"
    assert main(["sscc", "mint", "--brand", cat.brand, "--count", "2", "--out", str(zpl)]) == 0
    assert zpl.read_text().startswith(GOLDEN_ZPL)
    assert zpl.read_text().count("^XZ") == 2
    images = tmp_path / "pallets"
    assert main(["sscc", "mint", "--brand", cat.brand, "--count", "2", "--format", "png", "--level", "pallet",
                 "--out", str(images)]) == 0
    names = sorted(p.name for p in images.iterdir())
    assert names == ["095060000000000039.png", "095060000000000046.png"]
    for name in names:
        texts = {r.text for r in zxingcpp.read_barcodes(Image.open(images / name))}
        assert texts == {f"(00){name[:18]}", f"https://id.acme.example/00/{name[:18]}"}
    pdf = tmp_path / "cases.pdf"
    assert main(["sscc", "mint", "--brand", cat.brand, "--count", "1", "--format", "pdf", "--out", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_unwritable_output_allocates_nothing(runtime, cli_env, tmp_path: Path) -> None:
    cat = seeded_catalog(runtime)
    brands.set_company_prefix_length(runtime.db, cat.brand, 7)
    assert main(["sscc", "mint", "--brand", cat.brand, "--count", "1", "--out", str(tmp_path / "no" / "x.zpl")]) == 1
    assert sscc.allocate(runtime.db, cat.brand, count=1).first == 1
