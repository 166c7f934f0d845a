"""QR codes as image files: one SVG or PNG per code, in a directory or a zip archive.

Files are named ``<gtin>_<lot>_<serial>.svg|png`` (see :func:`codegen.label.file_stem`).
Symbols are always full QR (never Micro QR) at error correction M or better, with the
4-module quiet zone the standard requires.

References: ISO/IEC 18004:2015 (QR Code), quiet zone and error correction levels.
"""

from __future__ import annotations

import io
import zipfile
from typing import BinaryIO, Literal, Protocol

import segno

from codegen.label import LabelCode, file_stem

ImageKind = Literal["svg", "png"]

QUIET_ZONE = 4  # modules
PNG_PIXELS_PER_MODULE = 6
SVG_MODULE_MM = 0.5  # the SVG's width and height are in mm, so it prints at a known size


def make_qr(url: str) -> segno.QRCode:
    """Return the QR symbol for ``url``: full QR, error correction M or better.

    segno raises the level to Q or H when that fits in the same symbol version.
    """
    return segno.make_qr(url, error="m")


def svg_bytes(code: LabelCode) -> bytes:
    """Return the SVG image of ``code``'s QR, titled with its GTIN, lot and serial."""
    out = io.BytesIO()
    make_qr(code.url).save(
        out,
        kind="svg",
        scale=SVG_MODULE_MM,
        unit="mm",
        border=QUIET_ZONE,
        title=f"GTIN {code.gtin} LOT {code.lot} SN {code.serial}",
    )
    return out.getvalue()


def png_bytes(code: LabelCode) -> bytes:
    """Return the PNG image of ``code``'s QR (1 bit per pixel, 6 pixels per module)."""
    out = io.BytesIO()
    make_qr(code.url).save(out, kind="png", scale=PNG_PIXELS_PER_MODULE, border=QUIET_ZONE)
    return out.getvalue()


_RENDER = {"svg": svg_bytes, "png": png_bytes}


class ImageSink(Protocol):
    """Receives finished image files by name."""

    def add(self, name: str, data: bytes) -> None: ...

    def close(self) -> None: ...


class ZipSink:
    """Writes each image as one zip entry, as it comes, to a binary stream you own.

    PNG entries are stored (PNG is already deflated); SVG entries are deflated.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._zip = zipfile.ZipFile(stream, "w")

    def add(self, name: str, data: bytes) -> None:
        """Append the entry ``name``."""
        method = zipfile.ZIP_STORED if name.endswith(".png") else zipfile.ZIP_DEFLATED
        self._zip.writestr(name, data, compress_type=method)

    def close(self) -> None:
        """Write the zip's central directory (the stream stays open)."""
        self._zip.close()


class ImageWriter:
    """Renders one image file per :meth:`write` into ``sink``."""

    def __init__(self, kind: ImageKind, sink: ImageSink) -> None:
        if kind not in _RENDER:
            raise ValueError(f"unknown image kind {kind!r}: expected 'svg' or 'png'")
        self._kind = kind
        self._render = _RENDER[kind]
        self._sink = sink

    def write(self, code: LabelCode) -> None:
        """Add ``<gtin>_<lot>_<serial>.<kind>`` for ``code``."""
        self._sink.add(f"{file_stem(code)}.{self._kind}", self._render(code))

    def close(self) -> None:
        """Finish the sink (for a zip: write its directory)."""
        self._sink.close()
