"""Print-and-verify: camera images compared with the ZPL job or print log, rejects voided."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import segno
import sqlalchemy as sa
from PIL import Image, ImageDraw

from codegen import datamatrix
from codegen.code_pool import PoolRequest, reserve
from codegen.label import LabelCode
from codegen.line_verify import compare, seen_in_images, sent_from_zpl
from codegen.pool_file import PoolFile, log_path
from codegen.sscc_labels import sscc_label, zpl_label as sscc_zpl
from trace.cli.main import main
from trace.db.line import PoolCode
from trace.db.models import Unit
from trace.identifiers import Sscc
from support.factories import seeded_catalog


def _qr_png(path: Path, text: str) -> None:
    segno.make_qr(text, error="m").save(str(path), kind="png", scale=6, border=4)


def _corrupt_png(path: Path, text: str) -> None:
    """A QR with its middle third painted over: the camera saw a label, but no code on it."""
    _qr_png(path, text)
    with Image.open(path) as image:
        grey = image.convert("L")
    ImageDraw.Draw(grey).rectangle((0, grey.height // 3, grey.width, 2 * grey.height // 3), fill=255)
    grey.save(path)


def _states(rt, pool_id: int) -> dict[int, str]:
    with rt.db.reading() as session:
        return dict(session.execute(sa.select(PoolCode.sequence, Unit.state).join(Unit, Unit.id == PoolCode.unit_id)
                                    .where(PoolCode.pool_id == pool_id)).all())


def _line(tmp_path: Path, runtime, cat) -> tuple[Path, PoolFile, Path, Path]:
    """A pool of 6, labels 1-4 printed to labels.zpl; camera images of 1 (good), 2 (wrong
    signature), 3 (corrupted), none of 4, and one code nobody sent."""
    pool_path = tmp_path / "pool.json"
    reserve(runtime.db, runtime.key_store, PoolRequest(line="line-1", gtin=cat.gtin, lot=cat.lot, count=6,
                                                       out=pool_path))
    labels = tmp_path / "labels.zpl"
    assert main(["pool", "print", "--pool", str(pool_path), "--count", "4", "--out", str(labels)]) == 0
    pool = PoolFile.load(pool_path)
    images = tmp_path / "camera"
    images.mkdir()
    _qr_png(images / "0001.png", pool.codes[0].url)
    forged = pool.codes[1].url.rsplit("8030=", 1)[0] + "8030=" + "A" * 86
    _qr_png(images / "0002.png", forged)
    _corrupt_png(images / "0003.png", pool.codes[2].url)
    _qr_png(images / "0005.png", "https://other.example/01/09506000134352/21/ELSEWHERE")
    return pool_path, pool, labels, images


def test_report_from_zpl_job(runtime, cli_env, tmp_path: Path, capsys) -> None:
    cat = seeded_catalog(runtime)
    pool_path, pool, labels, images = _line(tmp_path, runtime, cat)
    capsys.readouterr()
    assert main(["line", "verify", "--source", str(images), "--sent", str(labels)]) == 0
    report = json.loads(capsys.readouterr().out)
    urls = [c.url for c in pool.codes]
    assert report == {"matched": 1, "mismatched": [urls[1]], "missing": [urls[2], urls[3]],
                      "unknown": ["https://other.example/01/09506000134352/21/ELSEWHERE"],
                      "unreadable": ["0003.png"], "voided": []}
    assert set(_states(runtime, pool.pool_id).values()) == {"reserved"}


def test_void_from_print_log(runtime, cli_env, tmp_path: Path, capsys) -> None:
    cat = seeded_catalog(runtime)
    pool_path, pool, labels, images = _line(tmp_path, runtime, cat)
    capsys.readouterr()
    assert main(["line", "verify", "--source", str(images), "--sent", str(log_path(pool_path)),
                 "--pool", str(pool_path), "--void"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["matched"] == 1
    assert report["voided"] == [pool.codes[1].serial, pool.codes[2].serial, pool.codes[3].serial]
    assert _states(runtime, pool.pool_id) == {1: "reserved", 2: "voided", 3: "voided", 4: "voided",
                                              5: "reserved", 6: "reserved"}


def test_void_needs_the_pool(runtime, cli_env, tmp_path: Path, capsys) -> None:
    cat = seeded_catalog(runtime)
    _, _, labels, images = _line(tmp_path, runtime, cat)
    assert main(["line", "verify", "--source", str(images), "--sent", str(labels), "--void"]) == 1
    assert "cannot --void without --pool" in capsys.readouterr().err


def test_datamatrix_and_gs1_128_fields_are_read_from_zpl(tmp_path: Path) -> None:
    code = LabelCode("https://id.acme.example/01/09506000134352/10/L_1/21/S1?8030=Ab_c-", "09506000134352", "L_1",
                     "S1", datetime.date(2028, 10, 31))
    label = sscc_label(Sscc.parse("095060000000000015"), domain="https://id.acme.example", company_prefix_length=7)
    job = datamatrix.zpl_label(code) + sscc_zpl(label)
    assert [(c.content, c.serial) for c in sent_from_zpl(job)] == [
        ("(01)09506000134352(17)281031(10)L_1(21)S1(8030)Ab_c-", "S1"),
        ("https://id.acme.example/00/095060000000000015", None),
        ("(00)095060000000000015", None),
    ]
    # The camera saw the DataMatrix: zxing-cpp reports it in the same bracketed form.
    symbol = datamatrix.make_symbol(code).to_image(scale=6)
    pixels = memoryview(symbol)
    Image.frombytes("L", (pixels.shape[1], pixels.shape[0]), pixels.tobytes()).save(tmp_path / "dm.png")
    seen, unreadable = seen_in_images(tmp_path)
    report = compare(sent_from_zpl(job), seen, unreadable)
    assert report.matched == ("(01)09506000134352(17)281031(10)L_1(21)S1(8030)Ab_c-",)
    assert report.missing == ("https://id.acme.example/00/095060000000000015", "(00)095060000000000015")
    assert report.rejected_serials == ()
