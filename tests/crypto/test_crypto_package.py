"""trace.crypto stays pure (DESIGN.md §3) and its docstring examples run."""

from __future__ import annotations

import ast
import doctest
import importlib
import sys
from pathlib import Path

import pytest

import trace.crypto

PACKAGE = Path(trace.crypto.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_a_module_imports_only_the_standard_library_cryptography_and_the_allowed_trace_modules(path: Path) -> None:
    for name in _imported_modules(path):
        top = name.split(".")[0]
        if top == "trace":
            assert name in {"trace.errors", "trace.types"} or name.startswith("trace.crypto"), name
        else:
            assert top in sys.stdlib_module_names or top == "cryptography", name


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_docstring_examples_run(path: Path) -> None:
    module = importlib.import_module(f"trace.crypto.{path.stem}" if path.stem != "__init__" else "trace.crypto")
    failures, _ = doctest.testmod(module)
    assert failures == 0


def test_every_exported_name_exists() -> None:
    assert all(hasattr(trace.crypto, name) for name in trace.crypto.__all__)
