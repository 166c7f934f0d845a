"""GTIN: parsing GTIN-8/12/13/14 and normalising to 14 digits."""

from __future__ import annotations

import pytest

from trace.errors import IdentifierError
from trace.identifiers import Gtin


@pytest.mark.parametrize(
    ("text", "gtin14"),
    [
        pytest.param("09520123456788", "09520123456788", id="gtin-14"),
        pytest.param("9520123456788", "09520123456788", id="gtin-13"),
        # GTIN-12 and GTIN-8 examples from GS1's syntax engine tests (src/c-lib/dl.c).
        pytest.param("416000336108", "00416000336108", id="gtin-12"),
        pytest.param("02345673", "00000002345673", id="gtin-8"),
    ],
)
def test_parse_normalises_to_14_digits(text: str, gtin14: str) -> None:
    gtin = Gtin.parse(text)
    assert gtin.value == gtin14
    assert gtin.as_gtin14() == gtin14
    assert str(gtin) == gtin14
    assert gtin == Gtin(gtin14)


def test_renderings() -> None:
    gtin = Gtin.parse("9520123456788")
    assert gtin.as_hri() == "(01)09520123456788"
    assert gtin.check_digit == 8


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "09520123456789",
            "invalid GTIN '09520123456789': check digit should be 8, found 9",
            id="wrong-check-digit",
        ),
        pytest.param(
            "095201234567888",
            "invalid GTIN '095201234567888': expected 8, 12, 13 or 14 digits, found 15",
            id="digit-appended",
        ),
        pytest.param(
            "0952012345678",
            "invalid GTIN '0952012345678': check digit should be 2, found 8",
            id="last-digit-dropped",
        ),
        pytest.param(
            "0952012345678 ",
            "invalid GTIN '0952012345678 ': expected digits only, found ' ' at position 14",
            id="trailing-space",
        ),
        pytest.param("", "invalid GTIN '': expected 8, 12, 13 or 14 digits, found 0", id="empty"),
    ],
)
def test_parse_rejects_mutations(text: str, message: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        Gtin.parse(text)
    assert str(caught.value) == message


def test_constructor_accepts_only_valid_gtin_14() -> None:
    with pytest.raises(IdentifierError) as caught:
        Gtin("9520123456788")  # mutation: GTIN-13 given to the 14-digit constructor
    assert str(caught.value) == "invalid GTIN-14 '9520123456788': expected 14 digits, found 13"


def test_gtin_is_immutable() -> None:
    gtin = Gtin.parse("09520123456788")
    with pytest.raises(AttributeError):
        gtin.value = "00000000000000"  # type: ignore[misc]
