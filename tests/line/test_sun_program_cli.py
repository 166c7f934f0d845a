"""`tracemark nfc key|program|tag-keys`: a line programs an NTAG 424 from the brand's sealed SUN key."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path

from codegen.mint_job import MintRequest, mint
from trace.cli.main import main
from support.factories import seeded_catalog
from support.sun_tag import ProgrammedTag

UID = "04958CAA5C5E80"


def _code(rt) -> dict[str, str]:
    cat = seeded_catalog(rt)
    out = io.StringIO()
    mint(rt.db, rt.key_store, MintRequest(gtin=cat.gtin, lot=cat.lot, count=1, output_format="csv", out=None,
                                          requested_by="test"), stdout=out)
    return next(csv.DictReader(io.StringIO(out.getvalue())))


def test_rotate_program_export_and_check_a_tap(runtime, cli_env, tmp_path: Path, capsys) -> None:
    code = _code(runtime)
    program = ["nfc", "program", "--brand", "acme", "--gtin", code["gtin"], "--serial", code["serial"], "--uid", UID]
    assert main(program) == 1
    assert capsys.readouterr().err == (
        "error: brand 'acme' has no SUN master key: run `tracemark nfc key rotate --brand acme`\n")

    assert main(["nfc", "key", "rotate", "--brand", "acme"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["version"] == 1 and err == "SUN master key version 1 is active for 'acme' (sealed in the database)\n"
    assert main(["nfc", "key", "list", "--brand", "acme"]) == 0
    assert [(k["version"], k["status"]) for k in json.loads(capsys.readouterr().out)] == [(1, "active")]

    plan_path = tmp_path / "plan.json"
    assert main([*program, "--out", str(plan_path)]) == 0
    assert capsys.readouterr() == ("", f"tag {UID} bound to GTIN {code['gtin']} serial {code['serial']}\n")
    assert stat.S_IMODE(plan_path.stat().st_mode) == 0o600
    plan = json.loads(plan_path.read_text())
    assert plan["url_template"] == code["url"] + "&e=" + "0" * 32 + "&c=" + "0" * 16
    assert plan["picc_data_offset"] + 32 + len("&c=") == plan["sdm_mac_offset"] == plan["sdm_mac_input_offset"]

    assert main(["nfc", "tag-keys", "--brand", "acme", "--uid", UID]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert (exported["sun_key_version"], exported["serial"]) == (1, code["serial"])
    assert {k: exported[k] for k in plan["keys"]} == plan["keys"]

    url = ProgrammedTag(plan).tap()
    assert main(["nfc", "sun-check", url, "--meta-key", exported["sdm_meta_read"],
                 "--file-key", exported["sdm_file_read"]]) == 0
    assert json.loads(capsys.readouterr().out) == {"uid": UID, "read_counter": 1, "file_data": None}

    # `tracemark verify` authenticates the tap with the brand's sealed key as well.
    assert main(["verify", url]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "genuine"
    flipped = url[:-1] + ("0" if url[-1] != "0" else "1")  # another hex digit: the MAC no longer matches
    assert main(["verify", flipped]) == 1
    verdict = json.loads(capsys.readouterr().out)
    assert (verdict["verdict"], verdict["reason"]) == (
        "forged", f"SDMMAC {flipped[-16:]} does not verify (URL altered, or a different SDMFileReadKey)")


def test_bad_input_is_one_line_and_writes_nothing(runtime, cli_env, tmp_path: Path, capsys) -> None:
    code = _code(runtime)
    assert main(["nfc", "key", "rotate", "--brand", "acme", "--system-identifier", ""]) == 1
    assert capsys.readouterr().err == "error: SUN system identifier '': expected 1..23 printable ASCII characters\n"
    assert main(["nfc", "key", "rotate", "--brand", "acme"]) == 0
    capsys.readouterr()
    program = ["nfc", "program", "--brand", "acme", "--gtin", code["gtin"], "--serial", code["serial"]]
    assert main([*program, "--uid", "04958CAA5C5E"]) == 1
    assert capsys.readouterr().err == "error: --uid '04958CAA5C5E': expected the tag's 7-byte UID as 14 hex digits\n"
    existing = tmp_path / "plan.json"
    existing.write_text("keep")
    assert main([*program, "--uid", UID, "--out", str(existing)]) == 1
    assert capsys.readouterr().err == (
        f"error: --out {existing}: the file exists; expected a new file (it holds tag keys)\n")
    assert existing.read_text() == "keep"
    fresh = tmp_path / "new.json"
    assert main(["nfc", "program", "--brand", "acme", "--gtin", code["gtin"], "--serial", "NOPE", "--uid", UID,
                 "--out", str(fresh)]) == 1
    assert capsys.readouterr().err == f"error: unknown unit: GTIN {code['gtin']} serial 'NOPE' was never minted\n"
    assert not fresh.exists()
    assert main(["nfc", "tag-keys", "--brand", "acme", "--uid", UID]) == 1
    assert capsys.readouterr().err == "error: NFC tag 04958CAA5C5E80 is not bound to any unit of brand 'acme'\n"
