"""The AI table: formats, dates, check digits, FNC1 needs, Digital Link roles."""

from __future__ import annotations

import datetime

import pytest

from trace.errors import IdentifierError
from trace.identifiers import PRIMARY_KEYS, CharacterSet, DateFormat, application_identifier
from trace.identifiers.application_identifiers import (
    match_ai,
    verify_signature_association,
)

REQUIRED = (
    "00 01 02 10 11 13 15 16 17 21 22 235 240 241 250 253 254 30 3100 3105 3110 3125 3135"
    " 3145 3155 3165 3200 3205 37 3920 3929 400 401 402 410 411 412 413 414 415 416 417"
    " 422 7003 8003 8004 8006 8010 8011 8017 8018 8020 8030 90 91 95 99"
).split()


@pytest.mark.parametrize("ai", REQUIRED)
def test_table_holds_every_ai_tracemark_needs(ai: str) -> None:
    assert application_identifier(ai).ai == ai


@pytest.mark.parametrize(
    ("ai", "title", "charset", "min_length", "max_length"),
    [
        ("00", "SSCC", CharacterSet.NUMERIC, 18, 18),
        ("01", "GTIN", CharacterSet.NUMERIC, 14, 14),
        ("10", "BATCH/LOT", CharacterSet.CSET82, 1, 20),
        ("17", "USE BY OR EXPIRY", CharacterSet.NUMERIC, 6, 6),
        ("21", "SERIAL", CharacterSet.CSET82, 1, 20),
        ("235", "TPX", CharacterSet.CSET82, 1, 28),
        ("253", "GDTI", CharacterSet.CSET82, 13, 30),
        ("3103", "NET WEIGHT (kg)", CharacterSet.NUMERIC, 6, 6),
        ("3922", "PRICE", CharacterSet.NUMERIC, 1, 15),
        ("7003", "EXPIRY TIME", CharacterSet.NUMERIC, 10, 10),
        ("8003", "GRAI", CharacterSet.CSET82, 14, 30),
        ("8010", "CPID", CharacterSet.CSET39, 1, 30),
        ("8030", "DIGSIG", CharacterSet.CSET64, 1, 90),
        ("99", "INTERNAL", CharacterSet.CSET82, 1, 90),
    ],
)
def test_formats(
    ai: str, title: str, charset: CharacterSet, min_length: int, max_length: int
) -> None:
    entry = application_identifier(ai)
    assert (entry.title, entry.charset, entry.min_length, entry.max_length) == (
        title, charset, min_length, max_length,
    )


@pytest.mark.parametrize(
    ("ai", "fnc1_required"),
    [("00", False), ("01", False), ("02", False), ("11", False), ("17", False), ("20", False),
     ("3103", False), ("3922", True), ("3655", False), ("414", False), ("10", True),
     ("21", True), ("22", True), ("235", True), ("253", True), ("422", True), ("8006", True),
     ("7003", True), ("8030", True), ("90", True), ("99", True)],
)
def test_fnc1_needed_unless_predefined_length(ai: str, fnc1_required: bool) -> None:
    assert application_identifier(ai).fnc1_required is fnc1_required


def test_dates() -> None:
    assert application_identifier("17").date is DateFormat.YYMMD0
    assert application_identifier("11").date is DateFormat.YYMMD0
    assert application_identifier("7006").date is DateFormat.YYMMDD
    assert application_identifier("10").date is None


@pytest.mark.parametrize(
    ("ai", "value"),
    [("17", "180426"), ("17", "180400"), ("17", "200229"), ("17", "181231"),
     ("7003", "1804262359"), ("8030", "AB-_1="), ("8030", "AB-_12"), ("253", "1231231231232TEST5678901234567"),
     ("8003", "01231231231232"), ("8006", "095201234567880102"), ("7040", "1ABC")],
)
def test_valid_values(ai: str, value: str) -> None:
    application_identifier(ai).verify(value)


