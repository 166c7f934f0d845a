"""Engine, sessions and the transaction boundary services use."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver must not open transactions on its own: we emit BEGIN ourselves (below),
    # so write transactions can take the write lock up front and SAVEPOINTs work.
    dbapi_connection.isolation_level = None
    _sqlite_pragmas(dbapi_connection)


def _sqlite_begin(connection: Any) -> None:
    # A writer that starts deferred and upgrades to a write lock can fail at once with
    # "database is locked" when another writer got there first; BEGIN IMMEDIATE queues
    # behind the busy timeout instead. Readers stay deferred and never block writers (WAL).
    immediate = connection.get_execution_options().get("tracemark_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_pragmas(dbapi_connection: Any) -> None:
    # WAL lets readers (verification) run beside a writer (minting); foreign keys are off by
    # default in SQLite; a busy timeout turns short write contention into waiting, not errors.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _autocommit_generic_plans(dbapi_connection: Any, _record: Any) -> None:
    # The hot reads are prepared point lookups whose plan does not depend on the values:
    # planning them again for each execution (PostgreSQL's default for the first five,
    # and whenever a custom plan looks cheaper) cost more than running them.
    dbapi_connection.autocommit = True
    cursor = dbapi_connection.cursor()
    cursor.execute("SET plan_cache_mode = force_generic_plan")
    cursor.close()


# Connections kept open per process. The server runs sync endpoints on up to 40 threads; with
# SQLAlchemy's default (5 kept, 10 overflow) every checkout beyond the fifth opens a fresh
# connection and closes it on return: under concurrent verifications that churn (a new
# PostgreSQL backend each time) was a large part of the latency tail.
POOL_SIZE = 20
POOL_OVERFLOW = 20


def _pooled(url: str) -> bool:
    """Whether SQLAlchemy gives ``url`` a QueuePool (in-memory SQLite gets a single-connection pool)."""
    return not (url.startswith("sqlite") and (url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in url))


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for ``url`` with Tracemark's per-database settings applied."""
    if _pooled(url) and "poolclass" not in options:
        options.setdefault("pool_size", POOL_SIZE)
        options.setdefault("max_overflow", POOL_OVERFLOW)
    if url.startswith("sqlite"):
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, **options)
    if "pool_pre_ping" not in options:  # a caller's explicit choice (always / never) stands
        event.listen(engine, "checkin", _note_return)
        event.listen(engine, "checkout", _ping_if_idle)
    return engine


# A pooled connection idle for longer than this is tested before use (the server may have
# closed it: restart, idle timeout, network). A ping on every checkout (pool_pre_ping) costs
# one round trip per transaction, as much as a small statement; a connection returned a
# moment ago is alive, and if the server went away since, the next statement's error
# invalidates the pool so later checkouts reconnect.
IDLE_PING_SECONDS = 10.0


def _note_return(_dbapi_connection: Any, record: Any) -> None:
    record.info["returned_at"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    returned = record.info.get("returned_at")
    if returned is None or time.monotonic() - returned < IDLE_PING_SECONDS:
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("SELECT 1")
    except Exception as exc:  # any driver error: this connection is gone, the pool opens another
        raise DisconnectionError(f"pooled connection failed its liveness check: {exc}") from exc
    finally:
        cursor.close()


class Database:
    """One database: the engine and the unit-of-work boundary for services."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._unpinged: Engine | None = None
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._writers = sessionmaker(engine.execution_options(tracemark_write=True), expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str, **options: Any) -> Database:
        return cls(make_engine(url, **options))

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits together at the end, or not at all."""
        with self._writers() as session, session.begin():
            yield session

    @contextmanager
    def autocommit(self) -> Iterator[Connection]:
        """PostgreSQL: a connection whose statements each commit on their own, for a hot
        path made of single-statement reads and one single-statement write (the consumer
        scan): no BEGIN and COMMIT round trips, no session. The flag is the driver's
        (``ledger_store.autocommit_connection`` sets it the same way on a bare DBAPI
        connection): every statement commits as it ends, SQLAlchemy's own executions too —
        its begin and closing rollback do nothing on such a connection."""
        if self.engine.dialect.name != "postgresql":
            raise ValueError("autocommit connections are for PostgreSQL; use transaction()")
        with self.engine.connect() as connection:
            driver = connection.connection.driver_connection
            driver.autocommit = True
            try:
                yield connection
            finally:
                if not driver.closed:
                    driver.autocommit = False

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only (nothing is committed)."""
        with self._sessions() as session:
            yield session

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def unpinged(self) -> Engine:
        """The same database through a pool of autocommit connections that does not ping
        on checkout and plans prepared statements once, for hot single-statement reads
        (proof serving): the ping is a round trip as long as the read itself. A connection
        the server dropped then fails the read instead, so callers retry once
        (``ledger_store.autocommit_read``); reads are safe to repeat. Made on first use:
        processes that never serve proofs open no second pool. SQLite: the engine itself.
        """
        if self._unpinged is None:
            if self.engine.dialect.name != "postgresql":
                return self.engine
            # Its connections stay in autocommit (set on connect): nothing to reset on return.
            self._unpinged = make_engine(self.engine.url.render_as_string(hide_password=False), pool_pre_ping=False,
                                         pool_reset_on_return=None)
            event.listen(self._unpinged, "connect", _autocommit_generic_plans)
        return self._unpinged

    def dispose(self) -> None:
        self.engine.dispose()
        if self._unpinged is not None:
            self._unpinged.dispose()
