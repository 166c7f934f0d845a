"""Conformance vectors of the transparency-dev/merkle Go verifier.

The files under ``tests/vectors/merkle`` (see its SOURCE and LICENSE) each give the inputs
of one verification, a ``desc`` and ``wantErr``; every negative file is one named mutation
of a valid case. Every file must be accepted or rejected exactly as ``wantErr`` says.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from trace.errors import LedgerError
from trace.ledger import (
    consistency_proof,
    hash_leaf,
    inclusion_proof,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "merkle"
# The 8-leaf RFC 9162 reference tree every happy path of folders 0..4 is built on.
REFERENCE_ENTRIES = [
    bytes.fromhex(h)
    for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
              "606162636465666768696a6b6c6d6e6f")
]
REFERENCE_LEAVES = [hash_leaf(entry) for entry in REFERENCE_ENTRIES]


def _load(kind: str) -> list[Any]:
    files = sorted((VECTORS / kind).rglob("*.json"))
    return [pytest.param(json.loads(f.read_text()), id=str(f.relative_to(VECTORS))) for f in files]


def _b64(text: str) -> bytes:
    return base64.b64decode(text)


def _proof(vector: dict[str, Any]) -> list[bytes]:
    return [_b64(item) for item in vector["proof"] or []]


INCLUSION = _load("inclusion")
CONSISTENCY = _load("consistency")


def test_every_vector_file_is_collected() -> None:
    assert len(INCLUSION) == 98
    assert len(CONSISTENCY) == 98


@pytest.mark.parametrize("vector", INCLUSION)
def test_inclusion_vector(vector: dict[str, Any]) -> None:
    def run() -> None:
        verify_inclusion(
            leaf_hash=_b64(vector["leafHash"]),
            index=vector["leafIdx"],
            size=vector["treeSize"],
            proof=_proof(vector),
            root=_b64(vector["root"]),
        )

    if vector["wantErr"]:
        with pytest.raises(LedgerError):
            run()
    else:
        run()


@pytest.mark.parametrize("vector", CONSISTENCY)
def test_consistency_vector(vector: dict[str, Any]) -> None:
    def run() -> None:
        verify_consistency(
            old_size=vector["size1"],
            new_size=vector["size2"],
            old_root=_b64(vector["root1"]),
            new_root=_b64(vector["root2"]),
            proof=_proof(vector),
        )

    if vector["wantErr"]:
        with pytest.raises(LedgerError):
            run()
    else:
        run()


@pytest.mark.parametrize(
    "vector", [v for v in INCLUSION if v.id.endswith("happy-path.json")]
)
def test_generated_inclusion_proof_matches_happy_path(vector: Any) -> None:
    leaves = REFERENCE_LEAVES[: vector["treeSize"]]
    assert inclusion_proof(leaves, vector["leafIdx"]) == _proof(vector)


@pytest.mark.parametrize(
    "vector", [v for v in CONSISTENCY if v.id.endswith("happy-path.json")]
)
def test_generated_consistency_proof_matches_happy_path(vector: Any) -> None:
    leaves = REFERENCE_LEAVES[: vector["size2"]]
    assert consistency_proof(leaves, vector["size1"]) == _proof(vector)
