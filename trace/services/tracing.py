"""Answers about one object: where it is, what it contains, where it has been.

History follows containers: an item packed in a case that travelled on a pallet has, in
its history, the case's and the pallet's events for as long as it was inside them (from
the AggregationEvent ADD to the DELETE), so "where has this item been" is answered even
though nobody scanned the item between packing and unpacking.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, case, or_, select
from sqlalchemy.orm import Session

from trace.db import event_store
from trace.db.events import EpcisEventEpc, EpcisEventRow, EpcState
from trace.db.database import Database
from trace.domain.epcis import parse_identifier
from trace.errors import IdentifierError, NotFound
from trace.services.lookups import brand_by_slug

MAX_DEPTH = 4  # item in case in pallet in container: deeper nesting is not followed


@dataclass(frozen=True, slots=True)
class ObjectView:
    key: str
    uri: str
    biz_step: str | None
    disposition: str | None
    read_point: str | None
    biz_location: str | None
    custodian: str | None
    parent: str | None
    last_event_time: datetime


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    event_id: str
    hash_id: str
    """The CBV 2.0 Event Hash ID (the event's ledger entry is ``epcis:<hash_id>``)."""
    event_type: str
    action: str | None
    event_time: datetime
    biz_step: str | None
    disposition: str | None
    read_point: str | None
    biz_location: str | None
    via: str | None
    """The container whose event this is (None: the object itself was named)."""
    erroneous: bool


@dataclass(frozen=True, slots=True)
class ContentsNode:
    object: ObjectView
    children: tuple[ContentsNode, ...]


def _view(row: EpcState, uris: dict[str, str]) -> ObjectView:
    return ObjectView(key=row.epc_key, uri=row.uri, biz_step=row.biz_step, disposition=row.disposition,
                      read_point=row.read_point, biz_location=row.biz_location, custodian=row.custodian,
                      parent=uris.get(row.parent_key or "", row.parent_key), last_event_time=row.last_event_time)


def _resolve(session: Session, brand: str, identifier: str) -> tuple[int, EpcState]:
    brand_id = brand_by_slug(session, brand).id
    try:
        key = parse_identifier(identifier).key
    except IdentifierError:
        key = identifier  # an index key as shown by the API (GS1 element string), e.g. 0109506000134352211001
    row = event_store.state_of(session, brand_id, key)
    if row is None:
        raise NotFound(f"unknown object {identifier!r}: no event of brand {brand!r} names it")
    return brand_id, row


def current_state(db: Database, brand: str, identifier: str) -> ObjectView:
    with db.reading() as session:
        brand_id, row = _resolve(session, brand, identifier)
        parent = event_store.state_of(session, brand_id, row.parent_key) if row.parent_key else None
        return _view(row, {parent.epc_key: parent.uri} if parent else {})


def contents(db: Database, brand: str, identifier: str) -> ContentsNode:
    with db.reading() as session:
        brand_id, row = _resolve(session, brand, identifier)
        return _contents(session, brand_id, row, depth=0)


def _contents(session: Session, brand_id: int, row: EpcState, *, depth: int) -> ContentsNode:
    children = event_store.children_of(session, brand_id, row.epc_key) if depth < MAX_DEPTH else []
    return ContentsNode(object=_view(row, {}),
                        children=tuple(_contents(session, brand_id, child, depth=depth + 1) for child in children))


def history(db: Database, brand: str, identifier: str) -> list[HistoryEntry]:
    with db.reading() as session:
        brand_id, row = _resolve(session, brand, identifier)
        return _history(session, brand_id, row.epc_key)


def history_of_key(db: Database, brand_id: int, key: str) -> list[HistoryEntry]:
    """:func:`history` of an object its caller has found already (an index key of the brand)."""
    with db.reading() as session:
        return _history(session, brand_id, key)


def _history(session: Session, brand_id: int, key: str) -> list[HistoryEntry]:
    found: dict[int, HistoryEntry] = {}
    _collect(session, brand_id, key, None, None, None, found, _declared_erroneous(session, brand_id), depth=0)
    return sorted(found.values(), key=lambda e: (e.event_time, e.event_id))


# Built once (a consumer's scan of a travelled item runs it for the item and each of its
# containers): the columns a history needs, and each event's document only where it is
# read — an aggregation's parentID for its children, an emptying DELETE's childEPCs.
_NAMING = (
    select(EpcisEventRow.id, EpcisEventRow.event_id, EpcisEventRow.hash_id, EpcisEventRow.event_type,
           EpcisEventRow.action, EpcisEventRow.event_time, EpcisEventRow.biz_step, EpcisEventRow.disposition,
           EpcisEventRow.read_point, EpcisEventRow.biz_location, EpcisEventRow.is_error_declaration,
           case((and_(EpcisEventRow.event_type == "AggregationEvent",
                      or_(EpcisEventEpc.role == "child", and_(EpcisEventEpc.role == "parent",
                                                              EpcisEventRow.action == "DELETE"))),
                 EpcisEventRow.document), else_=None).label("document"),
           EpcisEventEpc.role)
    .join(EpcisEventEpc, EpcisEventEpc.event_row_id == EpcisEventRow.id)
    .where(EpcisEventEpc.brand_id == bindparam("brand_id"), EpcisEventEpc.epc_key == bindparam("key"),
           EpcisEventEpc.role.in_(bindparam("roles", expanding=True)))
    .order_by(EpcisEventRow.event_time, EpcisEventRow.id)
)


def _events_naming(session: Session, brand_id: int, key: str, roles: tuple[str, ...]):
    """(event, role) of every event naming ``key`` in one of ``roles``, oldest first."""
    return [(row, row.role) for row in session.execute(_NAMING, {"brand_id": brand_id, "key": key,
                                                                  "roles": list(roles)})]


_ROLES = ("epc", "child", "parent", "input", "output")


def _collect(session: Session, brand_id: int, key: str, via: str | None, start: datetime | None,
             end: datetime | None, found: dict[int, HistoryEntry], erroneous: set[int], *, depth: int,
             naming: list | None = None) -> None:
    """Add the events of ``key`` between ``start`` and ``end`` to ``found``, then those of
    each container it was in while inside it (``naming``: the events naming ``key``, if read)."""
    windows: dict[str, list[tuple[datetime, datetime | None]]] = {}
    if naming is None:
        naming = _events_naming(session, brand_id, key, _ROLES)
    for event, role in naming:
        if event.is_error_declaration:
            continue
        if (start and event.event_time < start) or (end and event.event_time > end):
            continue
        found.setdefault(event.id, HistoryEntry(
            event_id=event.event_id, hash_id=event.hash_id, event_type=event.event_type, action=event.action, event_time=event.event_time,
            biz_step=event.biz_step, disposition=event.disposition, read_point=event.read_point,
            biz_location=event.biz_location, via=via, erroneous=event.id in erroneous))
        if role == "child" and event.event_type == "AggregationEvent" and event.id not in erroneous:
            parent = json.loads(event.document)["event"].get("parentID")
            if parent:
                parent_key = parse_identifier(parent).key
                spans = windows.setdefault(parent_key, [])
                if event.action in ("ADD", "OBSERVE") and (not spans or spans[-1][1] is not None):
                    spans.append((event.event_time, None))
                elif event.action == "DELETE" and spans and spans[-1][1] is None:
                    spans[-1] = (spans[-1][0], event.event_time)
    if depth >= MAX_DEPTH:
        return
    for parent_key, spans in windows.items():
        naming = _events_naming(session, brand_id, parent_key, _ROLES)  # read once for all its spans
        spans = _close_on_unpacking(naming, spans)
        parent_state = event_store.state_of(session, brand_id, parent_key)
        label = parent_state.uri if parent_state else parent_key
        for opened, closed in spans:
            _collect(session, brand_id, parent_key, label, max(opened, start) if start else opened,
                     min(closed, end) if closed and end else closed or end, found, erroneous, depth=depth + 1,
                     naming=naming)


def _close_on_unpacking(naming: list, spans: list[tuple[datetime, datetime | None]]) -> list[tuple[datetime, datetime | None]]:
    """An AggregationEvent DELETE that lists no children empties the container (EPCIS 2.0 §7.4.3);
    ``naming``: the events naming the container."""
    emptied = [event.event_time for event, role in naming
               if role == "parent" and event.event_type == "AggregationEvent" and event.action == "DELETE"
               and not json.loads(event.document)["event"].get("childEPCs")]
    closed = []
    for opened, end in spans:
        later = [t for t in emptied if t >= opened and (end is None or t < end)]
        closed.append((opened, min(later) if later else end))
    return closed


def _declared_erroneous(session: Session, brand_id: int) -> set[int]:
    return set(session.scalars(select(EpcisEventRow.declares_error_of).where(
        EpcisEventRow.brand_id == brand_id, EpcisEventRow.declares_error_of.is_not(None))))
