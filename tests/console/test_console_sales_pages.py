"""Console sales regions and campaigns in Chromium on a phone: set, change and remove a
distributor's region; add, pause, resume and edit a campaign; bad input shown on the form."""

from __future__ import annotations

import pytest

from console_site import shot, sign_in
from trace.services import sales_channels

PARTY = "urn:epc:id:pgln:9506000.00001"


@pytest.mark.browser
def test_sales_regions(browser, console, runtime, database_url) -> None:
    base, _, _ = console
    page = sign_in(browser, base, "admin@acme.example")
    page.goto(f"{base}/console/regions")
    assert "No sales regions yet." in page.locator("main").inner_text()
    page.fill("#party", PARTY)
    page.fill("#region", "China")
    with page.expect_navigation():
        page.click("#set-region button")
    assert page.locator("[role=alert]").inner_text() == \
        "invalid region 'China': expected an ISO 3166 code such as 'CN' or 'CN-31'"
    page.fill("#region", "cn-31")
    with page.expect_navigation():
        page.click("#set-region button")
    assert page.locator(f"#channels tr[data-party='{PARTY}'] [data-region]").inner_text() == "CN-31"
    page.fill("#party", PARTY)
    page.fill("#region", "CN-44")
    with page.expect_navigation():
        page.click("#set-region button")
    assert page.locator("#channels tr[data-party]").count() == 1
    assert page.locator(f"#channels tr[data-party='{PARTY}'] [data-region]").inner_text() == "CN-44"
    assert [(c.party, c.region) for c in sales_channels.channels(runtime.db, "acme")] == [(PARTY, "CN-44")]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "regions", database_url)
    with page.expect_navigation():
        page.click(f"#channels tr[data-party='{PARTY}'] button")
    assert "No sales regions yet." in page.locator("main").inner_text()
    assert sales_channels.channels(runtime.db, "acme") == []
    page.context.close()


@pytest.mark.browser
def test_campaigns(browser, console, runtime, database_url) -> None:
    base, cat, _ = console
    page = sign_in(browser, base, "admin@acme.example")
    page.goto(f"{base}/console/campaigns")
    assert "No campaigns yet." in page.locator("main").inner_text()
    page.fill("#name", "Winter")
    page.fill("#offer", "10% off your next tin")
    page.fill("#starts_at", "2026-12-01T00:00")
    page.fill("#ends_at", "2026-11-01T00:00")
    with page.expect_navigation():
        page.click("#campaign-form button")
    assert page.locator("[role=alert]").inner_text() == \
        "invalid campaign period: ends 2026-11-01T00:00:00+00:00 before it starts"
    page.fill("#ends_at", "2027-01-01T00:00")
    with page.expect_navigation():
        page.click("#campaign-form button")
    row = page.locator("#campaigns tr[data-campaign]")
    assert row.locator("td").all_inner_texts()[:5] == [
        "Winter", "10% off your next tin", "2026-12-01 00:00 – 2027-01-01 00:00", "active", "0"]
    with page.expect_navigation():
        row.locator("button:has-text('Pause')").click()
    assert row.locator("[data-status]").inner_text() == "paused"
    assert [c.active for c in sales_channels.campaigns(runtime.db, "acme")] == [False]
    with page.expect_navigation():
        row.locator("button:has-text('Resume')").click()
    assert row.locator("[data-status]").inner_text() == "active"
    shot(page, "campaigns", database_url)

    with page.expect_navigation():
        row.locator("a:has-text('Edit')").click()
    assert (page.input_value("#name"), page.input_value("#starts_at")) == ("Winter", "2026-12-01T00:00")
    page.fill("#offer", "a free tasting cup")
    page.fill("#gtin", cat.gtin)
    page.fill("#ends_at", "")
    with page.expect_navigation():
        page.click("#campaign-form button")
    assert page.url == f"{base}/console/campaigns"
    assert row.locator("td").all_inner_texts()[:3] == [
        f"Winter\n{cat.gtin}", "a free tasting cup", "2026-12-01 00:00 – …"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.close()