@pytest.mark.parametrize(
    ("ai", "value", "message"),
    [
        pytest.param("17", "181332", "expected a month 01-12, found 13", id="17-month-13"),
        pytest.param("17", "180230", "expected a day that exists in 2018-02, found 30", id="17-feb-30"),
        pytest.param("17", "190229", "expected a day that exists in 2019-02, found 29", id="17-feb-29-non-leap"),
        pytest.param("17", "180431", "expected a day that exists in 2018-04, found 31", id="17-apr-31"),
        pytest.param("7006", "180400", "expected a day that exists in 2018-04, found 00", id="7006-day-00"),
        pytest.param("7003", "1804262400", "expected a time HHMM from 0000 to 2359, found 2400", id="7003-hour-24"),
        pytest.param("17", "18042", "expected 6 characters (N6), found 5", id="17-too-short"),
        pytest.param("17", "18O426", "expected digits only, found 'O' at position 3", id="17-letter"),
        pytest.param("01", "09520123456789", "check digit should be 8, found 9", id="01-check-digit"),
        pytest.param("8003", "01231231231233", "check digit should be 2, found 3", id="8003-check-digit"),
        pytest.param("10", "A" * 21, "expected 1 to 20 characters (X..20), found 21", id="10-too-long"),
        pytest.param("10", "", "expected 1 to 20 characters (X..20), found 0", id="10-empty"),
        pytest.param("8030", "A" * 91, "expected 1 to 90 characters (Z..90), found 91", id="8030-too-long"),
        pytest.param("253", "123123123123XTEST", "expected digits only, found 'X' at position 13", id="253-short-key"),
    ],
)
def test_invalid_values(ai: str, value: str, message: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        application_identifier(ai).verify(value)
    assert str(caught.value) == f"invalid AI ({ai}) value {value!r}: {message}"


def test_year_00_is_read_in_the_current_century_window() -> None:
    # General Specifications 7.12: 00 means 2000 until 2050, so 29 February exists.
    if datetime.date.today().year < 2050:
        application_identifier("17").verify("000229")


def test_unknown_ai() -> None:
    with pytest.raises(IdentifierError, match="unknown application identifier '999'"):
        application_identifier("999")


def test_match_ai_uses_the_only_prefix_match() -> None:
    assert match_ai("3103000195").ai == "3103"  # type: ignore[union-attr]
    assert match_ai("8030ABC").ai == "8030"  # type: ignore[union-attr]
    assert match_ai("414952012345678", 0).ai == "414"  # type: ignore[union-attr]
    assert match_ai("05") is None


def test_primary_keys_and_qualifier_sequences() -> None:
    assert PRIMARY_KEYS["01"] == (("22", "10", "21"), ("235",))
    assert PRIMARY_KEYS["414"] == (("254",), ("7040",))
    assert PRIMARY_KEYS["8006"] == (("22", "10", "21"),)
    assert PRIMARY_KEYS["00"] == ()
    for key in ("00", "01", "253", "255", "401", "402", "414", "417", "8003", "8004",
                "8006", "8010", "8013", "8017", "8018"):
        assert application_identifier(key).is_primary_key
    assert not application_identifier("10").is_primary_key


@pytest.mark.parametrize(
    ("ai", "allowed"),
    [("17", True), ("3103", True), ("8030", True), ("10", True), ("99", True),
     ("21", False), ("22", False), ("235", False), ("254", False), ("7040", False)],
)
def test_data_attribute_flags(ai: str, allowed: bool) -> None:
    assert application_identifier(ai).data_attribute is allowed


@pytest.mark.parametrize(
    "ais", [{"01", "21", "8030"}, {"00", "8030"}, {"8004", "8030"}, {"8010", "8011", "8030"},
            {"01", "10"}],
)
def test_signature_with_single_instance_key(ais: set[str]) -> None:
    verify_signature_association(ais)


@pytest.mark.parametrize(
    "ais",
    [pytest.param({"01", "10", "8030"}, id="gtin-lot-no-serial"),
     pytest.param({"414", "254", "8030"}, id="gln-extension"),
     pytest.param({"8010", "8030"}, id="cpid-without-serial")],
)
def test_signature_without_single_instance_key(ais: set[str]) -> None:
    with pytest.raises(IdentifierError, match=r"invalid AI \(8030\) digital signature"):
        verify_signature_association(ais)
