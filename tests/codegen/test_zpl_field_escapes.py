"""Field data with underscores, carets, tildes and backslashes: exact ZPL, rendered and read back.

Every field is sent with ``^FH\\``: the hexadecimal indicator is the backslash, not ZPL's
default underscore, so an underscore in the data is an underscore for ^FH (``_5F`` would
only be needed under a bare ``^FH``) and ``\\``, ``^``, ``~`` travel as ``\\5C``, ``\\5E``,
``\\7E``. The GS1 DataMatrix (``^BX…,200,,,,_``) then reads its own escapes after ^FH
processing: ``_1`` is FNC1 and ``__`` an underscore (ZPL II Programming Guide, ^FH and ^BX
"quality 200": "If ^FH is used, field hexadecimal processing takes place before the escape
sequence processing").

Each label is rendered by an independent ZPL interpreter (zplkit, the Rust ``zpl``
renderer) and the symbol decoded with zxing-cpp, so the test checks what a printer would
print, not only the string we meant to send; the fields are also parsed back with
``codegen.line_verify.sent_from_zpl`` (what print-and-verify compares camera images with).
"""

from __future__ import annotations

import io

import pytest
import zplkit
import zxingcpp
from PIL import Image

from codegen import datamatrix, zpl
from codegen.label import LabelCode
from codegen.line_verify import sent_from_zpl
from trace.errors import IdentifierError

GTIN = "09506000134352"
# A lot and serial with underscores (CSET 82 allows them), one that looks like an ^FH escape
# under the default indicator ("_5F"), and a signature with underscores (base64url).
LOT, SERIAL, SIGNATURE = "L_1", "S_5F", "A_5F__b-C"
DM_CODE = LabelCode(f"https://b.example/01/{GTIN}/10/{LOT}/21/{SERIAL}?8030={SIGNATURE}", GTIN, LOT, SERIAL)
# The QR label carries any ASCII URL: carets, tildes and a backslash as well.
QR_URL = f"https://b.example/01/{GTIN}/10/L_1/21/S_5F?x=^XZ~JA\\1&8030={SIGNATURE}"
QR_CODE = LabelCode(QR_URL, GTIN, "L_1^~\\", SERIAL)


def _printed(label: str) -> list[zxingcpp.Barcode]:
    """What a printer would print for ``label``, read back by a scanner."""
    document = zplkit.render(label)
    # The renderer's only remark concerns how its bitmap fonts draw the text lines.
    assert [w for w in document.warnings if not w.startswith("Resident fonts use captured bitmap strikes")] == []
    (page,) = document.labels
    return zxingcpp.read_barcodes(Image.open(io.BytesIO(page.png())))


def test_datamatrix_label_is_exact_and_prints_the_exact_element_string() -> None:
    label = datamatrix.zpl_label(DM_CODE)
    assert label == (
        "^XA\n^CI28\n^PW400\n^LL240\n"
        "^FO16,16^BXN,3,200,,,,_^FH\\^FD_1010950600013435210L__1_121S__5F_18030A__5F____b-C^FS\n"
        "^FO224,24^A0N,20,14^FH\\^FD(01) 09506000134352^FS\n"
        "^FO224,72^A0N,20,14^FH\\^FD(10) L_1^FS\n"
        "^FO224,120^A0N,20,14^FH\\^FD(21) S_5F^FS\n"
        "^XZ\n")
    element_string = f"01{GTIN}10{LOT}\x1d21{SERIAL}\x1d8030{SIGNATURE}"
    (symbol,) = _printed(label)
    assert (symbol.format, symbol.content_type) == (zxingcpp.BarcodeFormat.DataMatrix, zxingcpp.ContentType.GS1)
    assert symbol.bytes.decode("ascii") == element_string
    assert symbol.text == f"(01){GTIN}(10){LOT}(21){SERIAL}(8030){SIGNATURE}"
    (sent,) = sent_from_zpl(label)
    assert (sent.content, sent.serial) == (f"(01){GTIN}(10){LOT}(21){SERIAL}(8030){SIGNATURE}", SERIAL)


def test_qr_label_is_exact_and_prints_the_exact_url() -> None:
    label = zpl.zpl_label(QR_CODE)
    assert label == (
        "^XA\n^CI28\n^PW400\n^LL240\n"
        f"^FO16,16^BQN,2,3^FH\\^FDQA,https://b.example/01/{GTIN}/10/L_1/21/S_5F?x=\\5EXZ\\7EJA\\5C1"
        f"&8030={SIGNATURE}^FS\n"
        "^FO224,24^A0N,20,14^FH\\^FDGTIN 09506000134352^FS\n"
        "^FO224,72^A0N,20,14^FH\\^FDLOT L_1\\5E\\7E\\5C^FS\n"
        "^FO224,120^A0N,20,14^FH\\^FDSN S_5F^FS\n"
        "^XZ\n")
    assert label.count("^XZ") == 1 and "~" not in label  # data never ends the format or runs a command
    (symbol,) = _printed(label)
    assert (symbol.format, symbol.text) == (zxingcpp.BarcodeFormat.QRCode, QR_URL)
    (sent,) = sent_from_zpl(label)
    # ^, ~ and \ are not Digital Link characters: the URL comes back exact, without a serial.
    assert (sent.content, sent.serial) == (QR_URL, None)


def test_a_caret_or_tilde_never_reaches_a_datamatrix_element_string() -> None:
    # GS1 AI values are CSET 82, which has neither: refused before any ZPL is written.
    with pytest.raises(IdentifierError, match=r"invalid AI \(10\) value 'L\^1': expected CSET 82 characters"):
        datamatrix.zpl_label(LabelCode("https://b.example/x?8030=A", GTIN, "L^1", "S1"))
    with pytest.raises(IdentifierError, match=r"invalid AI \(21\) value 'S~1': expected CSET 82 characters"):
        datamatrix.zpl_label(LabelCode("https://b.example/x?8030=A", GTIN, "L1", "S~1"))
