"""GS1 character sets (General Specifications 7.11)."""

from __future__ import annotations

import pytest

from trace.errors import IdentifierError
from trace.identifiers.character_sets import CharacterSet, verify_characters

CSET82 = (
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)


def test_cset82_has_82_characters_all_accepted() -> None:
    assert len(set(CSET82)) == 82
    verify_characters(CSET82, CharacterSet.CSET82, what="AI (10) value")


@pytest.mark.parametrize(
    ("char", "position"),
    [(" ", 3), ("#", 3), ("$", 3), ("@", 3), ("[", 3), ("\\", 3), ("^", 3), ("`", 3),
     ("{", 3), ("|", 3), ("}", 3), ("~", 3), ("\x1d", 3), ("é", 3)],
)
def test_cset82_rejects_characters_outside_the_set(char: str, position: int) -> None:
    value = f"AB{char}C"  # mutation of "ABC": one foreign character inserted
    with pytest.raises(IdentifierError) as caught:
        verify_characters(value, CharacterSet.CSET82, what="AI (10) value")
    assert str(caught.value) == (
        f"invalid AI (10) value {value!r}: expected CSET 82 characters, found {char!r} at position {position}"
    )


def test_cset39() -> None:
    verify_characters("ABC-123/#", CharacterSet.CSET39, what="AI (8010) value")
    with pytest.raises(IdentifierError, match="expected CSET 39 characters, found 'a' at position 3"):
        verify_characters("ABa", CharacterSet.CSET39, what="AI (8010) value")


# Padding cases from the GS1 Barcode Syntax Dictionary's CSET 64 linter tests.
@pytest.mark.parametrize("value", ["", "1", "12", "123", "12=", "1==", "0123456789-_"])
def test_cset64_accepts_base64url_with_optional_padding(value: str) -> None:
    verify_characters(value, CharacterSet.CSET64, what="AI (8030) value")


@pytest.mark.parametrize(
    ("value", "found"),
    [
        pytest.param("123=", "found 1 in a value of length 4", id="padding-on-length-4"),
        pytest.param("12==", "found 2 in a value of length 4", id="two-pads-on-length-4"),
        pytest.param("===", "found 3 in a value of length 3", id="only-padding"),
    ],
)
def test_cset64_rejects_bad_padding(value: str, found: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        verify_characters(value, CharacterSet.CSET64, what="AI (8030) value")
    assert str(caught.value).endswith(found)


@pytest.mark.parametrize(
    ("value", "message_end"),
    [
        pytest.param("1=3", "found '=' at position 2", id="padding-inside"),
        pytest.param("AB+/", "found '+' at position 3", id="standard-base64-plus"),
        pytest.param("AB C", "found ' ' at position 3", id="space"),
    ],
)
def test_cset64_rejects_non_url_safe_characters(value: str, message_end: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        verify_characters(value, CharacterSet.CSET64, what="AI (8030) value")
    assert str(caught.value) == (
        f"invalid AI (8030) value {value!r}: expected CSET 64 (base64url) characters, {message_end}"
    )
