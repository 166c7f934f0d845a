"""GLN: 13 digits with a check digit."""

from __future__ import annotations

import pytest

from trace.errors import IdentifierError
from trace.identifiers import Gln


def test_parse_valid_gln() -> None:
    gln = Gln.parse("9520123456788")
    assert gln.value == "9520123456788"
    assert str(gln) == "9520123456788"
    assert gln.as_hri() == "(414)9520123456788"
    assert gln.as_hri("417") == "(417)9520123456788"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "9520123456789",
            "invalid GLN '9520123456789': check digit should be 8, found 9",
            id="wrong-check-digit",
        ),
        pytest.param(
            "09520123456788",
            "invalid GLN '09520123456788': expected 13 digits, found 14",
            id="zero-padded-to-14",
        ),
        pytest.param(
            "952O123456788",
            "invalid GLN '952O123456788': expected digits only, found 'O' at position 4",
            id="letter-o-for-zero",
        ),
    ],
)
def test_parse_rejects_mutations(text: str, message: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        Gln.parse(text)
    assert str(caught.value) == message
