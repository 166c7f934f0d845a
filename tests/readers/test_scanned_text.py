"""parse_scanned_text: every accepted carrier spelling → one canonical identifier; the rest refused."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from readers.scan import Command, Scan, SourceKind, parse_scanned_text, reading_from_text
from trace.errors import IdentifierError, InvalidInput

ITEM = "https://id.gs1.org/01/09520123456788/21/12345"
CASE = "https://id.gs1.org/00/106141412345678908"
WHEN = datetime(2024, 3, 1, 0, 15, 30, 250000, tzinfo=timezone.utc)


@pytest.mark.parametrize(("text", "identifier"), [
    # GS1 Digital Link: any domain, lot and signature dropped from the identifier.
    ("https://brand.example/01/09520123456788/10/L1/21/12345?8030=MEUCIQD", ITEM),
    ("https://id.gs1.org/01/09520123456788/21/12345", ITEM),
    ("HTTPS://ID.GS1.ORG/01/09520123456788/21/12345", ITEM),
    ("https://id.gs1.org/00/106141412345678908", CASE),
    # Element strings behind ISO/IEC 15424 symbology identifiers, GS as separator.
    ("]d2010952012345678810ABC1\x1d2112345", ITEM),
    ("]Q3010952012345678810ABC1\x1d2112345", ITEM),
    ("]C100106141412345678908", CASE),
    ("]e0010952012345678821123456", "https://id.gs1.org/01/09520123456788/21/123456"),
    # Without identifier: FNC1 form (leading GS or digits), bracketed form.
    ("\x1d010952012345678810ABC1\x1d2112345", ITEM),
    ("010952012345678810ABC1\x1d2112345", ITEM),
    ("(01)09520123456788(10)ABC1(21)12345", ITEM),
    ("(00)106141412345678908", CASE),
    # Non-GS1 symbology identifier: the data after it is recognised.
    ("]Q1https://brand.example/01/09520123456788/21/12345", ITEM),
    # EPC binary (SGTIN-96, SSCC-96), tag URI and pure identity URI.
    ("3074257BF7194E4000001A85", "urn:epc:id:sgtin:0614141.812345.6789"),
    ("3074257bf7194e4000001a85", "urn:epc:id:sgtin:0614141.812345.6789"),
    ("3154257BF4499602D2000000", "urn:epc:id:sscc:0614141.1234567890"),
    ("urn:epc:tag:sgtin-96:3.0614141.812345.6789", "urn:epc:id:sgtin:0614141.812345.6789"),
    ("urn:epc:id:sscc:0614141.1234567890", "urn:epc:id:sscc:0614141.1234567890"),
    # Keyboard wedges end lines with CR LF.
    ("https://id.gs1.org/01/09520123456788/21/12345\r\n", ITEM),
])
def test_each_spelling_gives_the_canonical_identifier(text: str, identifier: str) -> None:
    scan = parse_scanned_text(text, time=WHEN)
    assert scan == Scan(identifier, text, SourceKind.KEYBOARD, WHEN)


def test_the_same_item_in_every_spelling_has_one_key() -> None:
    spellings = ["3074257BF7194E4000001A85", "urn:epc:id:sgtin:0614141.812345.6789",
                 "https://id.gs1.org/01/80614141123458/21/6789", "(01)80614141123458(21)6789"]
    assert {parse_scanned_text(text).key for text in spellings} == {"0180614141123458216789"}


def test_an_all_digit_hex_string_reads_as_an_element_string_first() -> None:
    # 24 digits are both valid hex and (01)…(21)…: the element string wins.
    assert parse_scanned_text("010952012345678821123456").identifier == (
        "https://id.gs1.org/01/09520123456788/21/123456")


def test_scan_extras_are_kept() -> None:
    scan = parse_scanned_text("3074257BF7194E4000001A85", source=SourceKind.RFID, time=WHEN,
                              antenna=2, peak_rssi=-61)
    assert (scan.source, scan.antenna, scan.peak_rssi, scan.tag_uid) == (SourceKind.RFID, 2, -61, None)


def test_instance_and_case_tests() -> None:
    assert parse_scanned_text(ITEM).is_instance and not parse_scanned_text(ITEM).is_sscc
    assert parse_scanned_text(CASE).is_instance and parse_scanned_text(CASE).is_sscc
    assert not parse_scanned_text("(01)09520123456788(10)L1").is_instance


def test_scan_time_must_be_utc() -> None:
    with pytest.raises(ValueError, match="UTC"):
        Scan(ITEM, ITEM, SourceKind.KEYBOARD, datetime(2024, 1, 1))
    with pytest.raises(ValueError, match="UTC"):
        Scan(ITEM, ITEM, SourceKind.KEYBOARD, datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=8))))


def test_commands_are_told_apart_from_scans() -> None:
    reading = reading_from_text("CLOSE\r\n", source=SourceKind.KEYBOARD, time=WHEN, commands={"CLOSE"})
    assert reading == Command("CLOSE", SourceKind.KEYBOARD, WHEN)


@pytest.mark.parametrize(("text", "message"), [
    ("hello", "unrecognised scan 'hello': expected a GS1 Digital Link URI"),
    ("", "empty scan ''"),
    ("\r\n", "empty scan '\\r\\n'"),
    ("]Q1", "empty scan ']Q1': a symbology identifier and no data"),
    ("CLOSE", "unrecognised scan 'CLOSE'"),
])
def test_unrecognised_text_is_refused_by_name(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_scanned_text(text)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(("name", "text"), [
    ("wrong-gtin-check-digit", "https://id.gs1.org/01/09520123456789/21/12345"),
    ("wrong-check-digit-in-element-string", "]d2010952012345678921S1"),
    ("unknown-ai", "(99999)1"),
    ("bad-epc-header", "FF74257BF7194E4000001A85"),
    ("epc-class-urn", "urn:epc:class:lgtin:4012345.012345.998877"),
    ("truncated-tag-uri", "urn:epc:tag:sgtin-96:3.0614141.812345"),
])
def test_malformed_identifiers_are_identifier_errors_naming_the_text(name: str, text: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_scanned_text(text)
    assert repr(text) in str(caught.value), name
