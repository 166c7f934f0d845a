"""The EPCIS side of a recall: one ``recalled`` ObjectEvent per batch of units, captured
through :mod:`trace.services.capture` (so current state, the ledger and consumer pages
follow), and corrections as errorDeclarations — never edits.

A unit wrongly included is corrected in one captured document: an errorDeclaration of
the recall event that named it (reason ``incorrect_data``) pointing at a corrective event
that names the rest of that batch again (same eventTime, so units that moved on since are
not touched), and an ObjectEvent giving the unit back the disposition it had at start.

References: EPCIS 2.0 §7.4.1.5 (errorDeclaration, correctiveEventIDs); CBV 2.0 §7.2.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from trace.db.base import utc_now
from trace.db.database import Database
from trace.db.events import EpcisEventRow
from trace.db.recalls import Recall, RecallUnit
from trace.domain.epcis import parse_event
from trace.errors import Conflict, NotFound
from trace.services.capture import capture_document
from trace.services.lookups import brand_by_slug
from trace.services.recall_criteria import identifier

EPCS_PER_EVENT = 500
EVENTS_PER_DOCUMENT = 20
CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]


def event_clock(moment: datetime) -> datetime:
    """EPCIS times carry milliseconds: the recall's start is the time of its events."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _time(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def event_ids(brand: str, reference: str, units: int) -> list[str]:
    """Deterministic eventIDs, one per batch, so an interrupted start can be finished."""
    batches = (units + EPCS_PER_EVENT - 1) // EPCS_PER_EVENT
    return [f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'tracemark:recall:{brand}:{reference}:{n}')}"
            for n in range(batches)]


def recall_event(event_id: str, moment: datetime, uris: list[str]) -> dict[str, Any]:
    return {"type": "ObjectEvent", "eventID": event_id, "eventTime": _time(moment), "eventTimeZoneOffset": "+00:00",
            "epcList": uris, "action": "OBSERVE", "disposition": "recalled"}


def _document(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {"@context": CONTEXT, "type": "EPCISDocument", "schemaVersion": "2.0",
            "creationDate": _time(event_clock(utc_now())), "epcisBody": {"eventList": events}}


def emit(db: Database, brand: str, recall_id: int) -> int:
    """Capture the recall events of every unit not excluded; returns events captured now."""
    with db.reading() as session:
        recall = session.get(Recall, recall_id)
        assert recall is not None and recall.started_at is not None
        batches: dict[str, list[str]] = {}
        for event_id, uri in session.execute(select(RecallUnit.event_id, RecallUnit.uri).where(
                RecallUnit.recall_id == recall_id, RecallUnit.excluded_at.is_(None)).order_by(RecallUnit.epc_key)):
            batches.setdefault(event_id, []).append(uri)
        started, reference = recall.started_at, recall.reference
    events = [recall_event(event_id, started, uris) for event_id, uris in batches.items()]
    captured = 0
    for start in range(0, len(events), EVENTS_PER_DOCUMENT):
        result = capture_document(db, brand, _document(events[start:start + EVENTS_PER_DOCUMENT]),
                                  captured_by=f"recall:{reference}")
        captured += len(result.captured)
    return captured


def exclude(db: Database, brand: str, recall_id: int, unit: str, *, reason: str, by: str) -> None:
    """Correct a unit wrongly included: errorDeclaration + corrective events, then drop it from the counts."""
    key = identifier(unit).key
    now = event_clock(utc_now())
    with db.reading() as session:
        brand_id = brand_by_slug(session, brand).id
        recall = session.get(Recall, recall_id)
        if recall is None or recall.brand_id != brand_id:
            raise NotFound(f"unknown recall {recall_id} for brand {brand!r}")
        row = session.get(RecallUnit, (recall_id, key))
        if row is None:
            raise NotFound(f"{unit!r} is not part of recall {recall.reference!r}")
        if row.excluded_at is not None or recall.status != "active":
            raise Conflict(f"{unit!r} cannot be excluded from recall {recall.reference!r}: "
                           f"expected an active recall and a unit not excluded yet")
        stored = session.scalar(select(EpcisEventRow.document).where(
            EpcisEventRow.brand_id == brand_id, EpcisEventRow.event_id == row.event_id,
            EpcisEventRow.is_error_declaration.is_(False)))
        if stored is None:
            raise NotFound(f"the recall event {row.event_id} of {unit!r} was never captured")
        original = json.loads(stored)["event"]
        old_id, disposition = row.event_id, row.disposition_at_start
    rest = [uri for uri in original["epcList"] if identifier(uri).key != key]
    corrective_id = f"urn:uuid:{uuid.uuid4()}"
    declaration = {**original, "errorDeclaration": {
        "declarationTime": _time(now), "reason": "incorrect_data", "correctiveEventIDs": [corrective_id]}}
    events = [declaration]
    if rest:
        events.append({**recall_event(corrective_id, parse_event({"@context": CONTEXT, **original}).event_time, rest)})
    restore = {"type": "ObjectEvent", "eventID": f"urn:uuid:{uuid.uuid4()}", "eventTime": _time(now),
               "eventTimeZoneOffset": "+00:00", "epcList": [row.uri], "action": "OBSERVE",
               "disposition": disposition if disposition and disposition != "recalled" else "active"}
    events.append(restore)
    capture_document(db, brand, _document(events), captured_by=f"recall-correction:{by}")
    with db.transaction() as session:
        session.execute(update(RecallUnit).where(RecallUnit.recall_id == recall_id, RecallUnit.epc_key == key)
                        .values(excluded_at=now))
        session.execute(update(RecallUnit).where(RecallUnit.recall_id == recall_id, RecallUnit.event_id == old_id,
                                                 RecallUnit.epc_key != key).values(event_id=corrective_id))


def epcis_document(db: Database, brand: str, recall_id: int) -> dict[str, Any]:
    """The recall's events (and any corrections) as one EPCIS 2.0 document."""
    with db.reading() as session:
        brand_id = brand_by_slug(session, brand).id
        recall = session.get(Recall, recall_id)
        if recall is None or recall.brand_id != brand_id:
            raise NotFound(f"unknown recall {recall_id} for brand {brand!r}")
        ids = select(RecallUnit.event_id).where(RecallUnit.recall_id == recall_id).distinct()
        rows = session.scalars(select(EpcisEventRow.document).where(
            EpcisEventRow.brand_id == brand_id,
            (EpcisEventRow.event_id.in_(ids)) | (EpcisEventRow.captured_by.in_(
                (f"recall:{recall.reference}",)))).order_by(EpcisEventRow.id))
        return _document([json.loads(doc)["event"] for doc in rows])
