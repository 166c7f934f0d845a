"""Shared fixtures: the same storage tests run on SQLite and on the PostgreSQL server
`make test` starts (TRACEMARK_TEST_POSTGRES_URL). A missing server is a failed setup, not
a skip."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from trace.crypto import FileKeyStore
from trace.db import migrate
from trace.db.database import Database
from trace.db.models import Base
from trace.runtime import Runtime
from trace.settings import load_settings

BACKENDS = ("sqlite", "postgresql")


def postgres_url() -> str:
    url = os.environ.get("TRACEMARK_TEST_POSTGRES_URL")
    if not url:
        pytest.fail(
            "TRACEMARK_TEST_POSTGRES_URL is not set: run the suite with `make test`, which starts PostgreSQL",
            pytrace=False,
        )
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> str:
    url = postgres_url()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("DROP FUNCTION IF EXISTS tracemark_refuse_change CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    migrate.upgrade(url)
    return url


def _truncate_all(db: Database) -> None:
    tables = ", ".join(t.name for t in reversed(Base.metadata.sorted_tables))
    with db.engine.begin() as conn:
        # History tables refuse TRUNCATE; the test server's superuser bypasses the triggers.
        conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / f"db-{uuid.uuid4().hex[:8]}.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_migrated")
    yield url
    db = Database.from_url(url)
    try:
        _truncate_all(db)
    finally:
        db.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database.from_url(database_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium for every browser test of the session (one Playwright per process)."""
    from support.browser import launched_browser

    yield from launched_browser()


@pytest.fixture
def key_store(tmp_path: Path) -> FileKeyStore:
    return FileKeyStore(tmp_path / "keys", b"test passphrase for the key store", scrypt_log2_n=10)


@pytest.fixture
def runtime(database_url: str, db: Database, key_store: FileKeyStore, tmp_path: Path) -> Runtime:
    settings = load_settings(database_url=database_url, key_dir=tmp_path / "keys",
                             key_passphrase="test passphrase for the key store", secret_key="x" * 40)
    return Runtime(settings=settings, db=db, key_store=key_store)
