"""Writing in bulk: COPY text rows and array literals as PostgreSQL reads them, the brand id
as the planner should not see it, the driver cursor both databases' bulk writes go through.

Capture writes a thousand identifier rows per document; binding them one parameter at a
time costs more than the rows themselves. COPY (PostgreSQL docs: COPY, "Text Format")
and one array literal per column (PostgreSQL docs: Arrays, "Array Value Input") let the
server parse them in one go.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

# The brand id (parameter ``:b``) as a one-row subquery: a value the planner does not see.
# For a brand the statistics do not know yet (a new brand, before ANALYZE) the planner
# expects no rows and may read all of the brand's rows through any index that starts with
# brand_id, once per looked-up key: quadratic as the brand grows. Not seeing the value, it
# estimates an average brand and takes the index that matches the whole key.
BRAND = "(SELECT CAST(:b AS integer))"

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: str) -> str:
    """A string as a COPY text field (backslash, tab and line ends escaped)."""
    return value.translate(_COPY_ESCAPES) if "\\" in value or "\t" in value or "\n" in value or "\r" in value else value


def copy_value(value: Any) -> str:
    """One value as a COPY text field: ``\\N`` for None, ``t``/``f``, ISO 8601 times."""
    if type(value) is str:  # most values
        return copy_text(value)
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return copy_text(str(value))


def pg_array(values: Iterable[Any]) -> str:
    """A PostgreSQL array literal of the values' text forms (NULL for None), for ``CAST(:p AS type[])``.

    One string parameter per column: the server reads it with the array input function,
    instead of one cast expression per element.
    """
    items = []
    last: Any = None
    for value in values:
        if value is None:
            items.append("NULL")
            last = None  # the next value cannot repeat the item before this NULL
            continue
        if value is last:  # runs of one value (a timestamp per event, "now"): written once
            items.append(items[-1])
            continue
        last = value
        text = value if isinstance(value, str) else value.isoformat() if isinstance(value, datetime) else str(value)
        if "\\" in text or '"' in text:
            text = text.replace("\\", "\\\\").replace('"', '\\"')
        items.append(f'"{text}"')
    return "{" + ",".join(items) + "}"


@contextmanager
def driver_cursor(session: Session) -> Iterator[Any]:
    """The driver's own cursor on the session's connection, for COPY and executemany.

    A constraint the rows break raises SQLAlchemy's ``IntegrityError`` (the driver's error
    as ``.orig``), as a statement through the session would: callers handle one error type.
    """
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        yield cursor
    except session.get_bind().dialect.dbapi.IntegrityError as exc:
        raise IntegrityError("bulk write through the driver cursor", None, exc) from exc
    finally:
        cursor.close()
