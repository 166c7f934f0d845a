"""The EPC package: its docstring examples run, its exports exist, it stays pure."""

from __future__ import annotations

import ast
import doctest
import importlib
from pathlib import Path

import pytest

import trace.identifiers.epc

PACKAGE = Path(trace.identifiers.epc.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))


def module_name(path: Path) -> str:
    return "trace.identifiers.epc" + ("" if path.stem == "__init__" else f".{path.stem}")


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_docstring_examples_run(path: Path) -> None:
    failures, _ = doctest.testmod(importlib.import_module(module_name(path)))
    assert failures == 0


def test_every_exported_name_exists() -> None:
    assert all(hasattr(trace.identifiers.epc, name) for name in trace.identifiers.epc.__all__)


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_imports_only_the_standard_library_and_lower_layers(path: Path) -> None:
    allowed = ("trace.errors", "trace.identifiers", "__future__", "dataclasses", "enum", "re",
               "typing")
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            assert node.module is not None and node.module.startswith(allowed), node.module
        elif isinstance(node, ast.Import):
            assert all(alias.name.startswith(allowed) for alias in node.names)
