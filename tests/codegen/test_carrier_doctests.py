"""The examples in the carrier modules' docstrings run as written."""

from __future__ import annotations

import doctest

import pytest

import codegen.label
import codegen.output_path
import codegen.pdf_sheet
import codegen.writers


@pytest.mark.parametrize(
    "module", [codegen.label, codegen.output_path, codegen.pdf_sheet, codegen.writers]
)
def test_docstring_examples(module):
    result = doctest.testmod(module)

    assert result.attempted > 0
    assert result.failed == 0
