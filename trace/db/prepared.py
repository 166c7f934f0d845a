"""Hot-path SELECTs that PostgreSQL plans once per connection (``PREPARE`` / ``EXECUTE``).

psycopg2 sends every statement as text, so PostgreSQL parses and plans it on every call.
For the consumer scan's one read (a handful of joins and correlated counts) planning cost
more server CPU than running it (about 1.7 ms against 0.5 ms on the dev server). A
:class:`PreparedSelect` is compiled once from the SQLAlchemy statement, ``PREPARE``-d on a
pooled connection the first time that connection runs it (the name is remembered in the
pool's per-connection ``info``), then run with ``EXECUTE`` on the driver's cursor, inside
the caller's transaction; the statement's result types still convert each value (UTC
datetimes). The driver cursor skips SQLAlchemy's per-execution machinery (a third of the
scan's Python time went there); the price is that engine events (``before_cursor_execute``
counters, echo) do not see these statements. SQLite runs the statement through SQLAlchemy:
its driver already keeps compiled statements per connection.

Prepared statements live as long as their session, not their transaction (a rollback keeps
them), and a new connection simply prepares again. A schema change under a running server
can invalidate them ("cached plan must not change result type"): restart workers after
migrations, as for any deployment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Select

_PREPARED = "tracemark_prepared"
_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")


class PreparedSelect:
    """``statement`` with the named ``parameters`` (``bindparam`` names), prepared as ``name``."""

    def __init__(self, name: str, statement: Select[Any], parameters: Sequence[str]) -> None:
        if not _NAME.fullmatch(name):
            raise ValueError(f"prepared statement name {name!r} must be a lower-case SQL identifier")
        self.name = name
        self.statement = statement
        self.parameters = tuple(parameters)
        self._execute = f"EXECUTE {name}({', '.join('%s' for _ in self.parameters)})"
        self._sql: dict[str, str] = {}
        self._processors: dict[str, list[Callable[[Any], Any] | None]] = {}

    def rows(self, connection: Connection, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """All result rows for ``values`` on ``connection`` (prepared there first if need be)."""
        if connection.dialect.name != "postgresql":
            return [tuple(row) for row in connection.execute(self.statement, values)]
        fetched = run_prepared(connection, self.name, lambda: self.sql(connection.dialect), self._execute,
                               [values[name] for name in self.parameters])
        processors = self._result_processors(connection.dialect)
        if not any(processors):
            return fetched
        return [tuple(value if convert is None or value is None else convert(value)
                      for convert, value in zip(processors, row)) for row in fetched]

    def first(self, connection: Connection, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        found = self.rows(connection, values)
        return found[0] if found else None

    def _result_processors(self, dialect: Dialect) -> list[Callable[[Any], Any] | None]:
        if dialect.name not in self._processors:
            self._processors[dialect.name] = [column.type.result_processor(dialect, None)
                                              for column in self.statement.selected_columns]
        return self._processors[dialect.name]

    def sql(self, dialect: Dialect) -> str:
        """The statement as PostgreSQL prepares it: named parameters become ``$1…``, constants literals."""
        if dialect.name not in self._sql:
            compiled = self.statement.compile(dialect=dialect)
            sql = compiled.string
            names = dict(compiled.bind_names)  # bind parameter -> its name in the SQL
            missing = set(self.parameters) - set(names.values())
            if missing:
                raise ValueError(f"prepared statement {self.name!r} has no parameters {sorted(missing)}")
            position = {name: index for index, name in enumerate(self.parameters, start=1)}
            for bind, name in names.items():
                if name in position:
                    value = f"${position[name]}"
                else:  # a constant of the statement (e.g. ``audit_group == 'consumer'``)
                    render = bind.type.literal_processor(dialect)
                    if render is None:
                        raise ValueError(f"prepared statement {self.name!r}: cannot render constant {name!r}")
                    value = render(compiled.params[name])
                sql = sql.replace(f"%({name})s", value)
            self._sql[dialect.name] = sql.replace("%%", "%")
        return self._sql[dialect.name]


def run_prepared(connection: Connection, name: str, sql: Callable[[], str], execute: str,
                 arguments: Sequence[Any]) -> list[tuple[Any, ...]]:
    """PostgreSQL: ``EXECUTE name(...)`` on the driver cursor, ``PREPARE``-d on this pooled
    connection the first time (``sql()`` gives the statement with ``$1…`` parameters)."""
    dialect = connection.dialect
    prepared: set[str] = connection.connection.info.setdefault(_PREPARED, set())
    cursor = connection.connection.cursor()
    try:
        if name not in prepared:
            cursor.execute(f"PREPARE {name} AS {sql()}")
            prepared.add(name)
        cursor.execute(execute, arguments)
        return cursor.fetchall()
    except dialect.loaded_dbapi.Error as error:
        # What SQLAlchemy does for its own statements: a connection the server dropped is
        # thrown away, with every pooled one opened before it (a restart killed them all).
        if dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor):
            connection.invalidate(error)
            connection.engine.dispose(close=False)
        raise
    finally:
        cursor.close()


class PreparedStatement:
    """Any PostgreSQL statement written with ``$1…`` parameters (e.g. a data-modifying CTE),
    prepared as ``name`` once per pooled connection and run on the driver cursor."""

    def __init__(self, name: str, sql: str, parameter_count: int) -> None:
        if not _NAME.fullmatch(name):
            raise ValueError(f"prepared statement name {name!r} must be a lower-case SQL identifier")
        self.name = name
        self._sql = sql
        self._execute = f"EXECUTE {name}({', '.join('%s' for _ in range(parameter_count))})"
        self.parameter_count = parameter_count

    def rows(self, connection: Connection, arguments: Sequence[Any]) -> list[tuple[Any, ...]]:
        if connection.dialect.name != "postgresql":
            raise ValueError(f"prepared statement {self.name!r} is PostgreSQL only")
        if len(arguments) != self.parameter_count:
            raise ValueError(f"prepared statement {self.name!r} takes {self.parameter_count} arguments, "
                             f"got {len(arguments)}")
        return run_prepared(connection, self.name, lambda: self._sql, self._execute, arguments)


__all__ = ["PreparedSelect", "PreparedStatement", "run_prepared"]
