"""Two captures naming the same new object at the same time.

Capture reads the states of the objects a document names, then stores the new ones by
COPY. When another transaction stores one of them in between, the COPY breaks the primary
key; the capture must then try the document again (finding the object this time) instead
of failing. PostgreSQL only: SQLite runs one writer at a time, so there is no race there.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

import pytest
from sqlalchemy import text

from support.epcis_events import FACTORY, document, item_urn, object_event
from trace.db import event_store, state_store
from trace.db.base import utc_now
from trace.domain.epcis import parse_identifier
from trace.domain.object_state import ObjectState
from trace.services import brands
from trace.services.capture import CaptureResult, capture_document
from trace.services.lookups import brand_by_slug


def _wait_until_blocked(db, timeout: float = 30.0) -> None:
    """Until a backend of this database waits for a lock (the capture's COPY on our row)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.reading() as session:
            waiting = session.scalar(text("SELECT count(*) FROM pg_stat_activity "
                                          "WHERE datname = current_database() AND wait_event_type = 'Lock'"))
        if waiting:
            return
        time.sleep(0.05)
    raise AssertionError("the capture never waited for the concurrent insert")


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_capture_that_loses_the_insert_race_for_a_new_object_retries_and_updates_it(db, key_store) -> None:
    brands.add_brand(db, key_store, name="Acme", domain="https://id.acme.example", slug="acme")
    identifier = parse_identifier(item_urn(7))
    shipped = document([object_event("2026-11-02T10:00:00+08:00", [item_urn(7)], step="shipping",
                                      disposition="in_transit", read_point=FACTORY)])
    outcome: dict[str, CaptureResult | BaseException] = {}

    def capture() -> None:
        try:
            outcome["result"] = capture_document(db, "acme", shipped, captured_by="race")
        except BaseException as exc:  # reported by the assertion below
            outcome["result"] = exc

    # Another writer commissions the same item and has not committed yet.
    with db.transaction() as session:
        brand_id = brand_by_slug(session, "acme").id
        commissioned = datetime(2026, 11, 1, tzinfo=timezone.utc)
        state_store.write(session, brand_id, [ObjectState(identifier.key, identifier.as_digital_link(), 0,
                                                          commissioned, "commissioning", "active")],
                          known=set(), now=utc_now())
        worker = threading.Thread(target=capture)
        worker.start()
        _wait_until_blocked(db)
    worker.join(timeout=60)

    result = outcome["result"]
    assert isinstance(result, CaptureResult), result
    assert len(result.captured) == 1 and result.duplicates == ()
    with db.reading() as session:
        state = event_store.state_of(session, brand_id, identifier.key)
        assert (state.biz_step, state.disposition, state.read_point, state.last_event_time) == (
            "shipping", "in_transit", FACTORY, datetime(2026, 11, 2, 2, tzinfo=timezone.utc))
        assert session.scalar(text("SELECT count(*) FROM epcis_event")) == 1
