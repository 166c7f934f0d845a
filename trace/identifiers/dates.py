"""Dates in GS1 AI values: YYMMDD, with a sliding window for the century.

AIs (11)–(17) allow day ``00``, meaning the last day of the month; other date AIs (e.g.
7006) do not. AI (7003) adds an hour and minute (HHMM).

References: GS1 General Specifications, sections 3.4.2–3.4.7 and 7.12 (determination of
century in dates).
"""

from __future__ import annotations

import datetime
import enum

from trace.errors import IdentifierError

__all__ = ["DateFormat", "resolve_year", "verify_date"]


class DateFormat(enum.Enum):
    """How the leading digits of a date AI are read."""

    YYMMDD = "YYMMDD"
    YYMMD0 = "YYMMDD, DD=00 meaning the end of the month"
    YYMMDDHHMM = "YYMMDDHHMM"


def verify_date(value: str, date_format: DateFormat, *, what: str) -> None:
    """Raise ``IdentifierError`` unless ``value`` starts with a real date (and time).

    ``value`` is already known to hold digits of the right length; ``what`` names it in
    the message, e.g. ``"AI (17) value"``.

    >>> verify_date("180400", DateFormat.YYMMD0, what="AI (17) value")
    >>> verify_date("180230", DateFormat.YYMMD0, what="AI (17) value")
    Traceback (most recent call last):
    ...
    trace.errors.IdentifierError: invalid AI (17) value '180230': expected a day that exists in 2018-02, found 30

    References: GS1 General Specifications, sections 3.4.2–3.4.7 (date AIs) and 7.12.
    """
    month, day = int(value[2:4]), int(value[4:6])
    if not 1 <= month <= 12:
        raise IdentifierError(f"invalid {what} {value!r}: expected a month 01-12, found {month:02d}")
    year = resolve_year(int(value[0:2]), current_year=datetime.date.today().year)
    if day == 0 and date_format is DateFormat.YYMMD0:
        pass  # "00" means the last day of the month (General Specifications 3.4.2-3.4.7)
    else:
        try:
            datetime.date(year, month, day)
        except ValueError:
            raise IdentifierError(
                f"invalid {what} {value!r}: expected a day that exists in {year}-{month:02d},"
                f" found {day:02d}"
            ) from None
    if date_format is DateFormat.YYMMDDHHMM:
        hours, minutes = int(value[6:8]), int(value[8:10])
        if hours > 23 or minutes > 59:
            raise IdentifierError(
                f"invalid {what} {value!r}: expected a time HHMM from 0000 to 2359,"
                f" found {value[6:10]}"
            )


def resolve_year(yy: int, *, current_year: int) -> int:
    """The four-digit year a two-digit ``yy`` stands for, by GS1's sliding window.

    A year up to 50 ahead of ``current_year`` or up to 49 behind it is in the nearest
    century. For Tracemark only 29 February of year ``00`` depends on the answer.

    >>> resolve_year(99, current_year=2025), resolve_year(75, current_year=2025)
    (1999, 2075)
    >>> resolve_year(10, current_year=2070)
    2110

    References: GS1 General Specifications, section 7.12.
    """
    century = current_year - current_year % 100
    difference = yy - current_year % 100
    if difference >= 51:
        return century - 100 + yy
    if difference <= -50:
        return century + 100 + yy
    return century + yy
