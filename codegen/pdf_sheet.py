"""A4 sheets of labels as PDF: 4 × 10 labels per page, QR codes drawn as vector shapes.

Each 49 × 28 mm cell holds a 24 mm QR code (quiet zone included) and, to its right, the
lines ``GTIN …``, ``LOT …``, ``SN …`` and ``EXP …`` in Helvetica (one of the 14 standard
PDF fonts, so nothing is embedded). Cells are filled left to right, top to bottom; a new
page starts when one is full. Drawing is streamed: each code is drawn as it arrives.

The QR is drawn as one filled path of rectangles, one per horizontal run of dark modules,
in a coordinate system scaled to one unit per module, so every number in the page content
is a small integer and a sheet of 40 codes stays small. Nearly all the time goes into
segno's encoding (its standard mask selection): about 15 ms per code on a 2-core machine.

References: ISO 216 (A4, 210 × 297 mm); ISO 32000-1 §9.6.2.2 (standard 14 fonts).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from codegen.label import LabelCode, human_readable_lines
from codegen.qr_image import QUIET_ZONE, make_qr

COLUMNS = 4
ROWS = 10
LABELS_PER_PAGE = COLUMNS * ROWS

_MARGIN_X = 7 * mm
_MARGIN_Y = 8.5 * mm
_CELL_W = (A4[0] - 2 * _MARGIN_X) / COLUMNS  # 49 mm
_CELL_H = (A4[1] - 2 * _MARGIN_Y) / ROWS  # 28 mm
_PAD = 1 * mm
_QR_SIDE = 24 * mm  # quiet zone included
_TEXT_X = _PAD + _QR_SIDE + 0.5 * mm  # the quiet zone already separates text from symbol
_TEXT_WIDTH = _CELL_W - _TEXT_X - _PAD
_FONT = "Helvetica"
_FONT_SIZE = 6.0  # points; a longer lot or serial is set smaller to stay inside its cell
_LINE_PITCH = 2.8 * mm


def dark_runs(matrix: Sequence[Sequence[int]]) -> Iterator[tuple[int, int, int]]:
    """Yield ``(row, column, length)`` for each horizontal run of dark modules.

    ``matrix`` is a QR module matrix (``segno.QRCode.matrix``: rows of 0/1, row 0 on top,
    no quiet zone). These runs are exactly what the PDF draws.

    >>> list(dark_runs([[1, 1, 0, 1], [0, 0, 0, 0], [0, 1, 1, 1]]))
    [(0, 0, 2), (0, 3, 1), (2, 1, 3)]
    """
    for row, modules in enumerate(matrix):
        start = None
        for column, dark in enumerate(modules):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                yield row, start, column - start
                start = None
        if start is not None:
            yield row, start, len(modules) - start


class PdfSheetWriter:
    """Draws one label per :meth:`write` onto A4 pages written to a binary stream you own."""

    def __init__(self, stream: BinaryIO) -> None:
        self._canvas = Canvas(stream, pagesize=A4, pageCompression=1)
        self._canvas.setCreator("Tracemark")
        self._on_page = 0
        self._pages = 0

    def write(self, code: LabelCode) -> None:
        """Draw ``code`` in the next free cell, starting a new page when this one is full."""
        if self._on_page == LABELS_PER_PAGE:
            self._canvas.showPage()
            self._on_page = 0
        if self._on_page == 0:
            self._pages += 1
        row, column = divmod(self._on_page, COLUMNS)
        left = _MARGIN_X + column * _CELL_W
        top = A4[1] - _MARGIN_Y - row * _CELL_H
        self._draw_qr(code.url, left + _PAD, top - _PAD)
        self._draw_text(code, left + _TEXT_X, top)
        self._on_page += 1

    def close(self) -> None:
        """Finish the last page and write the PDF (the stream stays open)."""
        if self._pages == 0:
            self._canvas.showPage()  # a PDF needs a page, even an empty one
        self._canvas.save()

    def _draw_qr(self, url: str, left: float, top: float) -> None:
        matrix = make_qr(url).matrix
        module = _QR_SIDE / (len(matrix) + 2 * QUIET_ZONE)
        canvas = self._canvas
        canvas.saveState()
        # One unit per module, y growing downwards like the matrix rows.
        canvas.translate(left + QUIET_ZONE * module, top - QUIET_ZONE * module)
        canvas.scale(module, -module)
        # The path is written as PDF operators directly: reportlab's path.rect() formats
        # every number through its float formatter, which took longer than the whole
        # page. "x y w h re" appends a rectangle; "f" fills the path (ISO 32000-1 §8.5.2/3).
        rectangles = [f"{column} {row} {length} 1 re" for row, column, length in dark_runs(matrix)]
        canvas.addLiteral(" ".join(rectangles) + " f")
        canvas.restoreState()

    def _draw_text(self, code: LabelCode, left: float, top: float) -> None:
        canvas = self._canvas
        baseline = top - _PAD - 2.5 * mm
        for line in human_readable_lines(code):
            width = stringWidth(line, _FONT, _FONT_SIZE)
            size = _FONT_SIZE if width <= _TEXT_WIDTH else _FONT_SIZE * _TEXT_WIDTH / width
            canvas.setFont(_FONT, size)
            canvas.drawString(left, baseline, line)
            baseline -= _LINE_PITCH
