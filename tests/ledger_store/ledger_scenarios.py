"""Ledgers for the stored-ledger tests, built through the services as the product builds
them, and the one way an operator can still rewrite them: with the append-only triggers
bypassed on purpose (PostgreSQL: ``session_replication_role = replica``, which only a
superuser may set; SQLite: dropping the table's triggers).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from codegen.mint_job import MintRequest, mint
from trace.cli import runtime_access
from trace.cli.main import main
from trace.db.database import Database
from trace.db.ledger_store import NewEntry
from trace.ledger import hash_leaf
from trace.runtime import Runtime
from trace.services import ledger
from trace.services.lookups import brand_by_slug
from support.factories import seeded_catalog

BRAND = "acme"
PASSPHRASE = "test passphrase for the key store"  # what the `key_store` fixture encrypts with
HISTORY_TABLES = ("ledger_entry", "ledger_leaf", "ledger_node", "ledger_checkpoint", "mint_job")


def note_bytes(number: int) -> bytes:
    """The recorded bytes of ``note:<number>`` in every scenario."""
    return f"tracemark-test/note/v1\nnumber={number}\n".encode()


def stored_nodes(size: int) -> int:
    """Nodes stored for a tree of ``size`` (levels >= 4; the lower ones are hashed again from
    the leaves): sum over levels >= 4 of floor(size / 2^level)."""
    return sum(size >> level for level in range(4, size.bit_length() + 1))


def brand_id(db: Database, slug: str = BRAND) -> int:
    with db.reading() as session:
        return brand_by_slug(session, slug).id


def record_notes(db: Database, brand: int, numbers: Sequence[int], *, body=note_bytes) -> None:
    """Record ``note:<n>`` for each number in one writer transaction (not sequenced yet)."""
    with db.transaction() as session:
        ledger.record(session, brand, [NewEntry(kind="note", ref=f"note:{n}", entry=body(n)) for n in numbers])


def mint_codes(runtime: Runtime, gtin: str, lot: str, count: int) -> int:
    """Mint ``count`` codes (CSV to a buffer); returns the mint job's id (its entry is ``commission:<id>``)."""
    summary = mint(runtime.db, runtime.key_store, MintRequest(gtin=gtin, lot=lot, count=count, output_format="csv",
                                                             out=None, requested_by="ledger tests"),
                   stdout=io.StringIO())
    return summary.job_id


@dataclass(frozen=True)
class BuiltLedger:
    """What a scenario recorded, computed on the test side, not read back from the product."""

    runtime: Runtime
    brand_id: int
    entries: tuple[bytes, ...]          # in leaf order
    notes: dict[int, str]               # checkpoint size -> signed note

    @property
    def leaf_hashes(self) -> list[bytes]:
        return [hash_leaf(entry) for entry in self.entries]


def build_ledger(runtime: Runtime, checkpoint_sizes: Sequence[int] = (5, 13, 23)) -> BuiltLedger:
    """Brand ``acme``; mint job 1 (3 codes) as leaf 0 (entry id 1); then ``note:<n>`` as
    leaf n (entry id n + 1), with a checkpoint published at each size in turn."""
    cat = seeded_catalog(runtime)
    db = runtime.db
    job = mint_codes(runtime, cat.gtin, cat.lot, 3)
    assert job == 1
    brand = brand_id(db)
    entries = [ledger.entry_bytes(db, BRAND, "commission:1")]
    notes: dict[int, str] = {}
    for size in checkpoint_sizes:
        numbers = list(range(len(entries), size))
        record_notes(db, brand, numbers)
        entries.extend(note_bytes(n) for n in numbers)
        notes[size] = ledger.publish_checkpoint(db, runtime.key_store, BRAND)
    return BuiltLedger(runtime=runtime, brand_id=brand, entries=tuple(entries), notes=notes)


def flip(data: bytes, at: int) -> bytes:
    """``data`` with one bit of byte ``at`` changed: the smallest possible tampering."""
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


@contextmanager
def tampering(db: Database, *tables: str) -> Iterator[Connection]:
    """One transaction in which the append-only triggers of ``tables`` do not fire.

    PostgreSQL: ``SET LOCAL session_replication_role = replica`` (also skips foreign-key
    checks). SQLite: the tables' triggers are dropped and re-created before the commit,
    with foreign keys off for this connection, so the database leaves the block protected.
    """
    with db.engine.connect() as conn:
        sqlite = db.dialect == "sqlite"
        if sqlite:
            # PRAGMA foreign_keys is a no-op inside a transaction: set it before BEGIN.
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                triggers: list[tuple[str, str]] = []
                if sqlite:
                    for table in tables:
                        triggers += conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                                      "AND tbl_name = :t ORDER BY name"), {"t": table}).tuples().all()
                    assert len(triggers) == 2 * len(tables), triggers
                    for name, _ in triggers:
                        conn.exec_driver_sql(f"DROP TRIGGER {name}")
                else:
                    conn.execute(text("SET LOCAL session_replication_role = replica"))
                yield conn
                for _, sql in triggers:
                    conn.exec_driver_sql(sql)
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The `tracemark` command's environment: the test database and the `key_store` fixture's keys."""
    monkeypatch.setenv("TRACEMARK_DATABASE_URL", database_url)
    monkeypatch.setenv("TRACEMARK_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("TRACEMARK_KEY_PASSPHRASE", PASSPHRASE)
    return tmp_path


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `tracemark <args>` in-process; (exit status, stdout, stderr)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    if runtime_access.runtime.cache_info().currsize:
        runtime_access.runtime().db.dispose()  # no pooled connection outlives the command
    return code, out, err
