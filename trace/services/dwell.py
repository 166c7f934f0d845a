"""Dwell times from the event log: how long objects stay between business steps and at
each location, per product, lot or location (what logistics teams ask of EPCIS data)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from trace.db.database import Database
from trace.db.events import EpcState
from trace.db.models import Lot, Product, Unit
from trace.errors import NotFound
from trace.identifiers import Gtin
from trace.services.lookups import brand_by_slug
from trace.services.tracing import history

MAX_OBJECTS = 10_000


@dataclass(frozen=True, slots=True)
class DwellStat:
    """Seconds spent from ``from_step`` until ``to_step`` (or at ``location``) over ``count`` objects."""

    from_step: str | None
    to_step: str | None
    location: str | None
    count: int
    mean_s: float
    median_s: float
    p90_s: float
    max_s: float


def _stat(durations: list[float], **labels: str | None) -> DwellStat:
    ordered = sorted(durations)
    return DwellStat(count=len(ordered), mean_s=statistics.fmean(ordered), median_s=statistics.median(ordered),
                     p90_s=ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], max_s=ordered[-1], **labels)


def _keys(db: Database, brand: str, gtin: str | None, lot: str | None, location: str | None) -> list[str]:
    with db.reading() as session:
        brand_id = brand_by_slug(session, brand).id
        if gtin is not None:
            gtin14 = Gtin.parse(gtin).value
            query = select(Unit.serial).where(Unit.gtin == gtin14, Unit.brand_id == brand_id)
            if lot is not None:
                query = query.join(Lot, Lot.id == Unit.lot_id).join(Product, Product.id == Lot.product_id).where(
                    Lot.lot_number == lot)
            return [f"01{gtin14}21{serial}" for serial in session.scalars(query.limit(MAX_OBJECTS))]
        query = select(EpcState.epc_key).where(EpcState.brand_id == brand_id).order_by(EpcState.epc_key)
        return list(session.scalars(query.limit(MAX_OBJECTS)))


def dwell_times(db: Database, brand: str, *, gtin: str | None = None, lot: str | None = None,
                location: str | None = None) -> list[DwellStat]:
    """Per business-step transition and per location, over the objects selected.

    With ``location``, only the time objects spent there (arrival to the first event
    elsewhere), over every object that passed through it.
    """
    steps: dict[tuple[str | None, str | None], list[float]] = defaultdict(list)
    places: dict[str, list[float]] = defaultdict(list)
    for key in _keys(db, brand, gtin, lot, location):
        try:
            events = [e for e in history(db, brand, key) if not e.erroneous]
        except NotFound:  # minted but never scanned: no dwell to measure
            continue
        for before, after in zip(events, events[1:]):
            if before.biz_step != after.biz_step:
                steps[(before.biz_step, after.biz_step)].append((after.event_time - before.event_time).total_seconds())
        arrived = None
        for i, event in enumerate(events):
            if event.biz_location and (arrived is None or events[arrived].biz_location != event.biz_location):
                if arrived is not None and events[arrived].biz_location:
                    places[events[arrived].biz_location].append(
                        (event.event_time - events[arrived].event_time).total_seconds())
                arrived = i
    if location is not None:
        return [_stat(places[location], from_step=None, to_step=None, location=location)] if places[location] else []
    result = [_stat(d, from_step=a, to_step=b, location=None) for (a, b), d in sorted(steps.items(), key=str)]
    return result + [_stat(d, from_step=None, to_step=None, location=place) for place, d in sorted(places.items())]
