"""What a brand sells where: distributors mapped to sales regions, and its campaigns.

A sales channel maps a party (the distributor's PGLN or location, as it appears in the
``destinationList`` of shipping events) to a region (ISO 3166-1/-2); capture then sets the
intended region of what ships to it, and the diversion rule compares scans with that.
A campaign offers a coupon on the first genuine consumer verification of an item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from trace.db.catalog import Brand
from trace.db.consumer import Campaign, Coupon, SalesChannel
from trace.db.database import Database
from trace.errors import InvalidInput, NotFound
from trace.identifiers import Gtin
from trace.services.lookups import brand_by_slug

_REGION = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,3})?")


@dataclass(frozen=True, slots=True)
class ChannelView:
    brand: str
    party: str
    region: str


@dataclass(frozen=True, slots=True)
class CampaignView:
    id: int
    brand: str
    name: str
    offer: str
    gtin: str | None
    active: bool
    starts_at: datetime | None
    ends_at: datetime | None
    coupons: int = 0
    """Coupons issued so far (filled by :func:`campaigns`)."""


def region_code(value: str) -> str:
    code = value.strip().upper()
    if not _REGION.fullmatch(code):
        raise InvalidInput(f"invalid region {value!r}: expected an ISO 3166 code such as 'CN' or 'CN-31'")
    return code


def set_channel(db: Database, *, brand: str, party: str, region: str) -> ChannelView:
    """Map ``party`` to ``region`` (replacing an earlier mapping); applies to shipments captured from now on."""
    party = party.strip()
    if not party or len(party) > 300:
        raise InvalidInput("invalid party: expected its identifier (e.g. urn:epc:id:pgln:…), at most 300 characters")
    code = region_code(region)
    with db.transaction() as session:
        brand_row = brand_by_slug(session, brand)
        builder = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        statement = builder(SalesChannel).values(brand_id=brand_row.id, party=party, region=code)
        session.execute(statement.on_conflict_do_update(index_elements=["brand_id", "party"], set_={"region": code}))
        return ChannelView(brand=brand_row.slug, party=party, region=code)


def channels(db: Database, brand: str) -> list[ChannelView]:
    with db.reading() as session:
        brand_row = brand_by_slug(session, brand)
        rows = session.scalars(select(SalesChannel).where(SalesChannel.brand_id == brand_row.id)
                               .order_by(SalesChannel.party))
        return [ChannelView(brand=brand_row.slug, party=r.party, region=r.region) for r in rows]


def remove_channel(db: Database, *, brand: str, party: str) -> None:
    """Forget ``party``'s region; what already shipped keeps the intended region it was given."""
    with db.transaction() as session:
        brand_row = brand_by_slug(session, brand)
        removed = session.execute(delete(SalesChannel).where(SalesChannel.brand_id == brand_row.id,
                                                             SalesChannel.party == party.strip()))
        if removed.rowcount == 0:
            raise NotFound(f"unknown sales channel {party!r} for brand {brand_row.slug!r}")


def _checked_campaign(name: str, offer: str, gtin: str | None, starts_at: datetime | None,
                      ends_at: datetime | None) -> str | None:
    """The campaign's GTIN-14 (or None) once name, offer and period are valid."""
    if not name.strip() or len(name) > 200 or not offer.strip() or len(offer) > 300:
        raise InvalidInput("invalid campaign: expected a name (≤ 200 characters) and an offer (≤ 300 characters)")
    if any(t is not None and t.tzinfo is None for t in (starts_at, ends_at)):
        raise InvalidInput("invalid campaign period: give times with a UTC offset (e.g. 2026-12-01T00:00:00Z)")
    if starts_at and ends_at and ends_at <= starts_at:
        raise InvalidInput(f"invalid campaign period: ends {ends_at.isoformat()} before it starts")
    return Gtin.parse(gtin).value if gtin else None


def _campaign_view(brand: str, row: Campaign, coupons: int = 0) -> CampaignView:
    return CampaignView(id=row.id, brand=brand, name=row.name, offer=row.offer, gtin=row.gtin, active=row.active,
                        starts_at=row.starts_at, ends_at=row.ends_at, coupons=coupons)


def add_campaign(db: Database, *, brand: str, name: str, offer: str, gtin: str | None = None,
                 starts_at: datetime | None = None, ends_at: datetime | None = None) -> CampaignView:
    gtin14 = _checked_campaign(name, offer, gtin, starts_at, ends_at)
    with db.transaction() as session:
        brand_row = brand_by_slug(session, brand)
        row = Campaign(brand_id=brand_row.id, name=name.strip(), offer=offer.strip(), gtin=gtin14, active=True,
                       starts_at=starts_at, ends_at=ends_at)
        session.add(row)
        session.flush()
        return _campaign_view(brand_row.slug, row)


def campaigns(db: Database, brand: str) -> list[CampaignView]:
    """The brand's campaigns, newest first, each with the number of coupons it has issued."""
    with db.reading() as session:
        brand_row = brand_by_slug(session, brand)
        issued = (select(Coupon.campaign_id, func.count().label("n")).group_by(Coupon.campaign_id).subquery())
        rows = session.execute(select(Campaign, func.coalesce(issued.c.n, 0))
                               .outerjoin(issued, issued.c.campaign_id == Campaign.id)
                               .where(Campaign.brand_id == brand_row.id).order_by(Campaign.id.desc()))
        return [_campaign_view(brand_row.slug, row, n) for row, n in rows]


def _campaign_of(session: Session, brand: str, campaign_id: int) -> tuple[Brand, Campaign]:
    brand_row = brand_by_slug(session, brand)
    row = session.get(Campaign, campaign_id)
    if row is None or row.brand_id != brand_row.id:
        raise NotFound(f"unknown campaign {campaign_id} for brand {brand_row.slug!r}")
    return brand_row, row


def campaign(db: Database, brand: str, campaign_id: int) -> CampaignView:
    """One of the brand's campaigns (another brand's is unknown)."""
    with db.reading() as session:
        brand_row, row = _campaign_of(session, brand, campaign_id)
        issued = session.scalar(select(func.count()).where(Coupon.campaign_id == row.id))
        return _campaign_view(brand_row.slug, row, issued or 0)


def update_campaign(db: Database, *, brand: str, campaign_id: int, name: str, offer: str, gtin: str | None = None,
                    starts_at: datetime | None = None, ends_at: datetime | None = None) -> CampaignView:
    """Change a campaign's name, offer, product and period; coupons already issued keep their offer."""
    gtin14 = _checked_campaign(name, offer, gtin, starts_at, ends_at)
    with db.transaction() as session:
        brand_row, row = _campaign_of(session, brand, campaign_id)
        row.name, row.offer, row.gtin = name.strip(), offer.strip(), gtin14
        row.starts_at, row.ends_at = starts_at, ends_at
        session.flush()
        return _campaign_view(brand_row.slug, row)


def set_campaign_active(db: Database, *, brand: str, campaign_id: int, active: bool) -> CampaignView:
    """Pause (no more coupons from the next scan on) or resume a campaign."""
    with db.transaction() as session:
        brand_row, row = _campaign_of(session, brand, campaign_id)
        row.active = active
        session.flush()
        return _campaign_view(brand_row.slug, row)
