"""GS1 Digital Link URIs: parsing, validation, rendering, building."""

from __future__ import annotations

import base64

import pytest

from trace.errors import IdentifierError
from trace.identifiers import DigitalLink, Gtin

STEM = "https://id.gs1.org"
KEY = f"{STEM}/01/09520123456788"
VALID = f"{KEY}/10/ABC1/21/12345?17=180426"
# An Ed25519-sized signature (64 bytes) in unpadded base64url: 86 characters.
SIGNATURE = base64.urlsafe_b64encode(bytes(range(64))).decode().rstrip("=")


def test_parse_takes_the_uri_apart() -> None:
    link = DigitalLink.parse(VALID)
    assert link.stem == STEM
    assert link.primary == ("01", "09520123456788")
    assert link.qualifiers == (("10", "ABC1"), ("21", "12345"))
    assert link.attributes == (("17", "180426"),)
    assert link.extra_query == ()
    assert link.ais == (
        ("01", "09520123456788"), ("10", "ABC1"), ("21", "12345"), ("17", "180426"),
    )
    assert link.gtin == Gtin("09520123456788")
    assert (link.lot, link.serial, link.signature) == ("ABC1", "12345", None)
    assert link.element_string() == "^010952012345678810ABC1^2112345^17180426"
    assert link.element_string("\x1d") == "\x1d010952012345678810ABC1\x1d2112345\x1d17180426"
    assert link.as_uri() == VALID
    assert str(link) == VALID


def test_custom_domain_and_path_prefix_form_the_stem() -> None:
    link = DigitalLink.parse("https://brand.example.com/a/b/01/09520123456788/21/7")
    assert link.stem == "https://brand.example.com/a/b"
    assert link.as_uri() == "https://brand.example.com/a/b/01/09520123456788/21/7"


def test_rightmost_primary_key_wins_over_lookalike_in_prefix() -> None:
    # From GS1's syntax engine tests (src/c-lib/dl.c): "fake AI in stem".
    link = DigitalLink.parse("https://a/00/faux/00/006141411234567890")
    assert link.stem == "https://a/00/faux"
    assert link.primary == ("00", "006141411234567890")


def test_gtin_13_in_path_is_normalised_to_14_digits() -> None:
    link = DigitalLink.parse("https://id.gs1.org/01/9520123456788/21/7")
    assert link.primary == ("01", "09520123456788")
    assert link.as_uri() == "https://id.gs1.org/01/09520123456788/21/7"


def test_scheme_is_lowercased_and_fragment_dropped() -> None:
    link = DigitalLink.parse("HTTPS://id.gs1.org/01/09520123456788/21/7#section")
    assert link.as_uri() == "https://id.gs1.org/01/09520123456788/21/7"


def test_non_ai_query_parameters_are_kept_after_the_attributes() -> None:
    link = DigitalLink.parse(f"{KEY}?linkType=gs1%3Apip&17=180426&&flag")
    assert link.attributes == (("17", "180426"),)
    assert link.extra_query == (("linkType", "gs1:pip"), ("flag", ""))
    assert link.as_uri() == f"{KEY}?17=180426&linkType=gs1%3Apip&flag"


def test_day_00_means_end_of_month_in_expiry() -> None:
    assert DigitalLink.parse(f"{KEY}?17=180400").attributes == (("17", "180400"),)


def test_percent_encoding_round_trip() -> None:
    lot = 'A/B%C"D'
    link = DigitalLink.build(stem=STEM, gtin="09520123456788", lot=lot, serial="1")
    uri = link.as_uri()
    assert uri == f"{KEY}/10/A%2FB%25C%22D/21/1"
    assert DigitalLink.parse(uri).lot == lot
    assert DigitalLink.parse(uri) == link


def test_plus_is_literal_in_path_and_a_space_in_query() -> None:
    # From GS1's syntax engine tests (src/c-lib/dl.c).
    link = DigitalLink.parse("https://a/01/12312312312333/22/ABC+123?99=ABC&98=XYZ%2f987")
    assert link.element_string() == "^011231231231233322ABC+123^99ABC^98XYZ/987"
    assert link.as_uri() == "https://a/01/12312312312333/22/ABC%2B123?99=ABC&98=XYZ%2F987"
    with pytest.raises(IdentifierError, match="found ' ' at position 4"):
        DigitalLink.parse("https://a/01/12312312312333?98=XYZ+987")


def test_signature_accepted_with_serialised_key() -> None:
    uri = f"{KEY}/10/ABC1/21/12345?8030={SIGNATURE}"
    link = DigitalLink.parse(uri)
    assert link.signature == SIGNATURE
    assert link.as_uri() == uri
    assert link.element_string() == f"^010952012345678810ABC1^2112345^8030{SIGNATURE}"


def test_signature_accepted_with_sscc() -> None:
    link = DigitalLink.parse(f"{STEM}/00/006141411234567890?8030={SIGNATURE}")
    assert link.signature == SIGNATURE


