"""The console's recall progress chart data: recovered and outstanding at the end of each day."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone

from codegen.mint_job import MintRequest, mint
from support.epcis_events import DC, aggregation, case, document, object_event
from support.factories import seeded_catalog
from trace.services import recall, recall_timeline
from trace.services.capture import capture_document
from trace.services.recall import DayProgress, RecallProgress, RecallSummary
from trace.services.recall_criteria import RecallCriteria

RETURNS = "urn:epc:id:sgln:9506000.13435.5"


def _at(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def test_timeline_of_a_recall_with_returns_on_two_days(runtime) -> None:
    cat = seeded_catalog(runtime)
    out = io.StringIO()
    mint(runtime.db, runtime.key_store, MintRequest(gtin=cat.gtin, lot=cat.lot, count=6, output_format="csv", out=None,
                                                    requested_by="test"), stdout=out)
    serials = [row["serial"] for row in csv.DictReader(io.StringIO(out.getvalue()))]
    items = [f"https://id.gs1.org/01/{cat.gtin}/21/{s}" for s in serials]
    capture_document(runtime.db, "acme", document([
        aggregation("2026-11-01T09:00:00+08:00", case(1), items),
        object_event("2026-11-02T10:00:00+08:00", [case(1)], step="receiving", disposition="in_progress",
                     location=DC)]), captured_by="test")
    started = recall.start(runtime.db, "acme", RecallCriteria(gtin=cat.gtin, lots=(cat.lot,)), reason="seal defect",
                           by="test", reference="RC-T")
    day0 = started.started_at.date()
    noon = datetime.combine(day0, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=12)
    capture_document(runtime.db, "acme", document([
        object_event(_at(noon + timedelta(days=1)), items[:2], step="receiving", disposition="returned",
                     location=RETURNS),
        object_event(_at(noon + timedelta(days=3)), items[2:3], step="receiving", disposition="returned",
                     location=RETURNS)]), captured_by="returns")
    summary = recall.get(runtime.db, "acme", started.id)
    progress = recall.progress(runtime.db, "acme", started.id)
    points = recall_timeline.timeline(summary, progress, today=day0 + timedelta(days=4))
    assert [(p.day - day0).days for p in points] == [0, 1, 2, 3, 4]
    assert [(p.recovered, p.outstanding) for p in points] == [(0, 7), (2, 5), (2, 5), (3, 4), (3, 4)]
    # Seen from the day it started, the chart still reaches the last recovery.
    assert len(recall_timeline.timeline(summary, progress, today=day0)) == 4
    recall.close(runtime.db, "acme", started.id, by="test")
    closed = recall.get(runtime.db, "acme", started.id)
    final = recall.progress(runtime.db, "acme", started.id)
    later = recall_timeline.timeline(closed, final, today=day0 + timedelta(days=40))
    assert [(p.recovered, p.outstanding) for p in later][-1] == (3, 4) and len(later) == 4


def test_long_recalls_keep_at_most_sixty_points_ending_on_the_last_day() -> None:
    start = datetime(2026, 1, 1, 8, tzinfo=timezone.utc)
    summary = RecallSummary(id=1, reference="R", reason="r", status="active", criteria={}, created_by="t",
                            created_at=start, started_at=start, closed_by=None, closed_at=None)
    progress = RecallProgress(total=100, recovered=30, outstanding=70, excluded=0, by_location=(),
                              daily=(DayProgress(date(2026, 1, 10), 10, 10), DayProgress(date(2026, 6, 1), 20, 30)))
    points = recall_timeline.timeline(summary, progress, today=date(2026, 7, 19))  # 200 days
    assert len(points) == 50 and points[-1].day == date(2026, 7, 19)
    assert [(p.day, p.recovered) for p in points[:4]] == [
        (date(2026, 1, 4), 0), (date(2026, 1, 8), 0), (date(2026, 1, 12), 10), (date(2026, 1, 16), 10)]
    assert (points[-1].recovered, points[-1].outstanding) == (30, 70)
    not_started = RecallSummary(**{**{f: getattr(summary, f) for f in RecallSummary.__dataclass_fields__},
                                   "started_at": None})
    assert recall_timeline.timeline(not_started, progress, today=date(2026, 7, 19)) == ()
