"""SVG and PNG QR images: every file must scan back to the exact URL."""

from __future__ import annotations

import dataclasses
import io
import re
import xml.etree.ElementTree as ET
import zipfile

import zxingcpp
from carrier_samples import CODE, URL, decode, numbered_codes, raster, svg_runs
from PIL import Image

from codegen.label import file_stem
from codegen.qr_image import ImageWriter, ZipSink, make_qr, png_bytes, svg_bytes
from codegen.writers import open_writer

QR = zxingcpp.BarcodeFormat.QRCode
SVG = "{http://www.w3.org/2000/svg}"


def _decode_svg(data: bytes) -> list:
    root = ET.fromstring(data)
    view_box = [float(n) for n in root.get("viewBox").split()]
    (path,) = root.iter(f"{SVG}path")
    scale = float(re.fullmatch(r"scale\((.*)\)", path.get("transform")).group(1))
    modules = round(view_box[2] / scale)  # quiet zone included
    return decode(raster(svg_runs(path.get("d")), modules=modules, border=0))


def test_png_decodes_to_the_exact_url_as_a_qr_code():
    image = Image.open(io.BytesIO(png_bytes(CODE)))

    assert decode(image) == [(URL, QR)]


def test_png_has_6_pixels_per_module_and_a_4_module_quiet_zone():
    modules = make_qr(URL).symbol_size(border=0)[0]
    image = Image.open(io.BytesIO(png_bytes(CODE))).convert("L")

    assert image.size == ((modules + 8) * 6, (modules + 8) * 6)
    quiet = image.crop((0, 0, image.width, 4 * 6))
    assert quiet.getextrema() == (255, 255)
    assert image.getpixel((4 * 6, 4 * 6)) == 0  # top-left finder pattern starts there


def test_svg_paths_decode_to_the_exact_url_as_a_qr_code():
    assert _decode_svg(svg_bytes(CODE)) == [(URL, QR)]


def test_svg_is_titled_with_the_serial_and_sized_in_millimetres():
    root = ET.fromstring(svg_bytes(CODE))

    assert root.find(f"{SVG}title").text == "GTIN 09520123456788 LOT LOT-2026-11 SN 7QK3M9XH2D4PA"
    modules = make_qr(URL).symbol_size(border=4)[0]
    assert root.get("width") == f"{modules * 0.5:g}mm"


def test_svg_title_escapes_markup_in_the_lot():
    root = ET.fromstring(svg_bytes(dataclasses.replace(CODE, lot="A<&>B")))

    assert root.find(f"{SVG}title").text == "GTIN 09520123456788 LOT A<&>B SN 7QK3M9XH2D4PA"


def test_short_url_still_gives_a_full_qr_code_not_micro_qr():
    code = dataclasses.replace(CODE, url="https://b.example/01/09520123456788/21/1")

    assert decode(Image.open(io.BytesIO(png_bytes(code)))) == [(code.url, QR)]


def test_file_names_are_gtin_lot_serial_with_unsafe_characters_encoded():
    assert file_stem(CODE) == "09520123456788_LOT-2026-11_7QK3M9XH2D4PA"
    assert file_stem(dataclasses.replace(CODE, lot="../A/B_C")) == (
        "09520123456788_..%2FA%2FB%5FC_7QK3M9XH2D4PA"
    )


def test_directory_output_holds_one_decodable_png_per_code(tmp_path):
    codes = numbered_codes(3)
    out = tmp_path / "labels"

    with open_writer("png", out) as writer:
        for code in codes:
            writer.write(code)

    assert sorted(p.name for p in out.iterdir()) == [f"{file_stem(c)}.png" for c in codes]
    for code in codes:
        assert decode(Image.open(out / f"{file_stem(code)}.png")) == [(code.url, QR)]


def test_zip_output_holds_one_decodable_svg_per_code(tmp_path):
    codes = numbered_codes(5)
    out = tmp_path / "labels.zip"

    with open_writer("svg", out) as writer:
        for code in codes:
            writer.write(code)

    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == [f"{file_stem(c)}.svg" for c in codes]
        for code in codes:
            assert _decode_svg(archive.read(f"{file_stem(code)}.svg")) == [(code.url, QR)]


def test_zip_png_entries_are_stored_and_decode():
    stream = io.BytesIO()
    writer = ImageWriter("png", ZipSink(stream))
    for code in numbered_codes(2):
        writer.write(code)
    writer.close()

    with zipfile.ZipFile(stream) as archive:
        infos = archive.infolist()
        assert [info.compress_type for info in infos] == [zipfile.ZIP_STORED] * 2
        assert [decode(Image.open(archive.open(info)))[0][0] for info in infos] == [
            code.url for code in numbered_codes(2)
        ]