@pytest.mark.parametrize(
    ("uri", "reason"),
    [
        pytest.param(
            f"{STEM}/01/09520123456789/10/ABC1/21/12345?17=180426",
            "invalid GTIN '09520123456789': check digit should be 8, found 9",
            id="wrong-check-digit",
        ),
        pytest.param(
            f"{KEY}/21/12345/10/ABC1?17=180426",
            "invalid key qualifiers of AI (01): expected the order 22, 10, 21, found 10 after 21",
            id="serial-before-lot",
        ),
        pytest.param(
            f"{KEY}/10/ABC1/10/ABC2?17=180426",
            "invalid Digital Link: AI (10) appears twice",
            id="lot-twice-in-path",
        ),
        pytest.param(
            f"{KEY}/10/ABC1/235/X?17=180426",
            "invalid key qualifiers of AI (01): expected qualifiers from (22, 10, 21) or"
            " (235), found 10, 235",
            id="mixed-qualifier-sequences",
        ),
        pytest.param(
            f"{KEY}/10/ABC1/17/180426",
            "invalid key qualifiers of AI (01): expected qualifiers from (22, 10, 21) or"
            " (235), found 10, 17",
            id="attribute-in-path",
        ),
        pytest.param(
            f"{STEM}/414/9520123456788/22/2A",
            "invalid key qualifiers of AI (414): expected qualifiers from (254) or (7040),"
            " found 22",
            id="cpv-on-gln",
        ),
        pytest.param(
            f"{STEM}/00/006141411234567890/21/12345",
            "invalid key qualifiers of AI (00): expected none, found 21",
            id="serial-on-sscc",
        ),
        pytest.param(
            f"{KEY}/10/AB%20C/21/12345?17=180426",
            "invalid AI (10) value 'AB C': expected CSET 82 characters, found ' ' at position 3",
            id="encoded-space-in-lot",
        ),
        pytest.param(
            f"{KEY}/10/AB%23C/21/12345?17=180426",
            "invalid AI (10) value 'AB#C': expected CSET 82 characters, found '#' at position 3",
            id="encoded-hash-in-lot",
        ),
        pytest.param(
            f"{KEY}/10/AB C/21/12345?17=180426",
            "expected only URI characters (RFC 3986), found ' ' at position 43",
            id="raw-space-in-lot",
        ),
        pytest.param(
            f"{KEY}/10/ABC%2/21/12345?17=180426",
            "expected '%' followed by two hex digits, found '%2' in 'ABC%2'",
            id="truncated-percent-escape",
        ),
        pytest.param(
            f"{KEY}/10/ABC1/21/{'1' * 21}?17=180426",
            f"invalid AI (21) value '{'1' * 21}': expected 1 to 20 characters (X..20), found 21",
            id="serial-21-characters",
        ),
        pytest.param(
            f"{KEY}/10/ABC1/21/12345?17=181332",
            "invalid AI (17) value '181332': expected a month 01-12, found 13",
            id="expiry-month-13",
        ),
        pytest.param(
            f"{KEY}/10/ABC1/21/12345?17=180230",
            "invalid AI (17) value '180230': expected a day that exists in 2018-02, found 30",
            id="expiry-30-february",
        ),
        pytest.param(
            f"{KEY}/10/ABC1/21/12345?17=180426&17=180427",
            "invalid Digital Link: AI (17) appears twice",
            id="expiry-twice",
        ),
        pytest.param(
            f"{KEY}/10/ABC1/21/12345?17=180426&01=09520123456788",
            "invalid Digital Link: AI (01) appears twice",
            id="key-repeated-in-query",
        ),
        pytest.param(
            f"{KEY}/10/ABC1?17=180426&21=12345",
            "invalid data attribute AI (21): it is a key qualifier of AI (01), expected in"
            " the URI path, found in the query",
            id="serial-in-query",
        ),
        pytest.param(
            f"{STEM}/00/006141411234567890?21=12345",
            "invalid data attribute AI (21): expected an AI that GS1 allows in a Digital"
            " Link query, found SERIAL",
            id="serial-in-query-of-sscc",
        ),
        pytest.param(
            f"{KEY}/10/ABC1/21/12345?17=180426&999=1",
            "expected numeric query parameters to be known AIs, found '999'",
            id="unknown-numeric-parameter",
        ),
        pytest.param(
            f"{KEY}/10/ABC1/21/12345?17=",
            "expected a value for AI (17), found none",
            id="empty-attribute",
        ),
        pytest.param(
            f"{KEY}/10/ABC1/21/12345/?17=180426",
            "expected the path to end with an AI value, found a trailing '/'",
            id="trailing-slash",
        ),
        pytest.param(
            "ftp://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426",
            "expected scheme http:// or https://, found 'ftp://id'",
            id="ftp-scheme",
        ),
        pytest.param(
            "https://evil.example@id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426",
            "expected a host name, found '@' in 'evil.example@id.gs1.org'",
            id="userinfo-in-authority",
        ),
        pytest.param(
            f"{STEM}/gtin/09520123456788/10/ABC1/21/12345?17=180426",
            "expected a path ending in a primary key (00, 01, 253, 255, 401, 402, 414, 415,"
            " 417, 8003, 8004, 8006, 8010, 8013, 8017, 8018) followed by its value and"
            " qualifiers, found '/gtin/09520123456788/10/ABC1/21/12345'",
            id="convenience-alpha-key",
        ),
    ],
)
def test_rejects_mutations_of_a_valid_uri(uri: str, reason: str) -> None:
    DigitalLink.parse(VALID)  # the original every case mutates
    with pytest.raises(IdentifierError) as caught:
        DigitalLink.parse(uri)
    assert str(caught.value) == f"invalid Digital Link URI {uri!r}: {reason}"


