"""What an EPC scheme cannot hold: each case is one named mutation of a valid input.

Valid inputs: the TDS SGTIN-96 example (pure identity, tag URI, hex and Digital Link),
the TDS SGTIN-198 example and the TDS SSCC-96 example.
"""

from __future__ import annotations

from typing import Any

import pytest

from trace.errors import IdentifierError
from trace.identifiers.epc import Epc, decode, encode

PURE = "urn:epc:id:sgtin:0614141.812345.6789"
TAG = "urn:epc:tag:sgtin-96:3.0614141.812345.6789"
HEX = "3074257BF7194E4000001A85"
DL = "https://id.gs1.org/01/80614141123458/21/6789"
PURE_198 = "urn:epc:id:sgtin:0614141.712345.32a%2Fb"
HEX_198 = "3674257BF6B7A659B2C2BF100000000000000000000000000000"
PURE_SSCC = "urn:epc:id:sscc:0614141.1234567890"
SGTIN_96 = {"scheme": "sgtin-96", "filter": 3}
SGTIN_198 = {"scheme": "sgtin-198", "filter": 3}
SGTIN_96_HINT = (
    " (SGTIN-96 holds numbers below 2^38 written without leading zeros; sgtin-198 holds other values)"
)


def test_valid_inputs_are_valid() -> None:
    assert encode(PURE, **SGTIN_96) == encode(TAG) == HEX
    assert encode(DL, **SGTIN_96, company_prefix_length=7) == HEX
    assert encode(PURE_198, **SGTIN_198) == HEX_198
    assert decode(HEX).tag_uri == TAG


