"""EPC Tag Data Standard conformance vectors (tests/vectors/gs1/tds_vectors.json, see SOURCE.md).

Each vector is run both ways: URI -> binary and binary -> URI (and Digital Link where given).
The file writes 198-bit encodings padded to a nibble (50 hex digits); Tracemark writes whole
16-bit words (52), so encodings are compared after padding the vector with zero digits.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from trace.identifiers.epc import Epc, decode, encode

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "vectors" / "gs1" / "tds_vectors.json").read_text(encoding="utf-8")
)
CASES = VECTORS["vectors"]


def padded(hex_text: str, scheme: str) -> str:
    """The vector's hex padded with zero digits to whole 16-bit words."""
    bits = int(scheme.rsplit("-", 1)[1])
    return hex_text.ljust(-(-bits // 16) * 4, "0")


def test_vector_file_covers_every_required_scheme() -> None:
    assert sorted({case["scheme"] for case in CASES}) == ["sgln-96", "sgtin-198", "sgtin-96", "sscc-96"]
    assert len(CASES) == 5


@pytest.mark.parametrize("case", CASES, ids=lambda case: case["tag_uri"])
def test_tag_uri_encodes_to_vector_hex(case: dict[str, str]) -> None:
    assert encode(case["tag_uri"]) == padded(case["hex"], case["scheme"])


@pytest.mark.parametrize("case", CASES, ids=lambda case: case["tag_uri"])
def test_vector_hex_decodes_to_every_form(case: dict[str, str]) -> None:
    decoded = decode(case["hex"])
    assert decoded.scheme == case["scheme"]
    assert decoded.tag_uri == case["tag_uri"]
    assert decoded.filter == int(case["tag_uri"].split(":")[4].split(".")[0])
    if "pure_identity" in case:
        assert decoded.pure_identity == case["pure_identity"]
    if "digital_link" in case:
        assert decoded.digital_link == case["digital_link"]
    assert decoded.epc.element_string().as_hri() == case["element_string"]


@pytest.mark.parametrize(
    "case", [c for c in CASES if "pure_identity" in c], ids=lambda case: case["pure_identity"]
)
def test_pure_identity_encodes_with_scheme_and_filter(case: dict[str, str]) -> None:
    filter_value = decode(case["hex"]).filter
    hex_text = encode(case["pure_identity"], scheme=case["scheme"], filter=filter_value)
    assert hex_text == padded(case["hex"], case["scheme"])


@pytest.mark.parametrize(
    "case", [c for c in CASES if "digital_link" in c], ids=lambda case: case["digital_link"]
)
def test_digital_link_encodes_with_company_prefix_length(case: dict[str, str]) -> None:
    tag = Epc.from_tag_uri(case["tag_uri"])
    hex_text = encode(
        case["digital_link"],
        scheme=case["scheme"],
        filter=tag.filter,
        company_prefix_length=len(tag.company_prefix),
    )
    assert hex_text == padded(case["hex"], case["scheme"])
