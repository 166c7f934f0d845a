"""PDF label sheets: page count, texts, and QR paths that scan to the exact URL.

The QR codes are read back from the PDF's own page content (the rectangles it fills),
rasterised and decoded; no PDF renderer is needed.
"""

from __future__ import annotations

import base64
import io
import re
import zlib

import zxingcpp
from carrier_samples import CODE, URL, decode, numbered_codes, raster
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from codegen.pdf_sheet import LABELS_PER_PAGE, PdfSheetWriter, dark_runs
from codegen.qr_image import make_qr

QR = zxingcpp.BarcodeFormat.QRCode


def _render(codes) -> bytes:
    stream = io.BytesIO()
    writer = PdfSheetWriter(stream)
    for code in codes:
        writer.write(code)
    writer.close()
    return stream.getvalue()


def _objects(pdf: bytes) -> list[bytes]:
    return re.findall(rb"\d+ 0 obj\s*(.*?)endobj", pdf, re.S)


def _page_count(pdf: bytes) -> int:
    return sum(1 for obj in _objects(pdf) if re.search(rb"/Type /Page\b(?!s)", obj))


def _page_contents(pdf: bytes) -> list[str]:
    """Decoded content streams (reportlab writes ASCII85 over Flate)."""
    contents = []
    for obj in _objects(pdf):
        match = re.search(rb"stream\r?\n(.*?)endstream", obj, re.S)
        if match and b"/FlateDecode" in obj:
            data = match.group(1).strip()
            if b"/ASCII85Decode" in obj:
                data = base64.a85decode(data, adobe=True)
            contents.append(zlib.decompress(data).decode("latin-1"))
    return contents


def _drawn_qr_runs(content: str) -> list[list[tuple[int, int, int]]]:
    """Each filled path of 'column row length 1 re' rectangles, as (row, column, length)."""
    paths = re.findall(r"((?:\d+ \d+ \d+ 1 re )+)f", content)
    return [
        [(int(r), int(c), int(n)) for c, r, n in re.findall(r"(\d+) (\d+) (\d+) 1 re", path)]
        for path in paths
    ]


def _decode_runs(runs) -> list:
    modules = max(column + length for _, column, length in runs)
    return decode(raster(runs, modules=modules))


def test_dark_runs_redraw_segnos_matrix_exactly():
    qr = make_qr(URL)
    size = len(qr.matrix)
    redrawn = [[0] * size for _ in range(size)]

    for row, column, length in dark_runs(qr.matrix):
        redrawn[row][column:column + length] = [1] * length

    assert redrawn == [list(row) for row in qr.matrix]


def test_dark_runs_raster_decodes_to_the_exact_url():
    qr = make_qr(URL)

    assert decode(raster(dark_runs(qr.matrix), modules=len(qr.matrix))) == [(URL, QR)]


def test_41_codes_fill_one_page_and_start_a_second():
    codes = numbered_codes(LABELS_PER_PAGE + 1)

    pdf = _render(codes)

    assert pdf.startswith(b"%PDF-")
    assert _page_count(pdf) == 2
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in pdf  # A4 in points
    first, second = _page_contents(pdf)
    assert re.findall(r"\(SN (\w+)\) Tj", first) == [c.serial for c in codes[:40]]
    assert re.findall(r"\(SN (\w+)\) Tj", second) == [codes[40].serial]


def test_every_qr_drawn_in_the_pdf_decodes_to_its_own_url():
    codes = numbered_codes(LABELS_PER_PAGE + 1)

    contents = _page_contents(_render(codes))

    drawn = [runs for content in contents for runs in _drawn_qr_runs(content)]
    assert [_decode_runs(runs) for runs in drawn] == [[(code.url, QR)] for code in codes]


def test_label_text_lines_for_the_fixed_code():
    (content,) = _page_contents(_render([CODE]))

    assert re.findall(r"\((.*?)\) Tj", content) == [
        "GTIN 09520123456788", "LOT LOT-2026-11", "SN 7QK3M9XH2D4PA", "EXP 2027-11-30",
    ]


def test_exactly_40_codes_make_one_page():
    assert _page_count(_render(numbered_codes(40))) == 1


def test_no_codes_still_make_a_valid_one_page_pdf():
    pdf = _render([])

    assert _page_count(pdf) == 1
    assert pdf.rstrip().endswith(b"%%EOF")



def test_long_serial_is_set_smaller_to_stay_inside_its_cell():
    code = numbered_codes(1)[0]
    long_serial = type(code)(code.url, code.gtin, code.lot, "W" * 20)

    (content,) = _page_contents(_render([long_serial]))

    font_then_text = r"/F1 ([\d.]+) Tf [\d.]+ TL ET\s+BT [^(]*\((.*?)\) Tj"
    sizes = {text: float(size) for size, text in re.findall(font_then_text, content)}
    assert sizes["GTIN 09520123456788"] == sizes["LOT LOT-2026-11"] == 6
    long_line = "SN " + "W" * 20
    assert sizes[long_line] < 6
    text_column = 22.5 * mm + 0.01  # cell minus QR and padding; the PDF rounds font sizes
    assert stringWidth(long_line, "Helvetica", sizes[long_line]) <= text_column
