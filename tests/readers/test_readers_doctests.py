"""The examples in the readers' docstrings run as written."""

from __future__ import annotations

import doctest

import pytest

import readers.llrp.framing
import readers.llrp.parameters
import readers.llrp.rospec
import readers.scan


@pytest.mark.parametrize("module", [readers.scan, readers.llrp.framing, readers.llrp.parameters,
                                    readers.llrp.rospec])
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0
