"""GS1 Digital Link conformance vectors (tests/vectors/gs1, see SOURCE.md there)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from trace.errors import IdentifierError
from trace.identifiers import DigitalLink

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "vectors" / "gs1" / "digital_link_vectors.json").read_text(
        encoding="utf-8"
    )
)


def test_vector_file_has_every_section() -> None:
    assert [len(VECTORS[part]) for part in ("valid", "invalid", "generation")] == [9, 2, 2]


@pytest.mark.parametrize("case", VECTORS["valid"], ids=lambda case: case["uri"])
def test_valid_uri_parses_to_exact_element_string(case: dict[str, str]) -> None:
    link = DigitalLink.parse(case["uri"])
    if "element_string" in case:
        assert link.element_string() == case["element_string"]
    # Every valid vector is already canonical, so it renders back unchanged.
    assert link.as_uri() == case["uri"]


@pytest.mark.parametrize("case", VECTORS["invalid"], ids=lambda case: case["why"])
def test_invalid_uri_is_rejected(case: dict[str, str]) -> None:
    with pytest.raises(IdentifierError):
        DigitalLink.parse(case["uri"])


@pytest.mark.parametrize("case", VECTORS["generation"], ids=lambda case: case["element_string"])
def test_generation_from_element_string(case: dict[str, str]) -> None:
    link = DigitalLink.from_element_string(case["element_string"], case["stem"])
    assert link.as_uri() == case["uri"]
