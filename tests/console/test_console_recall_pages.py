"""The console's recall page in Chromium on a phone: the progress chart after returns, the
affected-units filters, the breakdown by location, and the exports with the staff session."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from console_site import shot, sign_in
from support.epcis_events import DC, document, object_event
from trace.services import recall
from trace.services.capture import capture_document
from trace.services.recall_criteria import RecallCriteria

RETURNS = "urn:epc:id:sgln:9506000.13435.5"


@pytest.fixture
def returned(console, runtime):
    """A recall of the seeded lot (six items and their case), two items back at the return point."""
    base, cat, serials = console
    started = recall.start(runtime.db, "acme", RecallCriteria(gtin=cat.gtin, lots=(cat.lot,)), reason="seal defect",
                           by="staff:admin@acme.example", reference="RC-9")
    later = (datetime.now(timezone.utc) + timedelta(minutes=5)).isoformat(timespec="milliseconds")
    capture_document(runtime.db, "acme", document([object_event(
        later, [f"https://id.gs1.org/01/{cat.gtin}/21/{s}" for s in serials[:2]], step="receiving",
        disposition="returned", location=RETURNS)]), captured_by="returns")
    return base, cat, serials, started


@pytest.mark.browser
def test_progress_chart_filters_and_breakdown(browser, returned, database_url) -> None:
    base, _, _, started = returned
    page = sign_in(browser, base, "viewer@acme.example")
    page.goto(f"{base}/console/recalls/{started.id}")
    assert (page.locator("[data-recovered]").inner_text(), page.locator("[data-outstanding]").inner_text(),
            page.locator("[data-total]").inner_text()) == ("2", "5", "7")
    bars = page.locator("#progress-chart g[data-day]")
    last = bars.nth(bars.count() - 1)
    assert bars.count() in (1, 2)  # the start day, and the next one if the returns fell after midnight UTC
    assert (last.get_attribute("data-day-recovered"), last.get_attribute("data-day-outstanding")) == ("2", "5")
    assert last.locator("rect.recovered").get_attribute("height") == str(round(2 / 7 * 142, 2))
    assert page.locator("#by-location tr[data-location]").all_inner_texts() == [f"{DC}\t7\t2\t5"]

    page.select_option("#status", "recovered")
    with page.expect_navigation():
        page.click("#unit-filter button")
    assert page.locator("#units tr").count() == 3
    assert set(page.locator("#units tr td:nth-child(5)").all_inner_texts()) == {"recovered"}
    page.select_option("#status", "outstanding")
    page.select_option("#location", DC)
    with page.expect_navigation():
        page.click("#unit-filter button")
    assert f"location={DC.replace(':', '%3A')}" in page.url and "status=outstanding" in page.url
    assert page.locator("#units tr").count() == 6
    assert page.locator("#units tr td:nth-child(2)").all_inner_texts().count("case") == 1
    page.select_option("#status", "in_transit")
    with page.expect_navigation():
        page.click("#unit-filter button")
    assert page.locator("#units tr").count() == 1
    with page.expect_navigation():
        page.click("#unit-filter a:has-text('clear')")
    assert page.locator("#units tr").count() == 8
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "recall-progress", database_url)
    page.context.close()


@pytest.mark.browser
def test_exports_with_the_staff_session(browser, returned, database_url) -> None:
    base, cat, serials, started = returned
    page = sign_in(browser, base, "viewer@acme.example")
    page.goto(f"{base}/console/recalls/{started.id}")
    links = {a.get_attribute("data-export"): a.get_attribute("href") for a in page.locator("#exports a").all()}
    assert links == {"csv": f"/console/recalls/{started.id}/export.csv",
                     "epcis": f"/console/recalls/{started.id}/export.jsonld",
                     "pdf": f"/console/recalls/{started.id}/summary.pdf"}

    with page.expect_download() as download:
        page.click("[data-export=csv]")
    assert download.value.suggested_filename == f"recall-{started.id}.csv"
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert len(rows) == 7
    items = [r for r in rows if r["Kind"] == "item"]
    assert {r["Traceability Lot Code"] for r in items} == {cat.lot}
    assert {r["Product Description"] for r in items} == {"Longjing Green Tea 250 g"}
    assert sorted(r["Progress"] for r in rows) == ["outstanding"] * 5 + ["recovered"] * 2
    assert {r["Location Description"] for r in rows} == {DC}

    epcis = page.request.get(f"{base}{links['epcis']}")
    assert epcis.status == 200 and epcis.headers["content-type"] == "application/ld+json"
    body = json.loads(epcis.body())
    events = body["epcisBody"]["eventList"]
    assert body["type"] == "EPCISDocument"
    case_link = "https://id.gs1.org/00/095060000000000015"  # the case, as a Digital Link
    assert sorted(e for ev in events for e in ev["epcList"]) == sorted(
        [f"https://id.gs1.org/01/{cat.gtin}/21/{s}" for s in serials] + [case_link])
    assert {ev["disposition"] for ev in events} == {"recalled"}

    pdf = page.request.get(f"{base}{links['pdf']}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    assert len(pdf.body()) > 1500
    page.context.close()

    anonymous = httpx.get(f"{base}{links['csv']}", follow_redirects=False)
    assert (anonymous.status_code, anonymous.headers["location"]) == (303, "/console/login")
    other = sign_in(browser, base, "admin@other.example", brand="other")
    for href in links.values():
        response = other.request.get(f"{base}{href}")
        assert response.status == 404 and f"unknown recall {started.id} for brand" in response.text()
    other.context.close()
