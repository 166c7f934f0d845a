"""Leads (loyalty signups) for brand admins: export and erase per person."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel

from trace.api.deps import BrandAdmin, RuntimeDep, check_brand
from trace.services import leads

router = APIRouter(prefix="/api/v1/leads", tags=["leads"])

BrandQuery = Annotated[str, Query(max_length=100, description="Brand slug")]


class LeadOut(BaseModel):
    contact: str
    name: str | None
    consent_text: str
    consented_at: datetime
    unit_key: str | None
    language: str


@router.get("", response_model=list[LeadOut], summary="Export the brand's leads (or one person's)")
def export_leads(brand: BrandQuery, runtime: RuntimeDep, principal: BrandAdmin,
                 contact: Annotated[str | None, Query(max_length=254)] = None) -> list[LeadOut]:
    check_brand(principal, brand)
    records = leads.export_leads(runtime.db, runtime.settings.secret_key_bytes(), brand, contact=contact)
    return [LeadOut.model_validate(record, from_attributes=True) for record in records]


@router.delete("", status_code=status.HTTP_204_NO_CONTENT, summary="Erase one person's lead")
def delete_lead(brand: BrandQuery, contact: Annotated[str, Query(max_length=254)], runtime: RuntimeDep,
                principal: BrandAdmin) -> Response:
    check_brand(principal, brand)
    leads.delete_lead(runtime.db, runtime.settings.secret_key_bytes(), brand, contact)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
