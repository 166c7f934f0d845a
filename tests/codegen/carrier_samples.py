"""Sample codes and QR decoding shared by the carrier renderer tests."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

import zxingcpp
from PIL import Image, ImageDraw

from codegen.label import LabelCode

# 90 base64url characters, the most AI 8030 allows: the longest realistic signature.
SIGNATURE = (
    "Zm9vYmFyLWJhei1xdXV4X2NvcnJlY3QtaG9yc2UtYmF0dGVyeS1zdGFw"
    "bGUtMDEyMzQ1Njc4OS1hYmNkZWZnaGlqa2"
)
assert len(SIGNATURE) == 90

URL_PREFIX = "https://brand.example/01/09520123456788/10/LOT-2026-11/21/"
URL = f"{URL_PREFIX}7QK3M9XH2D4PA?8030={SIGNATURE}"

CODE = LabelCode(
    url=URL,
    gtin="09520123456788",
    lot="LOT-2026-11",
    serial="7QK3M9XH2D4PA",
    expires=datetime.date(2027, 11, 30),
)


def numbered_codes(count: int) -> list[LabelCode]:
    """``count`` distinct codes of the same lot, serials S0000000000, S0000000001, …"""
    codes = []
    for i in range(count):
        serial = f"S{i:010d}"
        url = f"{URL_PREFIX}{serial}?8030={SIGNATURE}"
        codes.append(LabelCode(url, "09520123456788", "LOT-2026-11", serial))
    return codes


def decode(image: Image.Image) -> list[tuple[str, zxingcpp.BarcodeFormat]]:
    """Every barcode zxing-cpp finds in ``image``, as (text, format)."""
    return [(result.text, result.format) for result in zxingcpp.read_barcodes(image)]


def raster(runs: Iterable[tuple[int, int, int]], *, modules: int, border: int = 4,
           pixels: int = 4) -> Image.Image:
    """Draw (row, column, length) runs of dark modules as a bitmap with a quiet zone."""
    side = (modules + 2 * border) * pixels
    image = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(image)
    for row, column, length in runs:
        x, y = (column + border) * pixels, (row + border) * pixels
        draw.rectangle((x, y, x + length * pixels - 1, y + pixels - 1), fill=0)
    return image


def svg_runs(path_data: str) -> list[tuple[int, int, int]]:
    """Read segno's SVG path (``M``/``m`` moves, ``h`` strokes at row centre) as runs.

    The runs are in module units with the quiet zone included.
    """
    runs = []
    x = y = 0.0
    for command, args in re.findall(r"([A-Za-z])([^A-Za-z]*)", path_data):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        elif command == "h":
            runs.append((int(y), int(x), int(numbers[0])))
            x += numbers[0]
        else:
            raise AssertionError(f"unexpected SVG path command {command!r}")
    return runs
