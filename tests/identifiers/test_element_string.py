"""Element strings in bracketed (HRI) and FNC1 form."""

from __future__ import annotations

import pytest

from trace.errors import IdentifierError
from trace.identifiers import ElementString
from trace.identifiers.element_string import fnc1_element_string

AIS = (("01", "09520123456788"), ("10", "ABC1"), ("21", "12345"), ("17", "180426"))
BRACKETED = "(01)09520123456788(10)ABC1(21)12345(17)180426"
FNC1_FORM = "^010952012345678810ABC1^2112345^17180426"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(BRACKETED, id="bracketed"),
        pytest.param(FNC1_FORM, id="fnc1-caret"),
        pytest.param("\x1d010952012345678810ABC1\x1d2112345\x1d17180426", id="fnc1-ascii-gs"),
        pytest.param("]d2010952012345678810ABC1\x1d2112345\x1d17180426", id="aim-datamatrix"),
        pytest.param("]Q3010952012345678810ABC1\x1d2112345\x1d17180426", id="aim-qr"),
        pytest.param("]C1010952012345678810ABC1\x1d2112345\x1d17180426", id="aim-gs1-128"),
        pytest.param("]e0010952012345678810ABC1\x1d2112345\x1d17180426", id="aim-databar"),
        pytest.param("]d2^010952012345678810ABC1^2112345^17180426", id="aim-and-leading-fnc1"),
    ],
)
def test_both_forms_parse_to_the_same_ais(text: str) -> None:
    parsed = ElementString.parse(text)
    assert parsed.ais == AIS
    assert parsed.as_hri() == BRACKETED
    assert parsed.as_fnc1() == FNC1_FORM


def test_predefined_length_fields_need_no_separator_and_tolerate_one() -> None:
    # (17) is predefined-length, so (10) may follow it directly; a separator is tolerated.
    direct = ElementString.parse("^011231231231233317180426^10ABC")  # stray ^ after (17)
    assert direct.ais == (("01", "12312312312333"), ("17", "180426"), ("10", "ABC"))
    assert direct.as_fnc1() == "^01123123123123331718042610ABC"


def test_render_with_gs_separator() -> None:
    assert ElementString(AIS).as_fnc1("\x1d") == "\x1d010952012345678810ABC1\x1d2112345\x1d17180426"
    assert fnc1_element_string(AIS) == FNC1_FORM


def test_bracketed_value_may_hold_brackets_that_are_not_ais() -> None:
    assert ElementString.parse("(10)A(1)B(21)X").ais == (("10", "A(1)B"), ("21", "X"))


def test_get() -> None:
    parsed = ElementString.parse(BRACKETED)
    assert parsed.get("21") == "12345"
    assert parsed.get("22") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "(01)09520123456788(10)ABC1(21)12345(10)ABC2",
            "invalid element string '(01)09520123456788(10)ABC1(21)12345(10)ABC2':"
            " invalid element string: expected each AI once, found AI (10) twice",
            id="duplicate-ai",
        ),
        pytest.param(
            "(01)09520123456789(10)ABC1",
            "invalid element string '(01)09520123456789(10)ABC1':"
            " invalid AI (01) value '09520123456789': check digit should be 8, found 9",
            id="wrong-check-digit",
        ),
        pytest.param(
            "^010952012345678810ABC 1",
            "invalid element string '^010952012345678810ABC 1':"
            " invalid AI (10) value 'ABC 1': expected CSET 82 characters, found ' ' at position 4",
            id="space-in-lot",
        ),
        pytest.param(
            "^0109520123456788171813",
            "invalid element string '^0109520123456788171813':"
            " invalid AI (17) value '1813': expected 6 characters (N6), found 4",
            id="truncated-date",
        ),
        pytest.param(
            "^010952012345678817181332",
            "invalid element string '^010952012345678817181332':"
            " invalid AI (17) value '181332': expected a month 01-12, found 13",
            id="month-13",
        ),
        pytest.param(
            "^0109520123456788059",
            "invalid element string '^0109520123456788059': expected a known AI at"
            " position 18, found '059'",
            id="unknown-ai",
        ),
        pytest.param(
            "]X0010952012345678",
            "invalid element string ']X0010952012345678': expected a GS1 symbology"
            " identifier (]d2, ]Q3, ]C1, ]e0), found ']X0'",
            id="unknown-symbology",
        ),
        pytest.param(
            "01)09520123456788",
            "invalid element string '01)09520123456788': invalid AI (01) value"
            " ')0952012345678': expected digits only, found ')' at position 1",
            id="bracket-missing",
        ),
        pytest.param(
            "(1)09520123456788",
            "invalid element string '(1)09520123456788': expected it to start with a known"
            " (AI), found '(1)095'",
            id="one-digit-ai",
        ),
        pytest.param("^", "invalid element string '^': expected AIs, found none", id="only-fnc1"),
    ],
)
def test_rejects_mutations(text: str, message: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        ElementString.parse(text)
    assert str(caught.value) == message
