"""COPY text fields and PostgreSQL array literals, as capture writes them in bulk."""

from __future__ import annotations

from datetime import datetime, timezone

from trace.db.bulk_text import copy_text, copy_value, pg_array


def test_copy_fields_escape_what_copy_text_format_reads_specially() -> None:
    assert copy_text("a\\b\tc\nd\re") == "a\\\\b\\tc\\nd\\re"
    assert copy_value(None) == "\\N"
    assert copy_value(True) == "t"
    assert copy_value(False) == "f"
    assert copy_value(42) == "42"
    assert copy_value(datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)) == "2026-01-02T03:04:05+00:00"


def test_array_literal_quotes_escapes_and_writes_null() -> None:
    assert pg_array(["plain", 'say "hi"', "back\\slash", None, 7]) == '{"plain","say \\"hi\\"","back\\\\slash",NULL,"7"}'


def test_a_value_after_a_null_is_written_not_taken_from_the_item_before() -> None:
    # The same string object before and after a NULL (one event's read point on two objects,
    # another object without one in between): the third item is the value, not NULL.
    point = "urn:epc:id:sgln:9506000.13435.0"
    assert pg_array([point, None, point, point]) == f'{{"{point}",NULL,"{point}","{point}"}}'
