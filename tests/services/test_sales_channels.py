"""Sales regions and campaigns as the console edits them: remove a channel, list campaigns with
their coupons, edit, pause and resume; another brand's campaign is unknown."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert

from support.factories import seeded_catalog
from trace.db.consumer import Coupon
from trace.errors import InvalidInput, NotFound
from trace.services import sales_channels

START = datetime(2026, 12, 1, tzinfo=timezone.utc)


@pytest.fixture
def brands(runtime):
    seeded_catalog(runtime)
    seeded_catalog(runtime, slug="other", gtin="09506000134376", domain="https://id.other.example")


def test_channels_are_set_replaced_and_removed(runtime, brands) -> None:
    sales_channels.set_channel(runtime.db, brand="acme", party="urn:epc:id:pgln:9506000.00001", region="cn-31")
    sales_channels.set_channel(runtime.db, brand="acme", party="urn:epc:id:pgln:9506000.00002", region="CN")
    sales_channels.set_channel(runtime.db, brand="acme", party="urn:epc:id:pgln:9506000.00001", region="CN-44")
    sales_channels.set_channel(runtime.db, brand="other", party="urn:epc:id:pgln:9506000.00001", region="JP")
    assert [(c.party, c.region) for c in sales_channels.channels(runtime.db, "acme")] == [
        ("urn:epc:id:pgln:9506000.00001", "CN-44"), ("urn:epc:id:pgln:9506000.00002", "CN")]
    sales_channels.remove_channel(runtime.db, brand="acme", party=" urn:epc:id:pgln:9506000.00001 ")
    assert [c.party for c in sales_channels.channels(runtime.db, "acme")] == ["urn:epc:id:pgln:9506000.00002"]
    assert [c.region for c in sales_channels.channels(runtime.db, "other")] == ["JP"]  # untouched
    with pytest.raises(NotFound, match="unknown sales channel 'urn:epc:id:pgln:9506000.00001' for brand 'acme'"):
        sales_channels.remove_channel(runtime.db, brand="acme", party="urn:epc:id:pgln:9506000.00001")


def test_campaigns_list_edit_pause_and_resume(runtime, brands) -> None:
    winter = sales_channels.add_campaign(runtime.db, brand="acme", name="Winter", offer="10% off")
    spring = sales_channels.add_campaign(runtime.db, brand="acme", name="Spring", offer="gift", gtin="9506000134352",
                                         starts_at=START, ends_at=START + timedelta(days=30))
    theirs = sales_channels.add_campaign(runtime.db, brand="other", name="Theirs", offer="cup")
    with runtime.db.transaction() as session:
        session.execute(insert(Coupon), [{"campaign_id": winter.id, "unit_key": f"u{i}", "code": f"CODE{i}"}
                                         for i in range(3)])
    listed = sales_channels.campaigns(runtime.db, "acme")
    assert [(c.name, c.offer, c.gtin, c.active, c.coupons) for c in listed] == [
        ("Spring", "gift", "09506000134352", True, 0), ("Winter", "10% off", None, True, 3)]
    assert (listed[0].starts_at, listed[0].ends_at) == (START, START + timedelta(days=30))

    edited = sales_channels.update_campaign(runtime.db, brand="acme", campaign_id=spring.id, name=" Spring tea ",
                                            offer="a free cup", gtin=None, starts_at=None, ends_at=None)
    assert (edited.name, edited.offer, edited.gtin, edited.starts_at) == ("Spring tea", "a free cup", None, None)
    paused = sales_channels.set_campaign_active(runtime.db, brand="acme", campaign_id=winter.id, active=False)
    assert paused.active is False
    assert sales_channels.campaign(runtime.db, "acme", winter.id).coupons == 3
    assert [c.active for c in sales_channels.campaigns(runtime.db, "acme")] == [True, False]
    assert sales_channels.set_campaign_active(runtime.db, brand="acme", campaign_id=winter.id, active=True).active

    with pytest.raises(NotFound, match=f"unknown campaign {theirs.id} for brand 'acme'"):
        sales_channels.set_campaign_active(runtime.db, brand="acme", campaign_id=theirs.id, active=False)
    with pytest.raises(NotFound, match=f"unknown campaign {theirs.id} for brand 'acme'"):
        sales_channels.campaign(runtime.db, "acme", theirs.id)
    with pytest.raises(InvalidInput, match="ends 2026-11-30T00:00:00\\+00:00 before it starts"):
        sales_channels.update_campaign(runtime.db, brand="acme", campaign_id=winter.id, name="W", offer="x",
                                       starts_at=START, ends_at=START - timedelta(days=1))
    assert sales_channels.campaign(runtime.db, "acme", winter.id).name == "Winter"  # nothing half-written
    assert [c.name for c in sales_channels.campaigns(runtime.db, "other")] == ["Theirs"]
