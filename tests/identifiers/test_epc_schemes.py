"""Every EPC scheme against exact published encodings, GS1 keys and padding rules.

Sources of the exact values (facts, no code copied):
- TDS: the worked examples of the GS1 EPC Tag Data Standard, one per scheme, as also
  asserted by the TDSStandard tests of github.com/dannyhaak/TagDataTranslation (its notes
  correct two typos of the standard's text: SGTIN-198 item reference 712345, GIAI-202
  without the extra zero);
- TDT: the page-13 SGTIN-96 example of the GS1 Tag Data Translation standard 1.6;
- OSS: GS1EpcTagDataCustomTranslationTest of github.com/sderbis/epc-tag-data-translation.
Hex from sources that pad to a nibble is padded here with zero digits to 16-bit words.
"""

from __future__ import annotations

import pytest

from trace.identifiers import Gln, Gtin, Sscc
from trace.identifiers.epc import FILTER_VALUES, SCHEMES, Epc, decode, encode

EXAMPLES = [
    # (source, tag URI, hex as published)
    ("TDS", "urn:epc:tag:sgtin-96:3.0614141.812345.6789", "3074257BF7194E4000001A85"),
    ("TDS", "urn:epc:tag:sgtin-198:3.0614141.712345.32a%2Fb",
     "3674257BF6B7A659B2C2BF1000000000000000000000000000"),
    ("TDS", "urn:epc:tag:sscc-96:3.0614141.1234567890", "3174257BF4499602D2000000"),
    ("TDS", "urn:epc:tag:sgln-96:3.0614141.12345.5678", "3274257BF46072000000162E"),
    ("TDS", "urn:epc:tag:sgln-195:3.0614141.12345.32a%2Fb",
     "3974257BF46072CD9615F8800000000000000000000000000"),
    ("TDS", "urn:epc:tag:grai-96:3.0614141.12345.5678", "3374257BF40C0E400000162E"),
    ("TDS", "urn:epc:tag:grai-170:3.0614141.12345.32a%2Fb",
     "3774257BF40C0E59B2C2BF100000000000000000000"),
    ("TDS", "urn:epc:tag:giai-96:3.0614141.5678", "3474257BF40000000000162E"),
    ("TDS", "urn:epc:tag:giai-202:3.0614141.32a%2Fb",
     "3874257BF59B2C2BF1000000000000000000000000000000000"),
    ("TDT", "urn:epc:tag:sgtin-96:3.0037000.030241.1041970", "30740242201D8840000FE632"),
    ("OSS", "urn:epc:tag:sgtin-96:1.8710966.061035.1606", "303613ACD83B9AC000000646"),
    ("OSS", "urn:epc:tag:sgtin-198:1.8710966.061035.%252522",
     "363613ACD83B9AD2B26AC9900000000000000000000000000000"),
    ("OSS", "urn:epc:tag:sscc-96:0.12345678.090123456", "31105E30A7055F2CC0000000"),
    ("OSS", "urn:epc:tag:sgln-96:1.12345678.9012.1234567890", "32305E30A7466800499602D2"),
    ("OSS", "urn:epc:tag:sgln-195:1.12345678.9012.ABCDEF!%261=2",
     "39305E30A746690614389163214CC5EB20000000000000000000"),
    ("OSS", "urn:epc:tag:grai-96:0.123456789.012.1", "330C75BCD150030000000001"),
    ("OSS", "urn:epc:tag:grai-170:7.12345678901.2.ABcdE!GGH-;%26*a%25",
     "37E45BFB8386A0A0C2C7922A18F1E42D76995614A000"),
    ("OSS", "urn:epc:tag:giai-96:1.1234567.1", "34344B5A1C00000000000001"),
    ("OSS", "urn:epc:tag:giai-202:1.1234567.1AaBbKkZz!%3F%252225%25%25''%25",
     "38344B5A1D8C1C30B14BD76BD217E9593264D52A54E9D2800000"),
]


