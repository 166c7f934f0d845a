"""Case and pallet labels as images: one PNG per SSCC, or a PDF with one A6 page per SSCC.

Both show the same three symbols as the ZPL label (``codegen.sscc_labels``): the GS1-128
barcode of ``(00)`` + SSCC, rendered by zxing-cpp in GS1 mode (FNC1 first), the QR of the
SSCC's Digital Link (segno), and the human-readable lines. The PDF places the same bitmaps
at a known size (GS1-128 module 0.5 mm), so what decodes in the PNG decodes on paper.

References: GS1 General Specifications §5.4.4 (GS1-128 for logistic units); ISO/IEC 18004
(QR quiet zone); ISO 216 (A6, 105 × 148 mm).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import BinaryIO

import zxingcpp
from PIL import Image, ImageDraw, ImageFont

from codegen.qr_image import ImageSink, QUIET_ZONE, make_qr
from codegen.sscc_labels import SsccLabel

_GS1_128_SCALE = 4  # pixels per module in the PNG
_QR_SCALE = 6
_WIDTH = 800
_MARGIN = 40


def gs1_128_image(label: SsccLabel) -> Image.Image:
    """The GS1-128 barcode of ``label`` (quiet zones included), 8-bit grey."""
    symbol = zxingcpp.create_barcode(label.element_string, zxingcpp.BarcodeFormat.Code128, gs1=True)
    pixels = memoryview(symbol.to_image(scale=_GS1_128_SCALE))
    height, width = pixels.shape or (0, 0)
    return Image.frombytes("L", (width, height), pixels.tobytes())


def qr_image(label: SsccLabel) -> Image.Image:
    """The QR code of ``label``'s Digital Link, with its 4-module quiet zone."""
    out = io.BytesIO()
    make_qr(label.digital_link).save(out, kind="png", scale=_QR_SCALE, border=QUIET_ZONE)
    return Image.open(io.BytesIO(out.getvalue())).convert("L")


def label_image(label: SsccLabel) -> Image.Image:
    """The whole label: HRI, QR, EPC line, GS1-128 and HRI again, on white."""
    qr, linear = qr_image(label), gs1_128_image(label)
    font = ImageFont.load_default(size=28)
    small = ImageFont.load_default(size=20)
    height = _MARGIN + 50 + qr.height + 40 + linear.height + 60 + _MARGIN
    canvas = Image.new("L", (max(_WIDTH, linear.width + 2 * _MARGIN), height), 255)
    draw = ImageDraw.Draw(canvas)
    draw.text((_MARGIN, _MARGIN), label.hri, fill=0, font=font)
    y = _MARGIN + 50
    canvas.paste(qr, (_MARGIN, y))
    draw.text((_MARGIN + qr.width + 20, y + 20), f"EPC {label.epc_hex}", fill=0, font=small)
    y += qr.height + 40
    canvas.paste(linear, (_MARGIN, y))
    draw.text((_MARGIN, y + linear.height + 10), label.hri, fill=0, font=font)
    return canvas


def png_bytes(label: SsccLabel) -> bytes:
    """The label as a 1-bit PNG."""
    out = io.BytesIO()
    label_image(label).convert("1").save(out, format="PNG")
    return out.getvalue()


def write_png(labels: Iterable[SsccLabel], sink: ImageSink) -> int:
    """One ``<sscc>.png`` per label into ``sink``; returns how many."""
    count = 0
    for label in labels:
        sink.add(f"{label.sscc.value}.png", png_bytes(label))
        count += 1
    sink.close()
    return count


def write_pdf(labels: Iterable[SsccLabel], stream: BinaryIO) -> int:
    """One A6 page per label to ``stream`` (which stays open); returns how many pages."""
    from reportlab.lib.pagesizes import A6
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(stream, pagesize=A6, pageCompression=1)
    canvas.setCreator("Tracemark")
    count = 0
    for label in labels:
        qr, linear = qr_image(label), gs1_128_image(label)
        top = A6[1] - 8 * mm
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawString(8 * mm, top - 4 * mm, label.hri)
        qr_side = 40 * mm
        canvas.drawImage(ImageReader(qr), 8 * mm, top - 8 * mm - qr_side, qr_side, qr_side)
        canvas.setFont("Helvetica", 7)
        canvas.drawString(8 * mm, top - 12 * mm - qr_side, f"EPC {label.epc_hex}")
        module = 0.5 * mm / _GS1_128_SCALE  # one PNG pixel
        width, height = linear.width * module, max(linear.height * module, 32 * mm)
        canvas.drawImage(ImageReader(linear), 8 * mm, 20 * mm, width, height)
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawString(8 * mm, 12 * mm, label.hri)
        canvas.showPage()
        count += 1
    if count == 0:
        canvas.showPage()
    canvas.save()
    return count
