"""Console pages for where a brand sells and what it offers: sales regions and campaigns.

Sales regions are the sales channels of :mod:`trace.services.sales_channels` (a distributor
→ an ISO 3166 region; diversion detection compares consumer scans with it); campaigns give
the coupon on the consumer page. Anyone signed in reads; changes need ``manage_brands``.
"""

from __future__ import annotations

from datetime import datetime, timezone

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from trace.api.console_session import Console, ConsoleRoute, Staff, StaffForm, Text, render
from trace.api.deps import RuntimeDep
from trace.api.problems import status_for
from trace.domain.access import Permission
from trace.errors import InvalidInput
from trace.runtime import Runtime
from trace.services import sales_channels
from trace.services.sales_channels import CampaignView

router = APIRouter(prefix="/console", tags=["console"], route_class=ConsoleRoute, include_in_schema=False)
CAMPAIGN_FIELDS = ("name", "offer", "gtin", "starts_at", "ends_at")


def _utc(value: str, field: str) -> datetime | None:
    """A ``datetime-local`` field (no offset: read as UTC, as the form says) or an ISO 8601 time."""
    if not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"invalid {field} {value!r}: expected a time as YYYY-MM-DDTHH:MM") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _regions(request: Request, console: Console, runtime: Runtime, *, form: dict[str, str],
             error: InvalidInput | None = None) -> Response:
    return render(request, "regions.html", http_status=status_for(error) if error else 200, console=console,
                  channels=sales_channels.channels(runtime.db, console.member.brand), form=form,
                  error=str(error) if error else None)


@router.get("/regions", response_class=HTMLResponse)
def regions_page(request: Request, console: Staff, runtime: RuntimeDep) -> Response:
    return _regions(request, console, runtime, form={})


@router.post("/regions")
def set_region(request: Request, console: StaffForm, runtime: RuntimeDep, party: Text, region: Text) -> Response:
    console.require(Permission.MANAGE_BRANDS)
    try:
        sales_channels.set_channel(runtime.db, brand=console.member.brand, party=party, region=region)
    except InvalidInput as exc:
        return _regions(request, console, runtime, form={"party": party, "region": region}, error=exc)
    return RedirectResponse("/console/regions", status_code=303)


@router.post("/regions/remove")
def remove_region(console: StaffForm, runtime: RuntimeDep, party: Text) -> Response:
    console.require(Permission.MANAGE_BRANDS)
    sales_channels.remove_channel(runtime.db, brand=console.member.brand, party=party)
    return RedirectResponse("/console/regions", status_code=303)


def _campaigns(request: Request, console: Console, runtime: Runtime, *, form: dict[str, str],
               error: InvalidInput | None = None) -> Response:
    return render(request, "campaigns.html", http_status=status_for(error) if error else 200, console=console,
                  campaigns=sales_channels.campaigns(runtime.db, console.member.brand), form=form,
                  error=str(error) if error else None)


@router.get("/campaigns", response_class=HTMLResponse)
def campaigns_page(request: Request, console: Staff, runtime: RuntimeDep) -> Response:
    return _campaigns(request, console, runtime, form={})


@router.post("/campaigns")
def add_campaign(request: Request, console: StaffForm, runtime: RuntimeDep, name: Text, offer: Text, gtin: Text = "",
                 starts_at: Text = "", ends_at: Text = "") -> Response:
    console.require(Permission.MANAGE_BRANDS)
    try:
        sales_channels.add_campaign(runtime.db, brand=console.member.brand, name=name, offer=offer,
                                    gtin=gtin.strip() or None, starts_at=_utc(starts_at, "start"),
                                    ends_at=_utc(ends_at, "end"))
    except InvalidInput as exc:
        form = dict(zip(CAMPAIGN_FIELDS, (name, offer, gtin, starts_at, ends_at), strict=True))
        return _campaigns(request, console, runtime, form=form, error=exc)
    return RedirectResponse("/console/campaigns", status_code=303)


def _form_of(campaign: CampaignView) -> dict[str, str]:
    def local(moment: datetime | None) -> str:
        return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M") if moment else ""
    return {"name": campaign.name, "offer": campaign.offer, "gtin": campaign.gtin or "",
            "starts_at": local(campaign.starts_at), "ends_at": local(campaign.ends_at)}


@router.get("/campaigns/{campaign_id}", response_class=HTMLResponse)
def campaign_page(request: Request, campaign_id: int, console: Staff, runtime: RuntimeDep) -> Response:
    campaign = sales_channels.campaign(runtime.db, console.member.brand, campaign_id)
    return render(request, "campaign.html", console=console, campaign_id=campaign.id, form=_form_of(campaign))


@router.post("/campaigns/{campaign_id}")
def update_campaign(request: Request, campaign_id: int, console: StaffForm, runtime: RuntimeDep, name: Text,
                    offer: Text, gtin: Text = "", starts_at: Text = "", ends_at: Text = "") -> Response:
    console.require(Permission.MANAGE_BRANDS)
    try:
        sales_channels.update_campaign(runtime.db, brand=console.member.brand, campaign_id=campaign_id, name=name,
                                       offer=offer, gtin=gtin.strip() or None, starts_at=_utc(starts_at, "start"),
                                       ends_at=_utc(ends_at, "end"))
    except InvalidInput as exc:
        form = dict(zip(CAMPAIGN_FIELDS, (name, offer, gtin, starts_at, ends_at), strict=True))
        return render(request, "campaign.html", http_status=status_for(exc), console=console,
                      campaign_id=campaign_id, form=form, error=str(exc))
    return RedirectResponse("/console/campaigns", status_code=303)


@router.post("/campaigns/{campaign_id}/{action}")
def pause_or_resume(campaign_id: int, action: str, console: StaffForm, runtime: RuntimeDep) -> Response:
    console.require(Permission.MANAGE_BRANDS)
    if action not in ("pause", "resume"):
        raise InvalidInput(f"unknown campaign action {action!r}: expected pause or resume")
    sales_channels.set_campaign_active(runtime.db, brand=console.member.brand, campaign_id=campaign_id,
                                       active=action == "resume")
    return RedirectResponse("/console/campaigns", status_code=303)
