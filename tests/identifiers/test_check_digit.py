"""GS1 mod-10 check digit (General Specifications 7.9.1)."""

from __future__ import annotations

import pytest

from trace.errors import IdentifierError
from trace.identifiers.check_digit import (
    compute_check_digit,
    verify_check_digit,
    verify_numeric_key,
)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("0952012345678", 8),  # GTIN-14 09520123456788 (GS1 Digital Link standard examples)
        ("00614141123456789", 0),  # SSCC 006141411234567890 (GS1 General Specifications)
        ("1231231231233", 3),  # GTIN 12312312312333 (GS1 syntax engine tests)
        ("0234567", 3),  # GTIN-8 02345673 (GS1 syntax engine tests)
        ("12345678901234567", 5),  # GSRN 123456789012345675 (GS1 syntax engine tests)
        ("0000000000000", 0),
    ],
)
def test_compute_check_digit(payload: str, expected: int) -> None:
    assert compute_check_digit(payload) == expected


@pytest.mark.parametrize("payload", ["", "12a4", "１２３"])
def test_compute_check_digit_refuses_non_digits_as_programmer_error(payload: str) -> None:
    with pytest.raises(ValueError):
        compute_check_digit(payload)


def test_verify_check_digit_accepts_valid_number() -> None:
    verify_check_digit("09520123456788", what="GTIN")


def test_verify_check_digit_names_expected_and_found_digit() -> None:
    with pytest.raises(IdentifierError) as caught:
        verify_check_digit("09520123456789", what="GTIN")  # mutation: last digit 8 -> 9
    assert str(caught.value) == "invalid GTIN '09520123456789': check digit should be 8, found 9"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "952012345678X",
            "invalid GLN '952012345678X': expected digits only, found 'X' at position 13",
            id="letter-for-check-digit",
        ),
        pytest.param(
            "952012345678",
            "invalid GLN '952012345678': expected 13 digits, found 12",
            id="one-digit-short",
        ),
        pytest.param(
            "9520123456787",
            "invalid GLN '9520123456787': check digit should be 8, found 7",
            id="wrong-check-digit",
        ),
    ],
)
def test_verify_numeric_key_mutations(text: str, message: str) -> None:
    verify_numeric_key("9520123456788", what="GLN", lengths=(13,))  # the valid original
    with pytest.raises(IdentifierError) as caught:
        verify_numeric_key(text, what="GLN", lengths=(13,))
    assert str(caught.value) == message


def test_verify_numeric_key_refuses_non_str() -> None:
    with pytest.raises(TypeError):
        verify_numeric_key(9520123456788, what="GLN", lengths=(13,))  # type: ignore[arg-type]
