"""Alerts raised by consumer scans, and the webhooks they are sent to."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from trace.api.deps import BrandAdmin, Reader, RuntimeDep, check_brand
from trace.domain.access import Principal
from trace.errors import InvalidInput
from trace.services import alerts, webhooks

router = APIRouter(prefix="/api/v1", tags=["alerts"])


def brand_of(principal: Principal, brand: str | None) -> str:
    chosen = brand or principal.brand
    if chosen is None:
        raise InvalidInput("which brand? pass ?brand=… or use an API key bound to a brand")
    check_brand(principal, chosen)
    return chosen


class WebhookIn(BaseModel):
    url: str = Field(max_length=500)
    kinds: list[Annotated[str, Field(min_length=1, max_length=30)]] = Field(default_factory=lambda: ["*"],
                                                                               min_length=1, max_length=20)
    secret: str | None = Field(default=None, min_length=16, max_length=200)
    brand: str | None = None


@router.get("/alerts")
def list_alerts(runtime: RuntimeDep, principal: Reader, brand: str | None = None,
                status: Literal["open", "acknowledged", "closed"] | None = None,
                kind: Annotated[str | None, Query(max_length=30)] = None,
                limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict]:
    """The brand's alerts, newest first, with their evidence (scans, times, regions)."""
    return [asdict(a) for a in alerts.list_alerts(runtime.db, brand_of(principal, brand), status=status, kind=kind,
                                                   limit=limit)]


@router.post("/alerts/{alert_id}/{action}")
def change_alert(alert_id: int, action: Literal["acknowledge", "close"], runtime: RuntimeDep, principal: BrandAdmin,
                 brand: str | None = None) -> dict:
    return asdict(alerts.change_status(runtime.db, brand_of(principal, brand), alert_id, action))


@router.post("/webhooks", status_code=201)
def register_webhook(body: WebhookIn, runtime: RuntimeDep, principal: BrandAdmin) -> dict:
    """Register a receiver; the answer carries its signing secret, shown this once."""
    hook = webhooks.register(runtime.db, runtime.settings.secret_key_bytes(), brand=brand_of(principal, body.brand),
                             url=body.url, kinds=tuple(body.kinds), secret=body.secret)
    return asdict(hook)
