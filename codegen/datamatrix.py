"""GS1 DataMatrix carriers: the signed code as a GS1 element string, in ZPL and as images.

A GS1 DataMatrix carries element strings, not URLs. One minted item becomes::

    (01)09506000134352(17)281031(10)LOT-2026/11(21)7QK3M9XH2D4PA(8030)<90 base64url chars>

FNC1 in first position marks GS1 data; a separator follows each variable-length value
that another AI follows (AI 10 and AI 21 here; AI 01 and 17 have predefined lengths), and
AI 8030 (the digital signature) comes last, because it signs the element string before it
and has no length of its own to end on.

In ZPL the symbol is ``^BXN,<module>,200`` with ``_`` as its escape character: ``_1`` is
FNC1 (first position and separators), and an underscore in the data (AI 8030 is base64url,
so it often holds one) is sent as ``__``. ``^FH\\`` hex-escapes ``^``, ``~`` and ``\\``
before the printer reads the ^BX escapes.

References: GS1 General Specifications §5.10 (FNC1, predefined-length AIs), §3.8.x
(AI 8030 last in the element string), §5.6 (GS1 DataMatrix); ZPL II Programming Guide,
^BX "ECC 200 escape sequences" (``_1`` FNC1, ``__`` underscore), ^FH.
"""

from __future__ import annotations

import functools
from typing import Literal, TextIO

import zxingcpp

from codegen.label import LabelCode, file_stem
from codegen.qr_image import ImageSink
from trace.identifiers.element_string import GROUP_SEPARATOR, ElementString

DmImageKind = Literal["svg", "png"]

_ESCAPE = "_"
_FNC1 = "_1"
_DOTS_PER_MM = 8  # 203 dpi
_MODULE_DOTS = 3  # 0.375 mm modules: 52x52 symbol ≈ 19.5 mm, beside the 28 mm text column
IMAGE_SCALE = 6  # pixels (PNG) or SVG units per module


def element_pairs(code: LabelCode) -> tuple[tuple[str, str], ...]:
    """The (AI, value) pairs of ``code`` in carrier order: 01, 17 (if any), 10, 21, 8030."""
    _, _, signature = code.url.rpartition("8030=")
    pairs: list[tuple[str, str]] = [("01", code.gtin)]
    if code.expires is not None:
        pairs.append(("17", code.expires.strftime("%y%m%d")))
    pairs += [("10", code.lot), ("21", code.serial), ("8030", signature)]
    return tuple(pairs)


def element_string(code: LabelCode) -> ElementString:
    """The validated element string of ``code`` (every AI checked, AI 8030 last).

    >>> import datetime
    >>> element_string(LabelCode("https://b.example/01/09506000134352/10/L1/21/S1?8030=AbC-_",
    ...                          "09506000134352", "L1", "S1", datetime.date(2028, 10, 31))).as_hri()
    '(01)09506000134352(17)281031(10)L1(21)S1(8030)AbC-_'
    """
    return ElementString(element_pairs(code))


def zpl_field_data(code: LabelCode) -> str:
    """The ^FD data of the ^BX symbol: ``_1`` for every FNC1, ``__`` for each ``_``.

    >>> import datetime
    >>> zpl_field_data(LabelCode("https://b.example/x?8030=A_b", "09506000134352", "L1", "S1"))
    '_1010950600013435210L1_121S1_18030A__b'
    """
    marker = GROUP_SEPARATOR  # never in CSET 82 or base64url data, so safe to swap afterwards
    fnc1 = element_string(code).as_fnc1(separator=marker)
    data = fnc1.replace(_ESCAPE, _ESCAPE * 2).replace(marker, _FNC1)
    if "^" in data or "~" in data or "\\" in data:
        data = data.replace("\\", "\\5C").replace("^", "\\5E").replace("~", "\\7E")
    return data


def zpl_label(code: LabelCode) -> str:
    """One 50 × 30 mm label (203 dpi): GS1 DataMatrix on the left, HRI lines on the right
    (the ``(17)`` line only when the code has an expiry date)."""
    lines = _hri_lines(code)
    if code.expires is None:
        return _template(with_expiry=False) % (zpl_field_data(code), *lines[:3])
    return _template(with_expiry=True) % (zpl_field_data(code), *lines)


class DataMatrixZplWriter:
    """Writes one DataMatrix label per :meth:`write` to a text stream you own."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, code: LabelCode) -> None:
        """Append the label for ``code``."""
        self._stream.write(zpl_label(code))

    def close(self) -> None:
        """Flush the stream (it stays open)."""
        self._stream.flush()


def make_symbol(code: LabelCode) -> zxingcpp.Barcode:
    """The GS1 DataMatrix symbol (ECC 200, GS1 mode: FNC1 first) for ``code``."""
    return zxingcpp.create_barcode(element_string(code).as_hri(), zxingcpp.BarcodeFormat.DataMatrix, gs1=True)


def svg_bytes(code: LabelCode) -> bytes:
    """The SVG image of ``code``'s GS1 DataMatrix, with its quiet zone."""
    return make_symbol(code).to_svg(scale=IMAGE_SCALE).encode("utf-8")


def png_bytes(code: LabelCode) -> bytes:
    """The PNG image of ``code``'s GS1 DataMatrix (8-bit grey), with its quiet zone."""
    import io

    from PIL import Image

    pixels = memoryview(make_symbol(code).to_image(scale=IMAGE_SCALE))  # 8-bit grey, rows × columns
    height, width = pixels.shape or (0, 0)
    out = io.BytesIO()
    Image.frombytes("L", (width, height), pixels.tobytes()).convert("1").save(out, format="PNG")
    return out.getvalue()


class DataMatrixImageWriter:
    """One ``<gtin>_<lot>_<serial>.svg|png`` DataMatrix image per :meth:`write` into ``sink``."""

    def __init__(self, kind: DmImageKind, sink: ImageSink) -> None:
        self._kind = kind
        self._render = svg_bytes if kind == "svg" else png_bytes
        self._sink = sink

    def write(self, code: LabelCode) -> None:
        """Add the image of ``code``."""
        self._sink.add(f"{file_stem(code)}.{self._kind}", self._render(code))

    def close(self) -> None:
        """Finish the sink."""
        self._sink.close()


def _hri_lines(code: LabelCode) -> tuple[str, str, str, str]:
    expiry = f"(17) {code.expires.strftime('%y%m%d')}" if code.expires is not None else ""
    return tuple(_escape_text(v) for v in (f"(01) {code.gtin}", f"(10) {code.lot}", f"(21) {code.serial}",
                                           expiry))  # type: ignore[return-value]


def _escape_text(value: str) -> str:
    return value.replace("\\", "\\5C").replace("^", "\\5E").replace("~", "\\7E")


@functools.cache
def _template(*, with_expiry: bool) -> str:
    def dots(mm: float) -> int:
        return round(mm * _DOTS_PER_MM)

    def text(y_mm: float) -> str:
        return f"^FO{dots(28)},{dots(y_mm)}^A0N,{dots(2.5)},{dots(1.75)}^FH\\^FD%s^FS\n"

    return ("^XA\n^CI28\n" f"^PW{dots(50)}\n^LL{dots(30)}\n"
            f"^FO{dots(2)},{dots(2)}^BXN,{_MODULE_DOTS},200,,,,{_ESCAPE}^FH\\^FD%s^FS\n"
            + text(3) + text(9) + text(15) + (text(21) if with_expiry else "") + "^XZ\n")
