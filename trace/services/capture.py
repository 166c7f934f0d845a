"""EPCIS capture: validate the whole document, store it all or nothing, keep state, ledger it.

One transaction per document: events, their identifier index, the current state of every
object they name, and one ledger entry per event (its CBV 2.0 pre-hash string, so the leaf
is independent of JSON formatting). An event already captured (same Event Hash ID) is not
stored again: a single event answers 409, a document reports how many it skipped.

References: EPCIS 2.0 §8.2 (capture interface), §7.4.1.5 (error declarations); CBV 2.0 §8.9.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trace.db import event_store, state_store
from trace.db.consumer import SalesChannel
from trace.db.events import EpcisEventRow
from trace.db.base import utc_now
from trace.db.database import Database
from trace.db.ledger_store import NewEntry
from trace.domain.epcis import EpcisEvent, canonical_bytes, parse_document, parse_event
from trace.domain.object_state import apply_events, keys_of
from trace.errors import Conflict
from trace.services import ledger
from trace.services.lookups import brand_by_slug

ROLES = (("epc", "epc_list"), ("child", "child_epcs"), ("input", "input_epcs"), ("output", "output_epcs"))


@dataclass(frozen=True, slots=True)
class CaptureResult:
    captured: tuple[str, ...]
    """eventIDs of the events stored now, in document order."""
    duplicates: tuple[str, ...]
    """eventIDs of events that were already stored (not stored again)."""


def ledger_entry_for(raw: Mapping[str, Any], context: Any, hash_id: str, *, canonical: bytes = b"") -> NewEntry:
    """The ledger entry of an event: its CBV 2.0 pre-hash string; for an error declaration
    (which shares its event's hash) the declaration's own fields follow on one more line."""
    body = canonical or canonical_bytes(raw, context=context)
    declaration = raw.get("errorDeclaration")
    if not isinstance(declaration, Mapping):
        return NewEntry(kind="epcis", ref=f"epcis:{hash_id}", entry=body)
    tail = json.dumps(declaration, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return NewEntry(kind="epcis-error", ref=f"epcis-error:{hash_id}",
                    entry=body + b"\nerrorDeclaration=" + tail.encode("utf-8") + b"\n")


def capture_document(db: Database, brand: str, data: Mapping[str, Any] | bytes | str, *,
                     captured_by: str) -> CaptureResult:
    document = parse_document(data)
    return _store(db, brand, list(document.events), document.context, captured_by=captured_by)


def capture_event(db: Database, brand: str, data: Mapping[str, Any] | bytes | str, *, captured_by: str) -> CaptureResult:
    event = parse_event(data)
    result = _store(db, brand, [event], data.get("@context") if isinstance(data, Mapping) else None,
                    captured_by=captured_by)
    if result.duplicates:
        raise Conflict(f"event {result.duplicates[0]} was captured before (same Event Hash ID {event.hash_id})")
    return result


def _store(db: Database, brand: str, events: list[EpcisEvent], context: Any, *, captured_by: str) -> CaptureResult:
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            fresh, duplicates = _store_once(db, brand, events, context, captured_by=captured_by)
            break
        except IntegrityError as exc:
            # A concurrent capture stored one of our new objects or events first: nothing of
            # ours was kept (one transaction), and the next attempt finds what it stored.
            if attempt == _ATTEMPTS or not state_store.lost_insert_race(exc):
                raise
    ledger.sequence(db, brand, wait=False)
    return CaptureResult(captured=tuple(e.event_id or e.hash_id for e in fresh),
                         duplicates=tuple(e.event_id or e.hash_id for e in duplicates))


_ATTEMPTS = 3


def _store_once(db: Database, brand: str, events: list[EpcisEvent], context: Any,
                *, captured_by: str) -> tuple[list[EpcisEvent], list[EpcisEvent]]:
    now = utc_now()
    with db.transaction() as session:
        brand_id = brand_by_slug(session, brand).id
        fresh, duplicates = _split_duplicates(session, brand_id, events)
        originals = event_store.rows_by_event_id(
            session, brand_id, [e.event_id for e in fresh if e.error_declaration is not None and e.event_id])
        entries = [ledger_entry_for(event.raw, context, event.hash_id, canonical=event.canonical) for event in fresh]
        entry_ids = ledger.record(session, brand_id, entries)
        rows = [
            {"brand_id": brand_id, "event_id": event.event_id or event.hash_id, "hash_id": event.hash_id,
             "event_type": event.type, "action": event.action, "event_time": event.event_time,
             "event_time_zone_offset": event.event_time_zone_offset, "record_time": now,
             "biz_step": event.biz_step, "disposition": event.disposition,
             "read_point": event.read_point.uri if event.read_point else None,
             "biz_location": event.biz_location.uri if event.biz_location else None,
             "is_error_declaration": event.error_declaration is not None,
             "declares_error_of": originals.get(event.event_id or "") if event.error_declaration else None,
             "document": json.dumps({"context": context, "event": event.raw}, separators=(",", ":"), sort_keys=True),
             "ledger_entry_id": entry_id, "captured_by": captured_by}
            for event, entry_id in zip(fresh, entry_ids)
        ]
        row_ids = event_store.insert_events(session, rows)
        event_store.insert_index(session, brand_id, _index_rows(fresh, row_ids))
        _update_state(session, brand_id, fresh, row_ids, now)
    return fresh, duplicates


def _split_duplicates(session, brand_id: int, events: list[EpcisEvent]) -> tuple[list[EpcisEvent], list[EpcisEvent]]:
    stored = {
        False: event_store.existing_hashes(session, brand_id, [e.hash_id for e in events if not e.error_declaration],
                                           declarations=False),
        True: event_store.existing_hashes(session, brand_id, [e.hash_id for e in events if e.error_declaration],
                                          declarations=True),
    }
    fresh: list[EpcisEvent] = []
    duplicates: list[EpcisEvent] = []
    seen: set[tuple[str, bool]] = set()
    for event in events:
        marker = (event.hash_id, event.error_declaration is not None)
        if marker[0] in stored[marker[1]] or marker in seen:
            duplicates.append(event)
        else:
            seen.add(marker)
            fresh.append(event)
    return fresh, duplicates


def _index_rows(events: list[EpcisEvent], row_ids: list[int]) -> list[tuple[int, str, str, datetime]]:
    """(event row id, role, identifier key, event time) of every identifier each event names, once."""
    rows: dict[tuple[int, str, str], datetime] = {}
    for event, row_id in zip(events, row_ids):
        time = event.event_time
        for role, field in ROLES:
            for identifier in getattr(event, field):
                rows[(row_id, role, identifier.key)] = time
        if event.parent_id is not None:
            rows[(row_id, "parent", event.parent_id.key)] = time
        for quantities in (event.quantity_list, event.child_quantity_list, event.input_quantity_list,
                           event.output_quantity_list):
            for quantity in quantities:
                rows[(row_id, "class", quantity.epc_class.key)] = time
    return [(row_id, role, key, time) for (row_id, role, key), time in rows.items()]


def _update_state(session: Session, brand_id: int, events: list[EpcisEvent], row_ids: list[int], now) -> None:
    # Everything inside a named container is read too: a container's move carries its contents.
    states = state_store.load_with_contents(session, brand_id, keys_of(events))
    known = set(states)
    # Shipping to a distributor mapped to a sales region sets the objects' intended region
    # (and, through containers, their contents'): the diversion rule compares scans with it.
    regions = {}
    if any(event.destination_list for event in events):
        regions = dict(session.execute(select(SalesChannel.party, SalesChannel.region)
                                       .where(SalesChannel.brand_id == brand_id)).all())
    changed = apply_events(states, sorted(zip(events, row_ids), key=lambda pair: (pair[0].event_time, pair[1])),
                           regions=regions)
    # In key order, so concurrent captures lock shared objects in the same order.
    state_store.write(session, brand_id, [states[key] for key in sorted(changed)], known=known, now=now)


def stored_event_entry(session: Session, ref: str) -> bytes:
    """Rebuild the ledger entry ``ref`` from the stored event row (for audits)."""
    kind, _, hash_id = ref.partition(":")
    row = session.scalar(select(EpcisEventRow).where(EpcisEventRow.hash_id == hash_id,
                                                     EpcisEventRow.is_error_declaration.is_(kind == "epcis-error")))
    if row is None:
        return b""
    stored = json.loads(row.document)
    return ledger_entry_for(stored["event"], stored["context"], row.hash_id).entry
