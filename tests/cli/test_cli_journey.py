"""The README journey on the command line: brand, product, lot, mint 1,000 codes, verify."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from trace.cli.main import main
from trace.db import migrate
from trace.db.database import Database
from trace.services.units import count_mint_jobs, count_units

PASSPHRASE = "cli test passphrase"


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRACEMARK_DATABASE_URL", database_url)
    monkeypatch.setenv("TRACEMARK_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("TRACEMARK_KEY_PASSPHRASE", PASSPHRASE)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _setup(capsys) -> None:
    assert run(capsys, "brand", "add", "Acme Tea", "--domain", "https://id.acme.example")[0] == 0
    assert run(capsys, "product", "add", "--brand", "Acme Tea", "--gtin", "9506000134352", "--name", "Longjing")[0] == 0
    code, out, err = run(capsys, "lot", "add", "--gtin", "09506000134352", "--lot", "L2026-11", "--produced",
                         "2026-11-01", "--expires", "2028-10-31", "--line", "line-1")
    assert code == 0, err
    assert json.loads(out)["lot"] == "L2026-11"


def test_mint_1000_as_csv_zpl_pdf_and_verify(cli_env: Path, capsys, database_url: str) -> None:
    _setup(capsys)
    # PDF lays out real QR symbols (segno picks the best mask per ISO/IEC 18004, ~15 ms a
    # code): 1,000 of them once is enough; the storage path is the same on both databases.
    formats = ("csv", "zpl", "pdf") if database_url.startswith("sqlite") else ("csv", "zpl")
    for fmt in formats:
        code, _, err = run(capsys, "mint", "--gtin", "09506000134352", "--lot", "L2026-11", "--count", "1000",
                           "--format", fmt, "--out", str(cli_env / f"codes.{fmt}"))
        assert code == 0, err
        assert err.startswith("minted 1,000 codes for GTIN 09506000134352 lot L2026-11 (job ")
    rows = list(csv.DictReader((cli_env / "codes.csv").open()))
    assert len(rows) == 1000
    zpl = (cli_env / "codes.zpl").read_text()
    assert zpl.count("^XA") == 1000 and zpl.count("^XZ") == 1000
    if "pdf" in formats:
        assert (cli_env / "codes.pdf").read_bytes().startswith(b"%PDF-")
    code, out, _ = run(capsys, "verify", rows[7]["url"])
    assert code == 0
    verdict = json.loads(out)
    assert (verdict["verdict"], verdict["serial"], verdict["lot"], verdict["product"]) == (
        "genuine", rows[7]["serial"], "L2026-11", "Longjing")
    db = Database.from_url(database_url)
    assert count_units(db) == 1000 * len(formats)
    assert count_mint_jobs(db) == len(formats)
    db.dispose()


def test_offline_verification_needs_only_the_published_keys(cli_env: Path, capsys) -> None:
    _setup(capsys)
    code, out, _ = run(capsys, "mint", "--gtin", "09506000134352", "--lot", "L2026-11", "--count", "2")
    url = list(csv.DictReader(out.splitlines()))[0]["url"]
    code, keys_json, _ = run(capsys, "key", "publish", "--brand", "acme-tea")
    (cli_env / "keys.json").write_text(keys_json)
    code, out, _ = run(capsys, "verify", url, "--keys", str(cli_env / "keys.json"))
    assert code == 0
    assert json.loads(out)["verdict"] == "signature_valid"
    tampered = url.replace("/10/L2026-11/", "/10/L2026-12/")
    code, out, _ = run(capsys, "verify", tampered, "--keys", str(cli_env / "keys.json"))
    assert code == 1
    assert json.loads(out)["verdict"] == "forged"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["mint", "--gtin", "09506000134353", "--lot", "L2026-11", "--count", "5"],
         "error: invalid GTIN '09506000134353': check digit should be 2, found 3\n"),
        (["mint", "--gtin", "09506000134352", "--lot", "NOPE", "--count", "5"],
         "error: unknown lot 'NOPE' for GTIN 09506000134352\n"),
        (["mint", "--gtin", "09506000134352", "--lot", "L2026-11", "--count", "0"],
         "error: invalid count 0: expected 1 to 10,000,000\n"),
        (["verify", "https://id.acme.example/01/09506000134352/21/ABC?10=L1"], None),
        (["lot", "add", "--gtin", "09506000134352", "--lot", "L2", "--produced", "2026-13-01"],
         "error: invalid --produced '2026-13-01': expected a date as YYYY-MM-DD\n"),
        (["product", "add", "--brand", "Nobody", "--gtin", "09506000134369", "--name", "x"],
         "error: unknown brand 'Nobody'\n"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(cli_env: Path, capsys, database_url: str, args, message) -> None:
    _setup(capsys)
    code, out, err = run(capsys, *args)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: ")
    if message is not None:
        assert err == message
    db = Database.from_url(database_url)
    assert (count_units(db), count_mint_jobs(db)) == (0, 0)
    db.dispose()


def test_unwritable_output_path(cli_env: Path, capsys, database_url: str) -> None:
    _setup(capsys)
    code, _, err = run(capsys, "mint", "--gtin", "09506000134352", "--lot", "L2026-11", "--count", "5",
                       "--out", str(cli_env / "no-such-dir" / "x.csv"))
    assert code == 1
    assert err.startswith("error: cannot write to ") and err.count("\n") == 1
    db = Database.from_url(database_url)
    assert count_units(db) == 0
    db.dispose()


def test_console_script_from_another_directory(tmp_path: Path) -> None:
    """`tracemark db upgrade` works from any working directory: migrations ship in the package."""
    env = {**os.environ, "TRACEMARK_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
           "TRACEMARK_KEY_DIR": str(tmp_path / "keys")}
    tracemark = Path(sys.executable).with_name("tracemark")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run([str(tracemark), "db", "upgrade"], cwd=elsewhere, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().endswith(f"database at revision {migrate.head_revision()}")
    unready = subprocess.run([str(tracemark), "brand", "list"], cwd=elsewhere, capture_output=True, text=True, timeout=120,
                             env={**env, "TRACEMARK_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})
    assert unready.returncode == 1
    assert unready.stderr == (
        f"error: database schema is at nothing, expected {migrate.head_revision()}: run `tracemark db upgrade`\n")