ENCODE_MUTATIONS = [
    pytest.param(
        PURE.replace("6789", "6789A"), SGTIN_96,
        f"invalid EPC pure identity URI '{PURE[:-4]}6789A': invalid SGTIN-96 serial '6789A':"
        f" expected digits only, found 'A' at position 5{SGTIN_96_HINT}",
        id="alphanumeric-serial-in-sgtin-96",
    ),
    pytest.param(
        PURE.replace("6789", "06789"), SGTIN_96,
        f"invalid EPC pure identity URI '{PURE[:-4]}06789': invalid SGTIN-96 serial '06789':"
        f" expected a number without leading zeros{SGTIN_96_HINT}",
        id="leading-zero-serial-in-sgtin-96",
    ),
    pytest.param(
        PURE.replace("6789", str(2**38)), SGTIN_96,
        f"invalid EPC pure identity URI '{PURE[:-4]}274877906944': invalid SGTIN-96 serial"
        f" '274877906944': expected a number below 2^38 (274877906944), found 274877906944"
        f"{SGTIN_96_HINT}",
        id="serial-2^38-in-sgtin-96",
    ),
    pytest.param(
        PURE.replace("6789", ""), SGTIN_96,
        f"invalid EPC pure identity URI '{PURE[:-4]}': invalid SGTIN-96 serial '':"
        f" expected digits, found nothing{SGTIN_96_HINT}",
        id="empty-serial",
    ),
    pytest.param(
        PURE, {"scheme": "sgtin-96", "filter": 8},
        f"invalid EPC pure identity URI '{PURE}': invalid EPC filter value 8: expected 0 to 7",
        id="filter-8",
    ),
    pytest.param(
        PURE, {"scheme": "sgtin-96", "filter": -1},
        f"invalid EPC pure identity URI '{PURE}': invalid EPC filter value -1: expected 0 to 7",
        id="filter-negative",
    ),
    pytest.param(
        TAG.replace(":3.", ":8."), {},
        f"invalid EPC tag URI '{TAG.replace(':3.', ':8.')}': invalid EPC filter value '8':"
        " expected one digit 0 to 7",
        id="tag-uri-filter-8",
    ),
    pytest.param(
        TAG, {"filter": 1},
        f"invalid EPC tag URI '{TAG}' for filter 1: the URI says 3",
        id="tag-uri-filter-contradicted",
    ),
    pytest.param(
        TAG, {"scheme": "sgtin-198"},
        f"invalid EPC tag URI '{TAG}' for scheme sgtin-198: the URI says sgtin-96",
        id="tag-uri-scheme-contradicted",
    ),
    pytest.param(
        TAG.replace("sgtin-96", "sgtin-97"), {},
        f"invalid EPC tag URI '{TAG.replace('sgtin-96', 'sgtin-97')}': expected one of the"
        " schemes sgtin-96, sgtin-198, sscc-96, sgln-96, sgln-195, grai-96, grai-170, giai-96,"
        " giai-202 after 'urn:epc:tag:', found 'sgtin-97'",
        id="tag-uri-unknown-scheme",
    ),
    pytest.param(
        PURE, {**SGTIN_96, "company_prefix_length": 8},
        f"invalid EPC URI '{PURE}' for company prefix length 8: its company prefix '0614141'"
        " has 7 digits",
        id="company-prefix-length-not-matching",
    ),
    pytest.param(
        PURE.replace("812345", "81234"), SGTIN_96,
        "invalid EPC pure identity URI 'urn:epc:id:sgtin:0614141.81234.6789': invalid SGTIN-96"
        " item reference '81234': expected 6 digits after a 7-digit company prefix, found 5",
        id="item-reference-digit-dropped",
    ),
    pytest.param(
        PURE.replace("0614141.812345", "06141.41812345"), SGTIN_96,
        "invalid EPC pure identity URI 'urn:epc:id:sgtin:06141.41812345.6789': invalid GS1"
        " company prefix '06141': expected 6 to 12 digits, found 5",
        id="company-prefix-5-digits",
    ),
    pytest.param(
        PURE.replace("0614141", "06l4141"), SGTIN_96,
        "invalid EPC pure identity URI 'urn:epc:id:sgtin:06l4141.812345.6789': invalid GS1"
        " company prefix '06l4141': expected 6 to 12 digits, found 'l' at position 3",
        id="company-prefix-letter",
    ),
    pytest.param(
        PURE.replace(".6789", ""), SGTIN_96,
        "invalid EPC pure identity URI 'urn:epc:id:sgtin:0614141.812345': expected 3"
        " dot-separated components after urn:epc:id:sgtin:, found 2",
        id="serial-component-missing",
    ),
    pytest.param(
        PURE.replace("sgtin", "sgtn"), SGTIN_96,
        "invalid EPC pure identity URI 'urn:epc:id:sgtn:0614141.812345.6789': expected one of"
        " the namespaces giai, grai, sgln, sgtin, sscc after 'urn:epc:id:', found 'sgtn'",
        id="unknown-namespace",
    ),
    pytest.param(
        PURE, {"scheme": "sscc-96", "filter": 3},
        f"invalid EPC pure identity URI '{PURE}': scheme sscc-96 encodes urn:epc:id:sscc:…,"
        " found urn:epc:id:sgtin:…",
        id="scheme-of-another-namespace",
    ),
    pytest.param(
        PURE, {"scheme": "sgtin-64", "filter": 3},
        f"invalid EPC pure identity URI '{PURE}': unknown EPC scheme 'sgtin-64': expected one"
        " of sgtin-96, sgtin-198, sscc-96, sgln-96, sgln-195, grai-96, grai-170, giai-96,"
        " giai-202",
        id="unknown-scheme",
    ),
    pytest.param(
        PURE, {"filter": 3},
        f"cannot encode '{PURE}': it does not say its scheme; expected scheme to be given",
        id="pure-identity-without-scheme",
    ),
    pytest.param(
        PURE_198.replace("32a%2Fb", "32a%2Fb" + "x" * 16), SGTIN_198,
        f"invalid EPC pure identity URI '{PURE_198}{'x' * 16}': invalid SGTIN-198 serial"
        f" '32a/b{'x' * 16}': expected 1 to 20 characters, found 21",
        id="sgtin-198-serial-21-characters",
    ),
    pytest.param(
        PURE_198.replace("%2F", "/"), SGTIN_198,
        "invalid EPC pure identity URI 'urn:epc:id:sgtin:0614141.712345.32a/b': invalid"
        " SGTIN-198 serial '32a/b': expected GS1 characters with \" % & / < > ? written as"
        " %22 %25 %26 %2F %3C %3E %3F, found '/' at position 4",
        id="sgtin-198-slash-not-escaped",
    ),
    pytest.param(
        PURE_198.replace("%2F", "%23"), SGTIN_198,
        "invalid EPC pure identity URI 'urn:epc:id:sgtin:0614141.712345.32a%23b': invalid"
        " SGTIN-198 serial '32a#b': expected CSET 82 characters, found '#' at position 4",
        id="sgtin-198-escaped-character-outside-cset-82",
    ),
    pytest.param(
        PURE_198.replace("%2F", "%20"), SGTIN_198,
        "invalid EPC pure identity URI 'urn:epc:id:sgtin:0614141.712345.32a%20b': invalid"
        " SGTIN-198 serial '32a b': expected CSET 82 characters, found ' ' at position 4",
        id="sgtin-198-escaped-space",
    ),
    pytest.param(
        PURE_198.replace("%2F", "é"), SGTIN_198,
        "invalid EPC pure identity URI 'urn:epc:id:sgtin:0614141.712345.32aéb': invalid"
        " SGTIN-198 serial '32aéb': expected GS1 characters with \" % & / < > ? written as"
        " %22 %25 %26 %2F %3C %3E %3F, found 'é' at position 4",
        id="sgtin-198-non-ascii",
    ),
    pytest.param(
        PURE_SSCC.replace("1234567890", "12345678901"), {"scheme": "sscc-96", "filter": 2},
        "invalid EPC pure identity URI 'urn:epc:id:sscc:0614141.12345678901': invalid SSCC-96"
        " serial reference '12345678901': expected 10 digits after a 7-digit company prefix,"
        " found 11",
        id="sscc-serial-reference-too-long",
    ),
    pytest.param(
        "https://id.gs1.org/01/80614141123458/21/67A9", {**SGTIN_96, "company_prefix_length": 7},
        "invalid EPC for Digital Link 'https://id.gs1.org/01/80614141123458/21/67A9': invalid"
        f" SGTIN-96 serial '67A9': expected digits only, found 'A' at position 3{SGTIN_96_HINT}",
        id="digital-link-alphanumeric-serial-in-sgtin-96",
    ),
    pytest.param(
        "https://id.gs1.org/01/80614141123458", {**SGTIN_96, "company_prefix_length": 7},
        "invalid EPC for Digital Link 'https://id.gs1.org/01/80614141123458': sgtin-96 needs a"
        " serial, AI (21); the Digital Link has none",
        id="digital-link-without-serial",
    ),
    pytest.param(
        DL, {"scheme": "sscc-96", "filter": 3, "company_prefix_length": 7},
        f"invalid EPC for Digital Link '{DL}': sscc-96 encodes a GS1 key AI (00), found AI (01)"
        " in the Digital Link",
        id="digital-link-key-of-another-scheme",
    ),
    pytest.param(
        DL, SGTIN_96,
        f"cannot encode '{DL}': it does not say its company_prefix_length; expected"
        " company_prefix_length to be given",
        id="digital-link-without-company-prefix-length",
    ),
    pytest.param(
        DL, {**SGTIN_96, "company_prefix_length": 13},
        f"invalid EPC for Digital Link '{DL}': invalid company prefix length 13: expected 6 to 12",
        id="digital-link-company-prefix-length-13",
    ),
    pytest.param(
        DL.replace("3458", "3459"), {**SGTIN_96, "company_prefix_length": 7},
        "invalid Digital Link URI 'https://id.gs1.org/01/80614141123459/21/6789': invalid GTIN"
        " '80614141123459': check digit should be 8, found 9",
        id="digital-link-wrong-check-digit",
    ),
    pytest.param(
        "urn:epc:raw:96.x3074257BF7194E4000001A85", SGTIN_96,
        "invalid EPC URI 'urn:epc:raw:96.x3074257BF7194E4000001A85': expected an EPC tag URI"
        " (urn:epc:tag:…), a pure identity URI (urn:epc:id:…) or a GS1 Digital Link (https://…)",
        id="raw-uri",
    ),
]


