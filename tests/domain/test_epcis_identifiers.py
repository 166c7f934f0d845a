"""EPC URNs, Digital Links and private URIs in events: one index key per identified thing.

Expected GS1 keys are worked by hand from the GS1 EPC Tag Data Standard (section 7) and
agree with the Digital Link forms GS1's Event Hash ID reference implementation produces
for the same URNs (tests/vectors/gs1/event_hash_reference_prehashes.json).
"""

from __future__ import annotations

import pytest

from trace.domain.epcis import ais_from_epc_urn, epc_urn_from_ais, parse_identifier
from trace.errors import IdentifierError

# (EPC URN, GS1 element string key, constrained canonical Digital Link, company prefix length)
EPC_CASES = [
    ("urn:epc:id:sgtin:0614141.107346.2017", "0110614141073464212017",
     "https://id.gs1.org/01/10614141073464/21/2017", 7),
    ("urn:epc:id:sgtin:0614141.107346.S%2F1", "011061414107346421S/1",
     "https://id.gs1.org/01/10614141073464/21/S%2F1", 7),
    ("urn:epc:id:sscc:0614141.1234567890", "00106141412345678908",
     "https://id.gs1.org/00/106141412345678908", 7),
    ("urn:epc:id:sgln:0614141.07346.1234", "41406141410734672541234",
     "https://id.gs1.org/414/0614141073467/254/1234", 7),
    ("urn:epc:id:sgln:0614141.00888.0", "4140614141008889", "https://id.gs1.org/414/0614141008889", 7),
    ("urn:epc:id:pgln:4012345.00225", "4174012345002256", "https://id.gs1.org/417/4012345002256", 7),
    ("urn:epc:id:grai:4012345.00077.8765", "8003040123450007718765",
     "https://id.gs1.org/8003/040123450007718765", 7),
    ("urn:epc:id:giai:4000001.111", "80044000001111", "https://id.gs1.org/8004/4000001111", 7),
    ("urn:epc:id:gsrn:0614141.0000010253", "8018061414100000102534",
     "https://id.gs1.org/8018/061414100000102534", 7),
    ("urn:epc:id:gdti:0614141.00001.1618034", "25306141410000121618034",
     "https://id.gs1.org/253/06141410000121618034", 7),
    ("urn:epc:class:lgtin:4012345.011111.4444", "0104012345111118104444",
     "https://id.gs1.org/01/04012345111118/10/4444", 7),
    ("urn:epc:idpat:sgtin:4012345.066666.*", "0104012345666663", "https://id.gs1.org/01/04012345666663", 7),
    ("urn:epc:id:sgtin:952012345678.1.7", "0119520123456785217", "https://id.gs1.org/01/19520123456785/21/7", 12),
]


@pytest.mark.parametrize(("urn", "key", "link", "prefix_length"), EPC_CASES)
def test_epc_urns_give_the_gs1_key_the_digital_link_and_back(urn: str, key: str, link: str,
                                                              prefix_length: int) -> None:
    identifier = parse_identifier(urn)
    assert (identifier.kind, identifier.key, identifier.as_digital_link()) == ("epc", key, link)
    assert identifier.as_epc_urn(company_prefix_length=prefix_length) == urn
    from_link = parse_identifier(link)
    assert (from_link.kind, from_link.key) == ("digital_link", key)
    assert from_link.as_epc_urn(company_prefix_length=prefix_length) == urn


@pytest.mark.parametrize(
    "link",
    [
        "https://id.gs1.org/01/10614141073464/21/2017",
        "https://brand.example/01/10614141073464/21/2017",
        "https://brand.example/path/01/10614141073464/22/V1/10/LOT1/21/2017?17=261231&utm=x",
        "http://brand.example/01/10614141073464/21/2017#top",
    ],
)
def test_digital_links_on_any_domain_with_any_extras_share_the_urn_key(link: str) -> None:
    assert parse_identifier(link).key == parse_identifier("urn:epc:id:sgtin:0614141.107346.2017").key
    assert parse_identifier(link).as_digital_link() == "https://id.gs1.org/01/10614141073464/21/2017"


