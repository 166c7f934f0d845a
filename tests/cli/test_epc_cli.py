"""``tracemark epc encode|decode``: hex on one line, JSON for a decode, one error line otherwise."""

from __future__ import annotations

import json

import pytest

from trace.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["epc", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_encode_pure_identity(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "encode", "urn:epc:id:sgtin:0614141.812345.6789", "--scheme", "sgtin-96",
               "--filter", "3") == (0, "3074257BF7194E4000001A85\n", "")


def test_encode_tag_uri_needs_no_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "encode", "urn:epc:tag:sgtin-198:3.0614141.712345.32a%2Fb") == (
        0, "3674257BF6B7A659B2C2BF100000000000000000000000000000\n", ""
    )


def test_encode_digital_link_with_company_prefix_length(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "encode", "https://id.gs1.org/00/106141412345678908", "--scheme", "sscc-96",
               "--filter", "2", "--company-prefix-length", "7") == (
        0, "3154257BF4499602D2000000\n", ""
    )


def test_decode_prints_every_form(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "decode", "3074257BF7194E4000001A8500000000")
    assert (code, err) == (0, "")
    assert out == (
        "{\n"
        '  "scheme": "sgtin-96",\n'
        '  "tag_uri": "urn:epc:tag:sgtin-96:3.0614141.812345.6789",\n'
        '  "pure_identity": "urn:epc:id:sgtin:0614141.812345.6789",\n'
        '  "digital_link": "https://id.gs1.org/01/80614141123458/21/6789",\n'
        '  "filter": 3\n'
        "}\n"
    )


def test_decode_sgln(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "decode", "3234257bf460720000000190")
    assert code == 0
    assert json.loads(out) == {
        "scheme": "sgln-96",
        "tag_uri": "urn:epc:tag:sgln-96:1.0614141.12345.400",
        "pure_identity": "urn:epc:id:sgln:0614141.12345.400",
        "digital_link": "https://id.gs1.org/414/0614141123452/254/400",
        "filter": 1,
    }


def test_encode_error_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    # Mutation of the TDS example: an alphanumeric serial does not fit SGTIN-96.
    assert run(capsys, "encode", "urn:epc:id:sgtin:0614141.812345.67A9", "--scheme", "sgtin-96",
               "--filter", "3") == (
        1,
        "",
        "error: invalid EPC pure identity URI 'urn:epc:id:sgtin:0614141.812345.67A9': invalid"
        " SGTIN-96 serial '67A9': expected digits only, found 'A' at position 3 (SGTIN-96 holds"
        " numbers below 2^38 written without leading zeros; sgtin-198 holds other values)\n",
    )


def test_encode_pure_identity_without_filter(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "encode", "urn:epc:id:sgtin:0614141.812345.6789", "--scheme", "sgtin-96") == (
        1,
        "",
        "error: cannot encode 'urn:epc:id:sgtin:0614141.812345.6789': it does not say its filter;"
        " expected filter to be given\n",
    )


def test_decode_error_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    # Mutation: non-zero bits in the padding of a 128-bit EPC bank read.
    assert run(capsys, "decode", "3074257BF7194E4000001A8500000001") == (
        1,
        "",
        "error: invalid EPC binary '3074257BF7194E4000001A8500000001': expected the 32 bits"
        " after the 96-bit sgtin-96 to be zero padding, found other bits set\n",
    )
