"""The station's offline buffer: a local SQLite file that outlives crashes and outages.

Two tables:

- ``held_scan``: every scan, journaled the moment it is read, until it is part of a
  buffered event (or refused). A batch still being filled, an open case at a packing
  station: after a crash they are rebuilt from here, so a read is never lost between the
  reader and the event;
- ``buffered_event``: every event, written *before* any attempt to send it, with its
  CBV 2.0 Event Hash ID (unique: the same event is never buffered twice) and its state —
  ``pending`` until the server answers 201 or 409, then ``sent``; ``rejected`` (with the
  server's problem JSON) when the server refuses it.

Turning scans into an event is one transaction: the event row appears and its scans leave
``held_scan`` together. The file runs in WAL mode with ``synchronous=FULL``: a commit is
on disk before the station goes on, even if the power fails (SQLite's default NORMAL
would only protect against the process dying).

References: SQLite documentation, "Write-Ahead Logging" and "PRAGMA synchronous";
CBV 2.0 section 8.9 (Event Hash ID).
"""

from __future__ import annotations

import enum
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from readers.scan import Scan, SourceKind, utc_now
from trace.domain.epcis import EpcisEvent
from trace.errors import ConfigurationError

__all__ = ["BufferCounts", "BufferedEvent", "EventBuffer", "EventState", "HeldScan"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS held_scan (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scan TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS buffered_event (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    hash_id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'rejected')),
    buffered_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    http_status INTEGER,
    problem TEXT,
    settled_at TEXT
);
CREATE INDEX IF NOT EXISTS buffered_event_state ON buffered_event (state, seq);
"""


class EventState(str, enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class HeldScan:
    """A journaled scan not yet part of a buffered event."""

    id: int
    scan: Scan


@dataclass(frozen=True, slots=True)
class BufferedEvent:
    """One buffered event: ``body`` is the JSON-LD text posted to the server, unchanged."""

    seq: int
    hash_id: str
    body: str
    state: EventState
    attempts: int = 0
    last_error: str | None = None
    http_status: int | None = None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class BufferCounts:
    pending: int
    sent: int
    rejected: int


class EventBuffer:
    """The buffer file; one instance per thread (SQLite connections are not shared)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: every write below is one explicit transaction.
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            mode = self._db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise sqlite3.OperationalError(f"journal mode stays {mode!r}, expected 'wal'")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigurationError(f"cannot open station buffer {str(self.path)!r}: {exc}") from exc

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> EventBuffer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- scans ------------------------------------------------------------------------

    def hold(self, scan: Scan) -> int:
        """Journal a scan as soon as it is read; returns its id."""
        with self._transaction():
            cursor = self._db.execute("INSERT INTO held_scan (scan) VALUES (?)", (_scan_json(scan),))
        return int(cursor.lastrowid)  # type: ignore[arg-type]

    def held(self) -> tuple[HeldScan, ...]:
        """Scans read but not yet in an event, oldest first (to rebuild after a restart)."""
        rows = self._db.execute("SELECT id, scan FROM held_scan ORDER BY id").fetchall()
        return tuple(HeldScan(row[0], _scan_from_json(row[1])) for row in rows)

    # -- events -----------------------------------------------------------------------

    def record(self, events: Sequence[EpcisEvent], *, releasing: Iterable[int] = ()) -> int:
        """Buffer ``events`` and drop the held scans they account for, in one transaction.

        An event whose Event Hash ID is already buffered is the same event: it is not
        stored twice. Returns how many events were new.
        """
        new = 0
        with self._transaction():
            for event in events:
                body = json.dumps(event.raw, ensure_ascii=False, separators=(",", ":"))
                cursor = self._db.execute(
                    "INSERT OR IGNORE INTO buffered_event (hash_id, body, buffered_at) VALUES (?, ?, ?)",
                    (event.hash_id, body, utc_now().isoformat()),
                )
                new += cursor.rowcount
            self._db.executemany("DELETE FROM held_scan WHERE id = ?", [(i,) for i in releasing])
        return new

    def pending(self, *, limit: int = 100) -> tuple[BufferedEvent, ...]:
        """Events still to send, oldest first."""
        return self._events("state = 'pending' ORDER BY seq LIMIT ?", (limit,))

    def rejected(self) -> tuple[BufferedEvent, ...]:
        """Events the server refused, oldest first, with its answers."""
        return self._events("state = 'rejected' ORDER BY seq", ())

    def events(self) -> tuple[BufferedEvent, ...]:
        """Every buffered event, oldest first."""
        return self._events("1 ORDER BY seq", ())

    def mark_sent(self, seq: int, status: int) -> None:
        self._settle(seq, EventState.SENT, status, None)

    def mark_rejected(self, seq: int, status: int, problem: str) -> None:
        self._settle(seq, EventState.REJECTED, status, problem)

    def note_failure(self, seq: int, error: str) -> None:
        """Count a failed attempt (the event stays pending)."""
        with self._transaction():
            self._db.execute(
                "UPDATE buffered_event SET attempts = attempts + 1, last_error = ? WHERE seq = ?",
                (error, seq),
            )

    def counts(self) -> BufferCounts:
        rows = dict(self._db.execute("SELECT state, count(*) FROM buffered_event GROUP BY state").fetchall())
        return BufferCounts(rows.get("pending", 0), rows.get("sent", 0), rows.get("rejected", 0))

    def _settle(self, seq: int, state: EventState, status: int, problem: str | None) -> None:
        with self._transaction():
            self._db.execute(
                "UPDATE buffered_event SET state = ?, http_status = ?, problem = ?,"
                " attempts = attempts + 1, settled_at = ? WHERE seq = ?",
                (state.value, status, problem, utc_now().isoformat(), seq),
            )

    def _events(self, where: str, parameters: tuple[object, ...]) -> tuple[BufferedEvent, ...]:
        rows = self._db.execute(
            "SELECT seq, hash_id, body, state, attempts, last_error, http_status, problem"
            f" FROM buffered_event WHERE {where}",
            parameters,
        ).fetchall()
        return tuple(BufferedEvent(r[0], r[1], r[2], EventState(r[3]), *r[4:]) for r in rows)

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on error): the write lock up front."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self._db.execute("ROLLBACK" if exc_type is not None else "COMMIT")


def _scan_json(scan: Scan) -> str:
    return json.dumps({
        "identifier": scan.identifier, "raw": scan.raw, "source": scan.source.value,
        "time": scan.time.isoformat(), "antenna": scan.antenna, "peak_rssi": scan.peak_rssi,
        "tag_uid": scan.tag_uid,
    }, ensure_ascii=False)


def _scan_from_json(text: str) -> Scan:
    data = json.loads(text)
    return Scan(data["identifier"], data["raw"], SourceKind(data["source"]),
                datetime.fromisoformat(data["time"]), data["antenna"], data["peak_rssi"],
                data["tag_uid"])
