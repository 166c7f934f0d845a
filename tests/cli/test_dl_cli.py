"""``tracemark dl parse``: JSON for a valid URI, one error line and exit code 2 otherwise."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from trace.cli.dl import app

runner = CliRunner()


def test_parse_prints_canonical_uri_and_ais_as_json() -> None:
    uri = "https://id.gs1.org/01/9520123456788/10/ABC1/21/12345?17=180426"
    result = runner.invoke(app, ["parse", uri])
    assert result.exit_code == 0
    assert result.stderr == ""
    expected = {
        "uri": "https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426",
        "element_string": "^010952012345678810ABC1^2112345^17180426",
        "primary_key": {"ai": "01", "value": "09520123456788"},
        "ais": [
            {"ai": "01", "name": "GTIN", "value": "09520123456788"},
            {"ai": "10", "name": "BATCH/LOT", "value": "ABC1"},
            {"ai": "21", "name": "SERIAL", "value": "12345"},
            {"ai": "17", "name": "USE BY OR EXPIRY", "value": "180426"},
        ],
        "signature": None,
    }
    assert result.stdout == json.dumps(expected, indent=2) + "\n"


def test_parse_reports_the_signature() -> None:
    uri = "https://id.gs1.org/01/09520123456788/21/12345?8030=AbC-_1"
    result = runner.invoke(app, ["parse", uri])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["signature"] == "AbC-_1"
    assert document["ais"][-1] == {"ai": "8030", "name": "DIGSIG", "value": "AbC-_1"}


def test_invalid_uri_prints_one_error_line_and_exits_2() -> None:
    uri = "https://id.gs1.org/01/09520123456789"  # mutation: check digit 8 -> 9
    result = runner.invoke(app, ["parse", uri])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: invalid Digital Link URI 'https://id.gs1.org/01/09520123456789':"
        " invalid GTIN '09520123456789': check digit should be 8, found 9\n"
    )


def test_error_stays_on_one_line_for_hostile_input() -> None:
    result = runner.invoke(app, ["parse", "https://id.gs1.org/01/09520123456788/10/A\nB"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: invalid Digital Link URI ")
