"""Minting stores exactly what it prints, and every printed code verifies as genuine."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from codegen import mint_job
from codegen.mint_job import MintRequest, mint
from trace.crypto import sign_code
from trace.errors import IdentifierError, InvalidInput, NotFound
from trace.identifiers import DigitalLink
from trace.services import signing_keys
from trace.services.units import count_mint_jobs, count_units, find_unit
from verify.keyring import KeyRing
from verify.verdict import VerdictStatus
from verify.verifier import verify_url
from support.factories import seeded_catalog


def _verify(rt, url):
    ring = KeyRing.from_brand_keys(signing_keys.published_keys(rt.db))
    return verify_url(url, ring, lambda gtin, serial: find_unit(rt.db, gtin, serial))


def _mint_csv(rt, cat, count: int) -> list[dict[str, str]]:
    buffer = io.StringIO()
    mint(rt.db, rt.key_store, MintRequest(gtin=cat.gtin, lot=cat.lot, count=count, output_format="csv",
                                          out=None, requested_by="test"), stdout=buffer)
    return list(csv.DictReader(io.StringIO(buffer.getvalue())))


def test_minted_codes_are_stored_unique_and_verify_genuine(runtime) -> None:
    cat = seeded_catalog(runtime)
    rows = _mint_csv(runtime, cat, 1000)
    assert len(rows) == 1000
    assert len({r["serial"] for r in rows}) == 1000
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{13}", r["serial"]) for r in rows)
    assert count_units(runtime.db, gtin14=cat.gtin, lot=cat.lot) == 1000
    assert count_mint_jobs(runtime.db) == 1
    first = rows[0]
    assert first["url"] == (
        f"https://id.acme.example/01/{cat.gtin}/10/LOT-2026%2F11/21/{first['serial']}?8030="
        + sign_code(runtime.key_store.load(cat.kid), brand="acme", gtin14=cat.gtin, lot=cat.lot, serial=first["serial"])
    )
    assert DigitalLink.parse(first["url"]).as_uri() == first["url"]
    for row in rows[:50]:
        verdict = _verify(runtime, row["url"])
        assert verdict.status is VerdictStatus.GENUINE, verdict.reason
        assert (verdict.gtin, verdict.lot, verdict.serial, verdict.kid) == (cat.gtin, cat.lot, row["serial"], cat.kid)
        assert verdict.product == "Longjing Green Tea 250 g"


def _mutations(url: str) -> list[str]:
    """Every one-character change of the serial, lot, GTIN and signature of ``url``."""
    link = DigitalLink.parse(url)
    out = []
    replacement = {c: ("B" if c != "B" else "C") for c in "0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghijklmnopqrstuvwxyz-_/"}
    for field, value in (("serial", link.serial), ("lot", link.lot), ("signature", link.signature)):
        for i, ch in enumerate(value):
            new = value[:i] + replacement.get(ch, "A") + value[i + 1:]
            if field == "serial":
                out.append(DigitalLink.build(stem=link.stem, gtin=link.gtin, lot=link.lot, serial=new,
                                             attributes=(("8030", link.signature),)).as_uri())
            elif field == "lot":
                out.append(DigitalLink.build(stem=link.stem, gtin=link.gtin, lot=new, serial=link.serial,
                                             attributes=(("8030", link.signature),)).as_uri())
            else:
                out.append(url.replace(f"8030={value}", f"8030={new}"))
    gtin = link.gtin.value
    for i in range(14):
        digit = str((int(gtin[i]) + 1) % 10)
        out.append(url.replace(f"/01/{gtin}/", f"/01/{gtin[:i]}{digit}{gtin[i + 1:]}/"))
    return out


def test_changing_any_character_never_gives_genuine(runtime) -> None:
    cat = seeded_catalog(runtime)
    url = _mint_csv(runtime, cat, 1)[0]["url"]
    mutations = _mutations(url)
    assert len(mutations) == 13 + len(cat.lot) + 90 + 14
    outcomes = {"forged": 0, "invalid": 0}
    for mutated in mutations:
        assert mutated != url
        try:
            verdict = _verify(runtime, mutated)
        except IdentifierError:
            outcomes["invalid"] += 1
            continue
        assert verdict.status is VerdictStatus.FORGED, (mutated, verdict)
        outcomes["forged"] += 1
    # A changed GTIN digit breaks the check digit (a parse error) except when the check digit
    # itself... every GTIN change here is a check-digit failure: 14 parse errors.
    assert outcomes == {"forged": 13 + len(cat.lot) + 90, "invalid": 14}


def test_signature_valid_but_never_minted_is_unknown(runtime) -> None:
    cat = seeded_catalog(runtime)
    signature = sign_code(runtime.key_store.load(cat.kid), brand="acme", gtin14=cat.gtin, lot=cat.lot, serial="NEVERMINTED1")
    url = DigitalLink.build(stem="https://id.acme.example", gtin=cat.gtin, lot=cat.lot, serial="NEVERMINTED1",
                            attributes=(("8030", signature),)).as_uri()
    verdict = _verify(runtime, url)
    assert verdict.status is VerdictStatus.UNKNOWN
    assert verdict.reason == "the signature is valid but no such unit was ever minted"


def test_rotation_keeps_old_codes_and_revocation_forges_them(runtime) -> None:
    cat = seeded_catalog(runtime)
    old_url = _mint_csv(runtime, cat, 1)[0]["url"]
    new_key = signing_keys.rotate_key(runtime.db, runtime.key_store, cat.brand)
    new_url = _mint_csv(runtime, cat, 1)[0]["url"]
    assert new_key.kid != cat.kid
    assert _verify(runtime, old_url).status is VerdictStatus.GENUINE
    assert _verify(runtime, old_url).key_status == "retired"
    assert _verify(runtime, new_url).kid == new_key.kid
    signing_keys.revoke_key(runtime.db, runtime.key_store, cat.brand, cat.kid)
    revoked = _verify(runtime, old_url)
    assert revoked.status is VerdictStatus.FORGED
    assert cat.kid in revoked.reason and "revoked" in revoked.reason
    assert _verify(runtime, new_url).status is VerdictStatus.GENUINE
    statuses = [(k.kid, k.status) for k in signing_keys.list_keys(runtime.db, cat.brand)]
    assert statuses == [(cat.kid, "revoked"), (new_key.kid, "active")]


def test_serial_collisions_are_redrawn(runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    cat = seeded_catalog(runtime)
    taken = [r["serial"] for r in _mint_csv(runtime, cat, 3)]
    draws = iter([taken + ["FRESH00000001"], ["FRESH00000002", "FRESH00000003", "FRESH00000004"]])
    monkeypatch.setattr(mint_job, "random_serials", lambda n: next(draws)[:n])
    rows = _mint_csv(runtime, cat, 4)
    assert [r["serial"] for r in rows] == ["FRESH00000001", "FRESH00000002", "FRESH00000003", "FRESH00000004"]
    assert count_units(runtime.db, gtin14=cat.gtin) == 7


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"count": 0}, InvalidInput, "invalid count 0: expected 1 to 10,000,000"),
        ({"count": -5}, InvalidInput, "invalid count -5: expected 1 to 10,000,000"),
        ({"lot": "NOPE"}, NotFound, "unknown lot 'NOPE' for GTIN 09506000134352"),
        ({"gtin": "09506000134353"}, IdentifierError, None),
        ({"output_format": "bmp"}, InvalidInput, "invalid format 'bmp': expected one of csv, zpl, svg, png, pdf, datamatrix, dm-svg, dm-png, epc, ndef"),
    ],
)
def test_bad_requests_leave_the_database_unchanged(runtime, change, error, message) -> None:
    cat = seeded_catalog(runtime)
    fields = {"gtin": cat.gtin, "lot": cat.lot, "count": 10, "output_format": "csv", "out": None, "requested_by": "t"}
    fields.update(change)
    with pytest.raises(error) as caught:
        mint(runtime.db, runtime.key_store, MintRequest(**fields), stdout=io.StringIO())
    if message is not None:
        assert str(caught.value) == message
    assert count_units(runtime.db) == 0
    assert count_mint_jobs(runtime.db) == 0


def test_unwritable_output_fails_before_anything_is_stored(runtime, tmp_path: Path) -> None:
    cat = seeded_catalog(runtime)
    target = tmp_path / "missing-dir" / "codes.csv"
    with pytest.raises(InvalidInput) as caught:
        mint(runtime.db, runtime.key_store, MintRequest(gtin=cat.gtin, lot=cat.lot, count=5, output_format="csv",
                                                        out=target, requested_by="t"))
    assert str(target.parent) in str(caught.value)
    assert count_units(runtime.db) == 0


def test_failure_mid_job_rolls_back_units_and_output(runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cat = seeded_catalog(runtime)
    calls = {"n": 0}
    real = mint_job.sign_code

    def failing_sign(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2500:
            raise RuntimeError("printer on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(mint_job, "sign_code", failing_sign)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "codes.csv"
    with pytest.raises(RuntimeError, match="printer on fire"):
        mint(runtime.db, runtime.key_store, MintRequest(gtin=cat.gtin, lot=cat.lot, count=3000, output_format="csv",
                                                        out=target, requested_by="t"))
    assert count_units(runtime.db) == 0
    assert count_mint_jobs(runtime.db) == 0
    assert list(out_dir.iterdir()) == []


def test_minted_png_labels_scan_back_to_genuine_codes(runtime, tmp_path: Path) -> None:
    """Mint to a zip of PNGs, decode every image with zxing-cpp, verify what was decoded."""
    import zipfile

    import zxingcpp
    from PIL import Image

    cat = seeded_catalog(runtime)
    target = tmp_path / "codes.zip"
    mint(runtime.db, runtime.key_store, MintRequest(gtin=cat.gtin, lot=cat.lot, count=4, output_format="png",
                                                    out=target, requested_by="t"))
    with zipfile.ZipFile(target) as archive:
        names = sorted(archive.namelist())
        images = [Image.open(io.BytesIO(archive.read(name))) for name in names]
    assert len(names) == 4 and all(n.endswith(".png") for n in names)
    decoded = []
    for image in images:
        results = zxingcpp.read_barcodes(image)
        assert [r.format for r in results] == [zxingcpp.BarcodeFormat.QRCode]
        decoded.append(results[0].text)
    assert all(_verify(runtime, url).status is VerdictStatus.GENUINE for url in decoded)
    assert sorted(DigitalLink.parse(u).serial for u in decoded) == sorted(n.rsplit("_", 1)[-1][:-4] for n in names)
