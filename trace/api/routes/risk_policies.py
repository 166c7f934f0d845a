"""Risk policies: the thresholds a brand's (or a product's) scans are judged by (admins set them)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from trace.api.deps import BrandAdmin, Reader, RuntimeDep
from trace.api.routes.alerts import brand_of
from trace.services import risk_policies
from trace.services.risk_policies import MAX_DISTANCE_KM, MAX_SPEED_KMH, MAX_VERIFICATIONS, PolicyView

router = APIRouter(prefix="/api/v1", tags=["risk policies"])


class RiskPolicyIn(BaseModel):
    """The thresholds to change; the others keep the values in force."""

    model_config = ConfigDict(extra="forbid")

    brand: str | None = None
    gtin: str | None = Field(default=None, max_length=14, description="Only this product (default: the whole brand)")
    max_consumer_verifications: int | None = Field(default=None, ge=1, le=MAX_VERIFICATIONS)
    travel_speed_kmh: float | None = Field(default=None, gt=0, le=MAX_SPEED_KMH, allow_inf_nan=False)
    travel_min_distance_km: float | None = Field(default=None, ge=0, le=MAX_DISTANCE_KM, allow_inf_nan=False)
    check_expiry: bool | None = None
    require_shipped: bool | None = None
    genuine_without_events: bool | None = None


def _json(view: PolicyView) -> dict[str, object]:
    return asdict(view)


@router.put("/risk-policy")
def set_policy(body: RiskPolicyIn, runtime: RuntimeDep, principal: BrandAdmin) -> dict:
    """Store the brand's (or a product's) policy; it applies from the next scan on."""
    changes = body.model_dump(exclude={"brand", "gtin"}, exclude_none=True)
    return _json(risk_policies.set_policy(runtime.db, brand=brand_of(principal, body.brand), gtin=body.gtin,
                                          **changes))


@router.get("/risk-policy")
def policy_in_force(runtime: RuntimeDep, principal: Reader, brand: str | None = None,
                    gtin: str | None = None) -> dict:
    """The policy in force for the brand (or product) and its source: product, brand or default."""
    return _json(risk_policies.policy_in_force(runtime.db, brand=brand_of(principal, brand), gtin=gtin))


@router.get("/risk-policies")
def list_policies(runtime: RuntimeDep, principal: Reader, brand: str | None = None) -> list[dict]:
    return [_json(view) for view in risk_policies.list_policies(runtime.db, brand_of(principal, brand))]


@router.delete("/risk-policy", status_code=204)
def clear_policy(runtime: RuntimeDep, principal: BrandAdmin, brand: str | None = None,
                 gtin: str | None = None) -> Response:
    risk_policies.clear_policy(runtime.db, brand=brand_of(principal, brand), gtin=gtin)
    return Response(status_code=204)
