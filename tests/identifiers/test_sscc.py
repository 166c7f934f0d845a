"""SSCC: 18 digits with a check digit."""

from __future__ import annotations

import pytest

from trace.errors import IdentifierError
from trace.identifiers import Sscc

# SSCC example of the GS1 General Specifications (also in GS1's syntax engine tests).
VALID = "006141411234567890"


def test_parse_valid_sscc() -> None:
    sscc = Sscc.parse(VALID)
    assert sscc.value == VALID
    assert sscc.extension_digit == 0
    assert sscc.as_hri() == "(00)006141411234567890"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "006141411234567891",
            "invalid SSCC '006141411234567891': check digit should be 0, found 1",
            id="wrong-check-digit",
        ),
        pytest.param(
            "06141411234567890",
            "invalid SSCC '06141411234567890': expected 18 digits, found 17",
            id="extension-digit-dropped",
        ),
        pytest.param(
            "(00)006141411234567890",
            "invalid SSCC '(00)006141411234567890': expected digits only, found '(' at position 1",
            id="hri-given-instead-of-key",
        ),
    ],
)
def test_parse_rejects_mutations(text: str, message: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        Sscc.parse(text)
    assert str(caught.value) == message
