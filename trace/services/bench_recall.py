"""`tracemark bench recall`: the blast radius of a lot and of a supplier lot over a large
dataset (see :mod:`trace.services.bench_recall_dataset`), next to a bare indexed count of
the lot's items measured in the same run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text

from trace.db import migrate
from trace.db.database import Database
from trace.errors import ConfigurationError
from trace.services.bench_recall_dataset import SUPPLIER_LOT, recall_dataset
from trace.services.recall import preview
from trace.services.recall_criteria import RecallCriteria

ROUNDS = 5
"""Each figure is the best of this many runs (the machine is shared; the best run is the
one least disturbed)."""


@dataclass(frozen=True, slots=True)
class RecallBenchResult:
    database: str
    items: int
    lot_size: int
    dataset: str
    build_seconds: float | None
    """None when an existing dataset was reused."""
    bare_count_seconds: float
    bare_count: int
    lot_seconds: float
    lot_units: int
    lot_by_status: dict[str, int]
    supplier_lot_seconds: float
    supplier_lot_units: int

    @property
    def lot_ratio(self) -> float:
        return self.lot_seconds / self.bare_count_seconds

    @property
    def supplier_lot_ratio(self) -> float:
        return self.supplier_lot_seconds / self.bare_count_seconds


def bench_recall(*, database_url: str, items: int = 10_000_000, lot_size: int = 100_000, reuse: bool = False,
                 progress: Callable[[int], None] | None = None) -> RecallBenchResult:
    if not database_url.startswith("postgresql"):
        raise ConfigurationError("tracemark bench recall needs PostgreSQL: pass --database-url postgresql+psycopg2://…")
    if items < 2 * lot_size:
        raise ConfigurationError(f"--items {items} is less than two lots of {lot_size}: lot B1 would not exist")
    migrate.upgrade(database_url)
    db = Database.from_url(database_url)
    try:
        data = recall_dataset(db, items=items, lot_size=lot_size, reuse=reuse, progress=progress)
        with db.engine.connect() as conn:
            lot_id = conn.scalar(text("SELECT l.id FROM lot l JOIN product p ON p.id = l.product_id "
                                      "WHERE p.brand_id = :b AND l.lot_number = 'B1'"), {"b": data.brand_id})
            bare = _best(lambda: conn.scalar(text("SELECT count(*) FROM unit WHERE lot_id = :l"), {"l": lot_id}))
        lot = RecallCriteria(gtin=data.gtin, lots=("B1",))
        supplier = RecallCriteria(material_lots=(SUPPLIER_LOT,))
        lot_preview = min((preview(db, data.slug, lot) for _ in range(ROUNDS)), key=lambda p: p.seconds)
        supplier_preview = min((preview(db, data.slug, supplier) for _ in range(ROUNDS)), key=lambda p: p.seconds)
        return RecallBenchResult(database="postgresql", items=items, lot_size=lot_size, dataset=data.slug,
                                 build_seconds=data.build_seconds, bare_count_seconds=bare[0], bare_count=bare[1],
                                 lot_seconds=lot_preview.seconds, lot_units=lot_preview.total,
                                 lot_by_status=lot_preview.by_status,
                                 supplier_lot_seconds=supplier_preview.seconds,
                                 supplier_lot_units=supplier_preview.total)
    finally:
        db.dispose()


def _best(run: Callable[[], object]) -> tuple[float, int]:
    timings = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        value = run()
        timings.append(time.perf_counter() - began)
    return min(timings), int(value)  # type: ignore[call-overload]