def test_signature_rejected_without_serial() -> None:
    uri = f"{KEY}/10/ABC1?8030={SIGNATURE}"  # mutation: /21/12345 removed
    with pytest.raises(IdentifierError) as caught:
        DigitalLink.parse(uri)
    assert str(caught.value).endswith(
        "invalid AI (8030) digital signature: expected it together with a key that"
        " identifies one instance (00, 01+21, 03+21, 253, 255, 8003, 8004, 8006+21,"
        " 8010+8011, 8017 or 8018), found AIs 01, 10, 8030"
    )


def test_signature_longer_than_90_characters_rejected() -> None:
    too_long = SIGNATURE + "A" * 5  # 91 characters
    with pytest.raises(IdentifierError) as caught:
        DigitalLink.parse(f"{KEY}/10/ABC1/21/12345?8030={too_long}")
    assert str(caught.value).endswith(
        f"invalid AI (8030) value {too_long!r}: expected 1 to 90 characters (Z..90), found 91"
    )


def test_signature_with_standard_base64_characters_rejected() -> None:
    with pytest.raises(IdentifierError, match=r"expected CSET 64 \(base64url\) characters, found '\+'"):
        DigitalLink.parse(f"{KEY}/21/12345?8030=AB%2BC")


def test_build_common_case() -> None:
    link = DigitalLink.build(
        stem="https://brand.example.com/",
        gtin=Gtin.parse("9520123456788"),
        lot="ABC1",
        serial="12345",
        attributes=[("17", "180426"), ("8030", SIGNATURE)],
    )
    assert link.as_uri() == (
        "https://brand.example.com/01/09520123456788/10/ABC1/21/12345"
        f"?17=180426&8030={SIGNATURE}"
    )
    assert DigitalLink.parse(link.as_uri()) == link


def test_build_with_gtin_only() -> None:
    assert DigitalLink.build(stem=STEM, gtin="9520123456788").as_uri() == KEY


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"gtin": "9520123456789"}, "invalid GTIN '9520123456789': check digit should be 8, found 9", id="bad-gtin"),
        pytest.param({"serial": "A B"}, "invalid AI (21) value 'A B': expected CSET 82 characters, found ' ' at position 2", id="space-in-serial"),
        pytest.param({"serial": None, "attributes": [("8030", SIGNATURE)]}, "invalid AI (8030) digital signature", id="signature-without-serial"),
        pytest.param({"stem": "https://id.gs1.org?x=1"}, "invalid Digital Link stem 'https://id.gs1.org?x=1'", id="query-in-stem"),
        pytest.param({"stem": "id.gs1.org"}, "invalid Digital Link stem 'id.gs1.org'", id="stem-without-scheme"),
    ],
)
def test_build_rejects_mutations(changes: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"stem": STEM, "gtin": "09520123456788", "lot": "L1", "serial": "S1"}
    DigitalLink.build(**arguments)  # type: ignore[arg-type]
    arguments.update(changes)
    with pytest.raises(IdentifierError) as caught:
        DigitalLink.build(**arguments)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message)


def test_constructor_validates_too() -> None:
    with pytest.raises(IdentifierError, match="expected a non-numeric name"):
        DigitalLink(STEM, ("01", "09520123456788"), extra_query=(("17", "180426"),))
    with pytest.raises(IdentifierError, match=r"invalid Digital Link primary key AI \(10\)"):
        DigitalLink(STEM, ("10", "ABC1"))


def test_from_element_string_fnc1_form() -> None:
    link = DigitalLink.from_element_string("^0109520123456788172012313103000195^21ABC^10L1", STEM)
    assert link.as_uri() == f"{KEY}/10/L1/21/ABC?17=201231&3103=000195"


def test_from_element_string_other_key() -> None:
    link = DigitalLink.from_element_string("(414)9520123456788(254)32a/b", STEM)
    assert link.as_uri() == f"{STEM}/414/9520123456788/254/32a%2Fb"


def test_from_element_string_needs_a_primary_key() -> None:
    with pytest.raises(IdentifierError, match="expected a primary key"):
        DigitalLink.from_element_string("(10)ABC(17)180426", STEM)
