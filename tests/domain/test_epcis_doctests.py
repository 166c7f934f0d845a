"""The examples in the EPCIS modules' docstrings run as written."""

from __future__ import annotations

import doctest

import pytest

import trace.domain.epcis.canonical_values
import trace.domain.epcis.epc_urn
import trace.domain.epcis.identifiers
import trace.domain.epcis.jsonld
import trace.domain.epcis.problems
import trace.domain.epcis.schema
import trace.domain.epcis.vocabulary


@pytest.mark.parametrize(
    "module",
    [
        trace.domain.epcis.canonical_values,
        trace.domain.epcis.epc_urn,
        trace.domain.epcis.identifiers,
        trace.domain.epcis.jsonld,
        trace.domain.epcis.problems,
        trace.domain.epcis.schema,
        trace.domain.epcis.vocabulary,
    ],
    ids=lambda module: module.__name__.rsplit(".", 1)[-1],
)
def test_docstring_examples(module) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
