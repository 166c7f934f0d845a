"""Fixtures for line tests that run `tracemark` commands against the test database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from trace.cli import runtime_access


@pytest.fixture
def cli_env(runtime, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`main([...])` uses the test's database and key store (the ``runtime`` fixture's)."""
    monkeypatch.setenv("TRACEMARK_DATABASE_URL", database_url)
    monkeypatch.setenv("TRACEMARK_KEY_DIR", str(runtime.settings.key_dir))
    monkeypatch.setenv("TRACEMARK_KEY_PASSPHRASE", "test passphrase for the key store")
    yield
    if runtime_access.runtime.cache_info().currsize:
        runtime_access.runtime().db.dispose()  # no pooled connection outlives the test
