"""A recall's progress over time: recovered and outstanding units at the end of each day.

Built from :func:`trace.services.recall.progress` (which counts recoveries per day) so it
adds no query: day by day from the day the recall started to the day it closed (or today,
or the last recovery if that is later), zero days included. Long recalls are shown with one
point every few days so a chart keeps at most ``MAX_POINTS`` points; the last day is always
one of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from trace.services.recall import RecallProgress, RecallSummary

MAX_POINTS = 60


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    day: date
    recovered: int
    """Units recovered by the end of ``day`` (cumulative)."""
    outstanding: int
    """Units still out at the end of ``day``."""


def timeline(summary: RecallSummary, progress: RecallProgress, *, today: date) -> tuple[ProgressPoint, ...]:
    """Recovered / outstanding at the end of each day of the recall (empty before it starts)."""
    if summary.started_at is None:
        return ()
    first = summary.started_at.date()
    last = summary.closed_at.date() if summary.closed_at else today
    if progress.daily:
        last = max(last, progress.daily[-1].day)
    first = min(first, progress.daily[0].day) if progress.daily else first
    span = (last - first).days + 1
    step = math.ceil(span / MAX_POINTS)
    days = [first + timedelta(days=i) for i in range(span - 1, -1, -step)][::-1]
    recovered_by = {d.day: d.cumulative for d in progress.daily}
    points, cumulative, cursor = [], 0, first
    for day in days:
        while cursor <= day:
            cumulative = recovered_by.get(cursor, cumulative)
            cursor += timedelta(days=1)
        points.append(ProgressPoint(day=day, recovered=cumulative, outstanding=progress.total - cumulative))
    return tuple(points)