@pytest.mark.parametrize(("uri", "options", "message"), ENCODE_MUTATIONS)
def test_encode_rejects(uri: str, options: dict[str, Any], message: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        encode(uri, **options)
    assert str(caught.value) == message


DECODE_MUTATIONS = [
    pytest.param(
        HEX + "00000001",
        "expected the 32 bits after the 96-bit sgtin-96 to be zero padding, found other bits set",
        id="non-zero-padding",
    ),
    pytest.param(
        HEX_198[:-1] + "4",
        "expected the 10 bits after the 198-bit sgtin-198 to be zero padding, found other bits set",
        id="non-zero-padding-inside-last-word",
    ),
    pytest.param(
        "3F" + HEX[2:],
        "expected a header 30 (sgtin-96), 36 (sgtin-198), 31 (sscc-96), 32 (sgln-96),"
        " 39 (sgln-195), 33 (grai-96), 37 (grai-170), 34 (giai-96), 38 (giai-202), found '3F'",
        id="unknown-header",
    ),
    pytest.param(
        "31" + HEX[2:], "expected the last 24 bits (reserved) to be zero, found 0x1a85",
        id="header-says-sscc-96",
    ),
    pytest.param(
        "36" + HEX[2:], "expected at least 50 hex digits for sgtin-198, found 24",
        id="header-says-sgtin-198",
    ),
    pytest.param(
        "307C" + HEX[4:], "expected a partition value from 0 to 6, found 7", id="partition-7",
    ),
    pytest.param(HEX[:-2], "expected at least 24 hex digits for sgtin-96, found 22", id="truncated"),
    pytest.param(HEX[:-1] + "G", "expected hexadecimal digits, found 'G'", id="non-hex-digit"),
    pytest.param("0x" + HEX, "expected hexadecimal digits, found 'x'", id="0x-prefix"),
    pytest.param("", "expected hexadecimal digits, found nothing", id="empty"),
    pytest.param(
        HEX + "0" * 105, "expected at most 128 hex digits (a full EPC bank), found 129",
        id="longer-than-an-epc-bank",
    ),
    pytest.param(
        "3003FFFFFFFFFC0000000000",
        "expected the company prefix to fit 12 digits, found 1099511627775",
        id="company-prefix-overflow",
    ),
    pytest.param(
        "3074257BF7FFFFC000001A85",
        "expected the item reference to fit 6 digits, found 1048575",
        id="item-reference-overflow",
    ),
    pytest.param(
        "3674257BF6B7A659B2C2BF100000000000000000000000000400",
        "expected the serial to end with zero bits, found non-zero bits after '32a/b'",
        id="sgtin-198-bits-after-serial-end",
    ),
    pytest.param(
        "3674257BF6B7A659B246BF100000000000000000000000000000",
        "invalid SGTIN-198 serial '32#/b': expected CSET 82 characters, found '#' at position 3",
        id="sgtin-198-character-outside-cset-82",
    ),
]


@pytest.mark.parametrize(("hex_text", "message"), DECODE_MUTATIONS)
def test_decode_rejects(hex_text: str, message: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        decode(hex_text)
    assert str(caught.value) == f"invalid EPC binary {hex_text!r}: {message}"


def test_constructor_checks_like_the_parsers() -> None:
    with pytest.raises(IdentifierError, match=r"^invalid SSCC-96: expected no serial, found '1'$"):
        Epc("sscc-96", 0, "0614141", "1234567890", "1")
    with pytest.raises(IdentifierError, match=r"^invalid SGTIN-96: expected a serial, found none$"):
        Epc("sgtin-96", 0, "0614141", "812345")
    with pytest.raises(TypeError):
        Epc("sgtin-96", "3", "0614141", "812345", "1")  # type: ignore[arg-type]
