"""Alerts raised by consumer scans (copies, diversion, NFC replays): listing and their life cycle.

open → acknowledged → closed (or open → closed). A closed alert stays, as evidence; a new
flag for the same unit and kind then opens a new one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from trace.db.base import utc_now
from trace.db.consumer import Alert
from trace.db.database import Database
from trace.errors import Conflict, InvalidInput, NotFound
from trace.services.lookups import brand_by_slug

STATUSES = ("open", "acknowledged", "closed")
_NEXT = {"acknowledge": ("acknowledged", {"open"}), "close": ("closed", {"open", "acknowledged"})}


@dataclass(frozen=True, slots=True)
class AlertView:
    id: int
    brand: str
    kind: str
    unit: str
    reason: str
    evidence: dict[str, Any]
    status: str
    created_at: datetime
    updated_at: datetime


def _view(row: Alert, brand: str) -> AlertView:
    return AlertView(id=row.id, brand=brand, kind=row.kind, unit=row.unit_key, reason=row.reason,
                     evidence=json.loads(row.evidence), status=row.status, created_at=row.created_at,
                     updated_at=row.updated_at)


def list_alerts(db: Database, brand: str, *, status: str | None = None, kind: str | None = None,
                limit: int = 100) -> list[AlertView]:
    """The brand's alerts, newest first."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"invalid alert status {status!r}: expected one of {', '.join(STATUSES)}")
    with db.reading() as session:
        brand_row = brand_by_slug(session, brand)
        query = select(Alert).where(Alert.brand_id == brand_row.id)
        if status is not None:
            query = query.where(Alert.status == status)
        if kind is not None:
            query = query.where(Alert.kind == kind)
        rows = session.scalars(query.order_by(Alert.id.desc()).limit(max(1, min(limit, 1000))))
        return [_view(row, brand_row.slug) for row in rows]


def change_status(db: Database, brand: str, alert_id: int, action: str) -> AlertView:
    """``acknowledge`` or ``close`` an alert of ``brand``."""
    if action not in _NEXT:
        raise InvalidInput(f"invalid alert action {action!r}: expected acknowledge or close")
    target, allowed = _NEXT[action]
    with db.transaction() as session:
        brand_row = brand_by_slug(session, brand)
        row = session.get(Alert, alert_id, with_for_update=True)
        if row is None or row.brand_id != brand_row.id:
            raise NotFound(f"unknown alert {alert_id} of brand {brand!r}")
        if row.status not in allowed:
            raise Conflict(f"alert {alert_id} is {row.status}: cannot {action} it")
        row.status, row.updated_at = target, utc_now()
        session.flush()
        return _view(row, brand_row.slug)