def test_a_lot_level_digital_link_keeps_its_lot() -> None:
    identifier = parse_identifier("https://brand.example/01/04012345111118/10/4444?17=261231")
    assert identifier.key == parse_identifier("urn:epc:class:lgtin:4012345.011111.4444").key


@pytest.mark.parametrize(
    "uri",
    ["urn:acme:unit:123", "https://acme.example/unit/1", "urn:epcglobal:cbv:bt:0614141073467:1152",
     "https://brand.example/01/123"],  # not a valid Digital Link on a private domain: a private URI
)
def test_private_uris_are_their_own_key(uri: str) -> None:
    identifier = parse_identifier(uri)
    assert (identifier.kind, identifier.key, identifier.ais, identifier.as_digital_link()) == (
        "private", uri, (), uri)
    with pytest.raises(IdentifierError, match="it is not a GS1 identifier"):
        identifier.as_epc_urn(company_prefix_length=7)


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("urn:epc:id:sgtin:0614141.812345",  # the serial is missing
         "invalid EPC URI 'urn:epc:id:sgtin:0614141.812345': expected 3 dot-separated fields"
         " (company prefix, indicator and item reference, serial), found 2"),
        ("urn:epc:id:sgtin:0614141.81234.1",  # one digit short
         "invalid EPC URI 'urn:epc:id:sgtin:0614141.81234.1': expected company prefix and indicator"
         " and item reference to have 13 digits together, found 12"),
        ("urn:epc:id:sgtin:061414a.812345.1",
         "invalid EPC URI 'urn:epc:id:sgtin:061414a.812345.1': invalid company prefix '061414a':"
         " expected 6 to 12 digits"),
        ("urn:epc:id:sgtin:0614141.812345.123456789012345678901",
         "invalid EPC URI 'urn:epc:id:sgtin:0614141.812345.123456789012345678901': invalid AI (21)"
         " value '123456789012345678901': expected 1 to 20 characters (X..20), found 21"),
        ("urn:epc:id:sgtin:0614141.812345.a b",
         "invalid EPC URI 'urn:epc:id:sgtin:0614141.812345.a b': invalid serial 'a b': expected URI"
         " component characters"),
        ("urn:epc:id:usdod:2S194.12345678901",
         "invalid EPC URI 'urn:epc:id:usdod:2S194.12345678901': unsupported scheme 'id:usdod', expected"
         " one of id:sgtin, id:sscc, id:sgln, id:pgln, id:grai, id:giai, id:gsrn, id:gsrnp, id:gdti,"
         " id:sgcn, class:lgtin, idpat:sgtin"),
        ("urn:epc:idpat:sgtin:0614141.812345.1",
         "invalid EPC URI 'urn:epc:idpat:sgtin:0614141.812345.1': expected a pattern ending in '.*'"
         " (a whole GTIN)"),
        ("https://id.gs1.org/01/10614141073465/21/1",  # wrong check digit on GS1's own resolver
         "invalid Digital Link URI 'https://id.gs1.org/01/10614141073465/21/1': invalid GTIN"
         " '10614141073465': check digit should be 4, found 5"),
        ("shipping", "invalid identifier 'shipping': expected an absolute URI"),
    ],
)
def test_malformed_identifiers_are_refused(uri: str, message: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_identifier(uri)
    assert str(caught.value) == message


def test_epc_urn_from_ais_needs_a_scheme_and_a_sane_prefix_length() -> None:
    assert ais_from_epc_urn("urn:epc:id:sscc:0614141.1234567890") == (("00", "106141412345678908"),)
    with pytest.raises(ValueError, match="company prefix length must be 6 to 12, got 13"):
        epc_urn_from_ais((("00", "106141412345678908"),), company_prefix_length=13)
    with pytest.raises(IdentifierError, match="no EPC URI for GS1 key AIs 8006"):
        epc_urn_from_ais((("8006", "106141410734640102"),), company_prefix_length=7)
