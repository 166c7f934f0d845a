"""Where a brand sells (sales channels → regions, for diversion checks) and its campaigns."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from trace.api.deps import BrandAdmin, Reader, RuntimeDep
from trace.api.routes.alerts import brand_of
from trace.services import sales_channels

router = APIRouter(prefix="/api/v1", tags=["sales"])


class ChannelIn(BaseModel):
    party: str = Field(min_length=1, max_length=300, description="Distributor as named in destinationList")
    region: str = Field(min_length=2, max_length=20, description="ISO 3166-1/-2 code, e.g. CN or CN-31")
    brand: str | None = None


class CampaignIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    offer: str = Field(min_length=1, max_length=300)
    gtin: str | None = Field(default=None, max_length=14)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    brand: str | None = None


@router.post("/sales-channels", status_code=201)
def set_channel(body: ChannelIn, runtime: RuntimeDep, principal: BrandAdmin) -> dict:
    return asdict(sales_channels.set_channel(runtime.db, brand=brand_of(principal, body.brand), party=body.party,
                                             region=body.region))


@router.get("/sales-channels")
def list_channels(runtime: RuntimeDep, principal: Reader, brand: str | None = None) -> list[dict]:
    return [asdict(c) for c in sales_channels.channels(runtime.db, brand_of(principal, brand))]


@router.post("/campaigns", status_code=201)
def add_campaign(body: CampaignIn, runtime: RuntimeDep, principal: BrandAdmin) -> dict:
    return asdict(sales_channels.add_campaign(runtime.db, brand=brand_of(principal, body.brand), name=body.name,
                                              offer=body.offer, gtin=body.gtin, starts_at=body.starts_at,
                                              ends_at=body.ends_at))
