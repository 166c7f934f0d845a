"""``tracemark nfc sun-check``: JSON for an authentic SUN URL, one error line and exit 1 otherwise."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from trace.cli.main import main
from trace.cli.nfc import app

runner = CliRunner()
ZERO_KEY = "0" * 32
PICC_ONLY = "https://ntag.nxp.com/424?e=EF963FF7828658A599F3041510671E88&c=94EED9EE65337086"  # AN12196
WITH_FILE = ("https://www.my424dna.com/?picc_data=FD91EC264309878BE6345CBE53BADF40"
             "&enc=CEE9A53E3E463EF1F459635736738962&cmac=ECC1E7F6C6C73BF6")  # AN12196 p. 18


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["nfc", "sun-check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_authentic_url_prints_uid_counter_and_no_file_data() -> None:
    result = runner.invoke(app, ["sun-check", PICC_ONLY, "--meta-key", ZERO_KEY, "--file-key", ZERO_KEY])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"uid": "04DE5F1EACC040", "read_counter": 61, "file_data": None}


def test_authentic_url_with_file_data(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, WITH_FILE, "--meta-key", ZERO_KEY, "--file-key", ZERO_KEY)
    assert (code, err) == (0, "")
    assert json.loads(out) == {"uid": "04958CAA5C5E80", "read_counter": 8, "file_data": "78" * 16}


def test_parameter_names_from_options(capsys: pytest.CaptureFixture[str]) -> None:
    url = WITH_FILE.replace("picc_data=", "p=").replace("&enc=", "&d=").replace("&cmac=", "&m=")
    # The MAC covers "<enc>&m=" now: same tag output, other names, so the MAC no longer matches.
    code, _, err = run(capsys, url, "--meta-key", ZERO_KEY, "--file-key", ZERO_KEY,
                       "--picc-param", "p", "--mac-param", "m", "--enc-param", "d")
    assert code == 1
    assert err == "error: SDMMAC ECC1E7F6C6C73BF6 does not verify (URL altered, or a different SDMFileReadKey)\n"
    code, out, _ = run(capsys, PICC_ONLY.replace("?e=", "?p="), "--meta-key", ZERO_KEY, "--file-key", ZERO_KEY,
                       "--picc-param", "p")
    assert code == 0 and json.loads(out)["read_counter"] == 61


def test_altered_url_is_one_error_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    altered = PICC_ONLY[:-1] + "7"  # mutation: last MAC digit 6 -> 7
    code, out, err = run(capsys, altered, "--meta-key", ZERO_KEY, "--file-key", ZERO_KEY)
    assert (code, out) == (1, "")
    assert err == "error: SDMMAC 94EED9EE65337087 does not verify (URL altered, or a different SDMFileReadKey)\n"


def test_wrong_meta_key_is_one_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, PICC_ONLY, "--meta-key", "0" * 31 + "1", "--file-key", ZERO_KEY)
    assert (code, out) == (1, "")
    assert err.startswith("error: PICCData does not decrypt: PICCDataTag should be 0xc7")


@pytest.mark.parametrize(("key", "found"), [("00" * 15, "found 30 characters"),
                                             ("Z" * 32, "found 32 characters with non-hex digits")])
def test_malformed_key_is_refused_without_echoing_it(capsys: pytest.CaptureFixture[str], key: str, found: str) -> None:
    code, out, err = run(capsys, PICC_ONLY, "--meta-key", ZERO_KEY, "--file-key", key)
    assert (code, out) == (1, "")
    assert err == f"error: --file-key: expected an AES-128 key as 32 hex digits, {found}\n"
