"""Dates in AI values and GS1's century window (General Specifications 7.12)."""

from __future__ import annotations

import pytest

from trace.errors import IdentifierError
from trace.identifiers.dates import DateFormat, resolve_year, verify_date


@pytest.mark.parametrize(
    ("yy", "current_year", "year"),
    [
        (25, 2025, 2025),
        (75, 2025, 2075),  # 50 ahead: still this century
        (76, 2025, 1976),  # 51 ahead: previous century
        (76, 2026, 2076),
        (0, 2049, 2000),
        (99, 2049, 2099),  # 50 ahead: still this century
        (0, 2050, 2100),  # 50 behind: next century
        (1, 2050, 2001),  # 49 behind: this century
    ],
)
def test_resolve_year(yy: int, current_year: int, year: int) -> None:
    assert resolve_year(yy, current_year=current_year) == year


@pytest.mark.parametrize(
    ("value", "date_format"),
    [
        ("180426", DateFormat.YYMMD0),
        ("180400", DateFormat.YYMMD0),  # DD=00: end of month, allowed in AIs 11-17
        ("200229", DateFormat.YYMMDD),  # 2020 is a leap year
        ("1804262359", DateFormat.YYMMDDHHMM),
        ("1804260000", DateFormat.YYMMDDHHMM),
    ],
)
def test_valid_dates(value: str, date_format: DateFormat) -> None:
    verify_date(value, date_format, what="AI (17) value")


@pytest.mark.parametrize(
    ("value", "date_format", "found"),
    [
        pytest.param("181326", DateFormat.YYMMD0, "expected a month 01-12, found 13", id="month-13"),
        pytest.param("180026", DateFormat.YYMMD0, "expected a month 01-12, found 00", id="month-00"),
        pytest.param("180400", DateFormat.YYMMDD, "expected a day that exists in 2018-04, found 00", id="day-00-not-allowed"),
        pytest.param("180431", DateFormat.YYMMD0, "expected a day that exists in 2018-04, found 31", id="april-31"),
        pytest.param("210229", DateFormat.YYMMD0, "expected a day that exists in 2021-02, found 29", id="feb-29-non-leap"),
        pytest.param("1804261260", DateFormat.YYMMDDHHMM, "expected a time HHMM from 0000 to 2359, found 1260", id="minute-60"),
    ],
)
def test_invalid_dates(value: str, date_format: DateFormat, found: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        verify_date(value, date_format, what="AI (17) value")
    assert str(caught.value) == f"invalid AI (17) value {value!r}: {found}"