def word_padded(hex_text: str) -> str:
    return hex_text.ljust(-(-len(hex_text) // 4) * 4, "0")


@pytest.mark.parametrize(("source", "tag_uri", "hex_text"), EXAMPLES, ids=[e[1] for e in EXAMPLES])
def test_published_example_both_ways(source: str, tag_uri: str, hex_text: str) -> None:
    epc = Epc.from_tag_uri(tag_uri)
    assert epc.to_hex() == word_padded(hex_text)
    assert Epc.from_hex(hex_text) == epc
    assert Epc.from_hex(hex_text.lower()) == epc
    assert decode(hex_text).tag_uri == tag_uri


def test_sgtin_96_example_every_form() -> None:
    epc = Epc.from_pure_identity("urn:epc:id:sgtin:0614141.812345.6789", scheme="sgtin-96", filter=3)
    assert epc == Epc("sgtin-96", 3, "0614141", "812345", "6789")
    assert (epc.partition, epc.item_reference, epc.serial) == (5, "812345", "6789")
    assert epc.tag_uri == "urn:epc:tag:sgtin-96:3.0614141.812345.6789"
    assert epc.to_hex() == "3074257BF7194E4000001A85"
    assert epc.to_int() == 0x3074257BF7194E4000001A85
    assert epc.to_bytes() == bytes.fromhex("3074257BF7194E4000001A85")
    # The indicator digit 8 leaves the item reference and goes first; check digit 8 is added.
    assert epc.gtin == Gtin("80614141123458")
    assert epc.to_digital_link().as_uri() == "https://id.gs1.org/01/80614141123458/21/6789"
    assert epc.to_digital_link("https://brand.example/").as_uri() == (
        "https://brand.example/01/80614141123458/21/6789"
    )
    assert epc.element_string().as_hri() == "(01)80614141123458(21)6789"
    assert (epc.sscc, epc.gln, epc.serial_reference, epc.asset_type) == (None, None, None, None)


def test_gtin_13_item_has_indicator_zero_first() -> None:
    epc = Epc.from_digital_link("https://id.gs1.org/01/9520123456788/21/1", scheme="sgtin-96",
                                filter=1, company_prefix_length=7)
    assert epc.pure_identity == "urn:epc:id:sgtin:9520123.045678.1"
    assert epc.gtin == Gtin("09520123456788")


def test_sscc_extension_digit_goes_first() -> None:
    epc = Epc.from_tag_uri("urn:epc:tag:sscc-96:2.0614141.1234567890")
    assert epc.serial_reference == "1234567890"
    assert epc.sscc == Sscc("106141412345678908")
    assert epc.serial is None


def test_sgln_extension_zero_means_no_extension() -> None:
    plain = Epc.from_digital_link("https://id.gs1.org/414/0614141123452", scheme="sgln-96",
                                  filter=0, company_prefix_length=7)
    assert plain.pure_identity == "urn:epc:id:sgln:0614141.12345.0"
    assert plain.extension == "0"
    assert plain.to_digital_link().as_uri() == "https://id.gs1.org/414/0614141123452"
    assert plain.gln == Gln("0614141123452")


def test_twelve_digit_prefix_leaves_an_empty_location_reference() -> None:
    epc = Epc.from_digital_link("https://id.gs1.org/414/0614141123452/254/5", scheme="sgln-96",
                                filter=0, company_prefix_length=12)
    assert epc.tag_uri == "urn:epc:tag:sgln-96:0.061414112345..5"
    assert epc.location_reference == ""
    assert Epc.from_hex(epc.to_hex()) == epc


def test_grai_and_giai_digital_links() -> None:
    grai = Epc.from_tag_uri("urn:epc:tag:grai-96:3.0614141.12345.5678")
    assert grai.asset_type == "12345"
    assert grai.to_digital_link().as_uri() == "https://id.gs1.org/8003/006141411234525678"
    giai = Epc.from_tag_uri("urn:epc:tag:giai-202:3.0614141.32a%2Fb")
    assert giai.asset_reference == "32a/b"
    assert giai.to_digital_link().as_uri() == "https://id.gs1.org/8004/061414132a%2Fb"


def test_digital_link_keeps_only_key_and_serial() -> None:
    uri = "https://id.gs1.org/01/80614141123458/10/LOT1/21/6789?17=260101"
    epc = Epc.from_digital_link(uri, scheme="sgtin-96", filter=3, company_prefix_length=7)
    assert epc.to_hex() == "3074257BF7194E4000001A85"


@pytest.mark.parametrize(
    "padding", ["", "0000", "00000000", "0" * 40], ids=["none", "one-word", "128-bit-bank", "long"]
)
def test_decoder_accepts_trailing_zero_padding(padding: str) -> None:
    assert Epc.from_hex("3074257BF7194E4000001A85" + padding).tag_uri == (
        "urn:epc:tag:sgtin-96:3.0614141.812345.6789"
    )


def test_nibble_and_word_padded_198_bit_encodings_decode_alike() -> None:
    nibble = "3674257BF6B7A659B2C2BF1000000000000000000000000000"
    assert len(nibble) == 50
    assert Epc.from_hex(nibble) == Epc.from_hex(nibble + "00")
    assert Epc.from_hex(nibble).to_hex() == nibble + "00"


def test_serial_boundaries_of_sgtin_96() -> None:
    assert encode("urn:epc:id:sgtin:0614141.812345.0", scheme="sgtin-96", filter=0) == (
        "3014257BF7194E4000000000"
    )
    top = encode("urn:epc:id:sgtin:0614141.812345.274877906943", scheme="sgtin-96", filter=0)
    assert top == "3014257BF7194E7FFFFFFFFF"
    assert decode(top).epc.serial == str(2**38 - 1)


def test_tag_uri_scheme_and_filter_may_be_restated() -> None:
    uri = "urn:epc:tag:sgtin-96:3.0614141.812345.6789"
    assert encode(uri, scheme="sgtin-96", filter=3, company_prefix_length=7) == (
        "3074257BF7194E4000001A85"
    )


def test_partition_tables_follow_the_standard() -> None:
    sgtin = SCHEMES["sgtin-96"].partitions
    assert [(p.prefix_bits, p.prefix_digits, p.reference_bits, p.reference_digits) for p in sgtin] == [
        (40, 12, 4, 1), (37, 11, 7, 2), (34, 10, 10, 3), (30, 9, 14, 4),
        (27, 8, 17, 5), (24, 7, 20, 6), (20, 6, 24, 7),
    ]
    sscc = SCHEMES["sscc-96"].partitions
    assert [(p.reference_bits, p.reference_digits) for p in sscc] == [
        (18, 5), (21, 6), (24, 7), (28, 8), (31, 9), (34, 10), (38, 11),
    ]
    sgln = SCHEMES["sgln-96"].partitions
    assert [(p.reference_bits, p.reference_digits) for p in sgln] == [
        (1, 0), (4, 1), (7, 2), (11, 3), (14, 4), (17, 5), (21, 6),
    ]
    assert [p.reference_bits for p in SCHEMES["giai-96"].partitions] == [42, 45, 48, 52, 55, 58, 62]
    assert [p.reference_digits for p in SCHEMES["giai-202"].partitions] == [18, 19, 20, 21, 22, 23, 24]


def test_headers_sizes_and_hex_lengths() -> None:
    assert {name: (f"{s.header:02X}", s.bits, s.hex_digits) for name, s in SCHEMES.items()} == {
        "sgtin-96": ("30", 96, 24), "sgtin-198": ("36", 198, 52), "sscc-96": ("31", 96, 24),
        "sgln-96": ("32", 96, 24), "sgln-195": ("39", 195, 52), "grai-96": ("33", 96, 24),
        "grai-170": ("37", 170, 44), "giai-96": ("34", 96, 24), "giai-202": ("38", 202, 52),
    }


def test_filter_value_names() -> None:
    assert FILTER_VALUES["sgtin"][1] == "point of sale (POS) trade item"
    assert FILTER_VALUES["sgtin"][2] == "full case for transport"
    assert FILTER_VALUES["sscc"][6] == "unit load"
    assert all(len(names) == 8 for names in FILTER_VALUES.values())
