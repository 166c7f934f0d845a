"""Recalls: preview the blast radius, start (record, mark every unit recalled, notify),
follow progress, close; corrections and exports live beside this (recall_events,
recall_exports).

Recovered (computed when asked, from current state — no capture hook): after the recall
started, the unit's state shows disposition ``returned``, ``destroyed`` or ``disposed``,
or bizStep ``destroying``/``disposing``, or bizStep ``receiving`` at one of the recall's
``return_points``. CBV 2.0 has no ``returning`` bizStep; a return is a ``receiving`` scan at
a return point, or any scan with the ``returned`` disposition. Closing freezes the figures
(``recall_unit.recovered_at``).

References: CBV 2.0 §7.2 (dispositions recalled, returned, destroyed), §7.1 (bizSteps).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.orm import Session

from trace.db.base import utc_now
from trace.db.database import Database
from trace.db.events import EpcState
from trace.db.recalls import Recall, RecallUnit
from trace.errors import Conflict, InvalidInput, NotFound
from trace.services import recall_events
from trace.services.lookups import brand_by_slug
from trace.services.recall_criteria import RecallCriteria
from trace.services.recall_notices import RecallNotifier, WebhookQueue, notices_by_location
from trace.services.recall_scope import STATUSES, breakdown, scoped_units, seeds_of

RECOVERED_DISPOSITIONS = ("returned", "destroyed", "disposed")
RECOVERED_STEPS = ("destroying", "disposing")
PROGRESS_STATES = ("recovered", "outstanding", "excluded")


@dataclass(frozen=True, slots=True)
class RecallPreview:
    total: int
    by_status: dict[str, int]
    by_location: dict[str, int]
    """Location URI (``""``: never scanned anywhere) → units."""
    by_kind: dict[str, int]
    seconds: float


@dataclass(frozen=True, slots=True)
class RecallSummary:
    id: int
    reference: str
    reason: str
    status: str
    criteria: dict[str, Any]
    created_by: str
    created_at: datetime
    started_at: datetime | None
    closed_by: str | None
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class LocationProgress:
    location: str
    total: int
    recovered: int
    outstanding: int


@dataclass(frozen=True, slots=True)
class DayProgress:
    day: date
    recovered: int
    cumulative: int


@dataclass(frozen=True, slots=True)
class RecallProgress:
    total: int
    recovered: int
    outstanding: int
    excluded: int
    by_location: tuple[LocationProgress, ...]
    daily: tuple[DayProgress, ...]


@dataclass(frozen=True, slots=True)
class RecallUnitView:
    key: str
    uri: str
    kind: str
    status_at_start: str
    location_at_start: str | None
    custodian_at_start: str | None
    state: str
    """recovered, outstanding or excluded."""
    recovered_at: datetime | None


def preview(db: Database, brand: str, criteria: RecallCriteria) -> RecallPreview:
    """Counts by status, location and kind of everything the criteria would recall; writes nothing."""
    began = time.perf_counter()
    with db.reading() as session:
        brand_id = brand_by_slug(session, brand).id
        rows = breakdown(session, brand_id, seeds_of(session, brand_id, criteria))
    by_status: Counter[str] = Counter({status: 0 for status in STATUSES})
    by_location: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    for status, location, kind, count in rows:
        by_status[status] += count
        by_location[location or ""] += count
        by_kind[kind] += count
    return RecallPreview(total=sum(by_status.values()), by_status=dict(by_status),
                         by_location=dict(by_location.most_common()), by_kind=dict(by_kind),
                         seconds=time.perf_counter() - began)


def start(db: Database, brand: str, criteria: RecallCriteria, *, reason: str, by: str,
          reference: str | None = None, notifier: RecallNotifier | None = None) -> RecallSummary:
    """Record the recall and its units, queue partner notices, then mark every unit recalled.

    The recall events are captured in batches after the recall is recorded; each batch is
    idempotent (same content, same Event Hash ID), so re-running :func:`recall_events.emit`
    finishes a start that was interrupted.
    """
    if not reason.strip():
        raise InvalidInput("a recall needs a reason: expected a non-empty reason")
    now = recall_events.event_clock(utc_now())
    reference = reference or f"RC-{now:%Y%m%d-%H%M%S}"
    with db.transaction() as session:
        brand_id = brand_by_slug(session, brand).id
        if session.scalar(select(Recall.id).where(Recall.brand_id == brand_id, Recall.reference == reference)):
            raise Conflict(f"recall {reference!r} exists already: expected a new reference")
        units = list(scoped_units(session, brand_id, seeds_of(session, brand_id, criteria)))
        if not units:
            raise InvalidInput(f"the criteria {criteria.to_json()} select no unit: nothing to recall")
        recall = Recall(brand_id=brand_id, reference=reference, reason=reason, status="active",
                        criteria=json.dumps(criteria.to_json(), sort_keys=True), created_by=by,
                        created_at=now, started_at=now)
        session.add(recall)
        session.flush()
        event_ids = recall_events.event_ids(brand, reference, len(units))
        session.execute(insert(RecallUnit), [
            {"recall_id": recall.id, "epc_key": u.key, "uri": u.uri, "kind": u.kind, "status_at_start": u.status,
             "location_at_start": u.location, "custodian_at_start": u.custodian,
             "disposition_at_start": u.disposition, "event_id": event_ids[i // recall_events.EPCS_PER_EVENT]}
            for i, u in enumerate(units)])
        (notifier or WebhookQueue()).notify(session, brand_id, notices_by_location(
            reference, reason, [(u.uri, u.location, u.custodian) for u in units]))
        recall_id = recall.id
    recall_events.emit(db, brand, recall_id)
    return get(db, brand, recall_id)


def _recall(session: Session, brand: str, recall_id: int) -> Recall:
    brand_id = brand_by_slug(session, brand).id
    recall = session.get(Recall, recall_id)
    if recall is None or recall.brand_id != brand_id:
        raise NotFound(f"unknown recall {recall_id} for brand {brand!r}")
    return recall


def _summary(recall: Recall) -> RecallSummary:
    return RecallSummary(id=recall.id, reference=recall.reference, reason=recall.reason, status=recall.status,
                         criteria=json.loads(recall.criteria), created_by=recall.created_by,
                         created_at=recall.created_at, started_at=recall.started_at, closed_by=recall.closed_by,
                         closed_at=recall.closed_at)


def get(db: Database, brand: str, recall_id: int) -> RecallSummary:
    with db.reading() as session:
        return _summary(_recall(session, brand, recall_id))


def list_recalls(db: Database, brand: str) -> list[RecallSummary]:
    with db.reading() as session:
        brand_id = brand_by_slug(session, brand).id
        return [_summary(r) for r in session.scalars(select(Recall).where(Recall.brand_id == brand_id)
                                                     .order_by(Recall.id.desc()))]


def _recovered(recall: Recall) -> Any:
    """SQL: the unit counts as recovered (see the module docstring)."""
    location = func.coalesce(EpcState.biz_location, EpcState.read_point)
    back = or_(EpcState.disposition.in_(RECOVERED_DISPOSITIONS), EpcState.biz_step.in_(RECOVERED_STEPS))
    points = RecallCriteria.from_json(json.loads(recall.criteria)).return_points
    if points:
        back = or_(back, and_(EpcState.biz_step == "receiving", location.in_(points)))
    return and_(RecallUnit.excluded_at.is_(None),
                or_(RecallUnit.recovered_at.is_not(None),
                    and_(EpcState.last_event_time > recall.started_at, back)))


def _unit_rows(session: Session, recall: Recall):
    return (select(RecallUnit, _recovered(recall).label("recovered"),
                   func.coalesce(RecallUnit.recovered_at, EpcState.last_event_time).label("at"))
            .outerjoin(EpcState, and_(EpcState.brand_id == recall.brand_id, EpcState.epc_key == RecallUnit.epc_key))
            .where(RecallUnit.recall_id == recall.id))


def progress(db: Database, brand: str, recall_id: int) -> RecallProgress:
    """Recovered and outstanding units, by location at start and per day of recovery."""
    with db.reading() as session:
        recall = _recall(session, brand, recall_id)
        query = _unit_rows(session, recall).subquery()
        rows = session.execute(select(query.c.location_at_start, query.c.excluded_at.is_not(None), query.c.recovered,
                                      func.count()).group_by(query.c.location_at_start,
                                                             query.c.excluded_at.is_not(None), query.c.recovered))
        totals: dict[str, list[int]] = {}
        excluded = 0
        for location, is_excluded, recovered, count in rows:
            if is_excluded:
                excluded += count
                continue
            entry = totals.setdefault(location or "", [0, 0])
            entry[0] += count
            entry[1] += count if recovered else 0
        days = Counter(at.date() for recovered, at in session.execute(
            select(query.c.recovered, query.c.at).where(query.c.recovered)) if at is not None)
    by_location = tuple(LocationProgress(loc, total, back, total - back)
                        for loc, (total, back) in sorted(totals.items(), key=lambda t: (-t[1][0], t[0])))
    cumulative, daily = 0, []
    for day in sorted(days):
        cumulative += days[day]
        daily.append(DayProgress(day, days[day], cumulative))
    recovered = sum(p.recovered for p in by_location)
    total = sum(p.total for p in by_location)
    return RecallProgress(total=total, recovered=recovered, outstanding=total - recovered, excluded=excluded,
                          by_location=by_location, daily=tuple(daily))


def units(db: Database, brand: str, recall_id: int, *, status: str | None = None, location: str | None = None,
          limit: int = 1000, offset: int = 0) -> list[RecallUnitView]:
    """The affected units, filterable by status at start (or recovered/outstanding/excluded) and location."""
    if status and status not in STATUSES + PROGRESS_STATES:
        raise InvalidInput(f"unknown status {status!r}: expected one of {', '.join(STATUSES + PROGRESS_STATES)}")
    with db.reading() as session:
        recall = _recall(session, brand, recall_id)
        query = _unit_rows(session, recall)
        recovered = _recovered(recall)
        if status in STATUSES:
            query = query.where(RecallUnit.status_at_start == status)
        elif status == "excluded":
            query = query.where(RecallUnit.excluded_at.is_not(None))
        elif status == "recovered":
            query = query.where(recovered)
        elif status == "outstanding":
            query = query.where(RecallUnit.excluded_at.is_(None), ~recovered)
        if location:
            query = query.where(RecallUnit.location_at_start == location)
        rows = session.execute(query.order_by(RecallUnit.epc_key).limit(limit).offset(offset))
        return [RecallUnitView(key=u.epc_key, uri=u.uri, kind=u.kind, status_at_start=u.status_at_start,
                               location_at_start=u.location_at_start, custodian_at_start=u.custodian_at_start,
                               state="excluded" if u.excluded_at else "recovered" if back else "outstanding",
                               recovered_at=at if back else None)
                for u, back, at in rows]


def close(db: Database, brand: str, recall_id: int, *, by: str) -> RecallSummary:
    """Close an active recall: who and when, and the recovered figures frozen as they stand."""
    now = utc_now()
    with db.transaction() as session:
        recall = _recall(session, brand, recall_id)
        if recall.status != "active":
            raise Conflict(f"recall {recall.reference!r} is {recall.status}: expected an active recall to close")
        recovered = _unit_rows(session, recall).where(_recovered(recall), RecallUnit.recovered_at.is_(None))
        frozen = [{"recall_id": recall.id, "epc_key": unit.epc_key, "recovered_at": at}
                  for unit, _, at in session.execute(recovered).all()]
        if frozen:
            session.execute(update(RecallUnit), frozen)  # bulk update by primary key
        recall.status, recall.closed_by, recall.closed_at = "closed", by, now
        return _summary(recall)
