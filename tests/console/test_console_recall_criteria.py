"""The new-recall form in Chromium with every criterion: a production line and window, a
supplier lot followed through a TransformationEvent, identifiers imported from a CSV upload
(a bad row names its line and nothing is previewed or started), each with its exact preview;
a viewer previews but cannot start."""

from __future__ import annotations

import pytest

from console_site import SUPPLIER_LOT, seed_supply, shot, sign_in
from support.epcis_events import DC, SHOP
from trace.services import recall
from trace.errors import IdentifierError
from trace.services.recall_criteria import identifier

STATUSES = ("in_warehouse", "in_transit", "at_retailer", "sold", "verified")


@pytest.fixture
def supply(console, runtime):
    base, cat, serials = console
    return base, cat, serials, seed_supply(runtime, cat)


def submit_preview(page) -> None:
    """Post the form for a preview and wait for the answer page (reading the old page's
    tables in between would find none)."""
    with page.expect_navigation():
        page.click("button[value=preview]")


def preview_counts(page) -> tuple[str, dict[str, str], dict[str, str]]:
    status = {r.get_attribute("data-status"): r.get_attribute("data-count")
              for r in page.locator("#preview-status tr[data-status]").all()}
    location = {r.get_attribute("data-location"): r.get_attribute("data-count")
                for r in page.locator("#preview-location tr[data-location]").all()}
    return page.locator("[data-preview-total]").inner_text(), status, location


def counts(**found: int) -> dict[str, str]:
    return {s: str(found.get(s, 0)) for s in STATUSES}


@pytest.mark.browser
def test_recall_by_line_window_and_by_supplier_lot(browser, supply, runtime, database_url) -> None:
    base, cat, serials, l2 = supply
    page = sign_in(browser, base, "admin@acme.example")
    page.goto(f"{base}/console/recalls/new")
    page.fill("#line", "line-2")
    page.fill("#produced_from", "2026-11-02")
    page.fill("#produced_to", "2026-11-04")
    submit_preview(page)
    # Lot L2 only (the seeded lot of line-1 was made on 1 November): shipped, sold, never scanned.
    assert preview_counts(page) == ("3", counts(in_transit=1, sold=1, in_warehouse=1), {DC: "1", SHOP: "1", "": "1"})
    page.fill("#produced_to", "2026-11-02")
    submit_preview(page)
    assert preview_counts(page) == ("0", counts(), {})  # nothing made on line-2 by 2 November

    page.goto(f"{base}/console/recalls/new")
    page.fill("#material_lots", SUPPLIER_LOT)
    page.fill("#reason", "supplier lot S1 contaminated")
    page.fill("#reference", "RC-S1")
    submit_preview(page)
    # The seeded lot, made from S1: six items (three verified by consumers) and their case, at the DC.
    assert preview_counts(page) == ("7", counts(verified=3, in_warehouse=4), {DC: "7"})
    assert page.locator("#material_lots").input_value() == SUPPLIER_LOT
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "recall-supplier-lot-preview", database_url)
    with page.expect_navigation():
        page.click("[data-start]")
    assert page.locator("h1").inner_text().startswith("Recall RC-S1")
    assert page.locator("[data-total]").inner_text() == "7"
    started = recall.list_recalls(runtime.db, "acme")
    assert [(r.reference, r.criteria["material_lots"]) for r in started] == [("RC-S1", [SUPPLIER_LOT])]
    keys = {u.key for u in recall.units(runtime.db, "acme", started[0].id)}
    assert keys == {f"01{cat.gtin}21{s}" for s in serials} | {"00095060000000000015"}
    page.context.close()


@pytest.mark.browser
def test_recall_from_a_csv_upload_and_a_bad_csv(browser, supply, runtime, database_url) -> None:
    base, cat, _, l2 = supply
    good = ("identifier\n"
            f"https://id.gs1.org/01/{cat.gtin}/21/{l2[0]}\n"
            f"(01){cat.gtin}(21){l2[1]}\n").encode()
    bad = good + b"not-a-code\n"
    page = sign_in(browser, base, "admin@acme.example")
    page.goto(f"{base}/console/recalls/new")
    page.fill("#reason", "mislabelled")
    page.set_input_files("#csv_file", files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": bad}])
    submit_preview(page)
    with pytest.raises(IdentifierError) as problem:
        identifier("not-a-code")
    assert page.locator("[role=alert]").inner_text() == (
        f"bad.csv: 1 bad row(s) in the identifier list, nothing started: line 4: {problem.value}")
    assert (page.locator("#preview").count(), page.locator("[data-start]").count()) == (0, 0)
    assert page.locator("#imported").count() == 0
    shot(page, "recall-bad-csv", database_url)

    page.set_input_files("#csv_file", files=[{"name": "units.csv", "mimeType": "text/csv", "buffer": good}])
    submit_preview(page)
    assert preview_counts(page) == ("2", counts(in_transit=1, sold=1), {DC: "1", SHOP: "1"})
    assert page.locator("#imported").inner_text() == "2 identifiers imported from units.csv are part of this recall."

    # Starting with a bad CSV (the form posted as it is) records nothing.
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    refused = page.request.post(f"{base}/console/recalls", multipart={
        "csrf": csrf, "reason": "mislabelled", "csv_file": {"name": "bad.csv", "mimeType": "text/csv", "buffer": bad}})
    assert refused.status == 400 and "line 4: invalid identifier &#39;not-a-code&#39;" in refused.text()
    assert recall.list_recalls(runtime.db, "acme") == []

    with page.expect_navigation():

        page.click("[data-start]")  # the previewed identifiers travel with the form; no file chosen again
    assert page.locator("[data-total]").inner_text() == "2"
    started = recall.list_recalls(runtime.db, "acme")
    assert [r.criteria["identifiers"] for r in started] == [
        [f"https://id.gs1.org/01/{cat.gtin}/21/{s}" for s in l2[:2]]]
    assert {u.key for u in recall.units(runtime.db, "acme", started[0].id)} == {f"01{cat.gtin}21{s}" for s in l2[:2]}
    page.context.close()


@pytest.mark.browser
def test_viewer_previews_a_csv_but_cannot_start(browser, supply, runtime) -> None:
    base, cat, _, l2 = supply
    csv_file = {"name": "units.csv", "mimeType": "text/csv", "buffer": f"(01){cat.gtin}(21){l2[0]}\n".encode()}
    viewer = sign_in(browser, base, "viewer@acme.example")
    viewer.goto(f"{base}/console/recalls/new")
    viewer.set_input_files("#csv_file", files=[csv_file])
    submit_preview(viewer)
    assert preview_counts(viewer) == ("1", counts(in_transit=1), {DC: "1"})
    assert viewer.locator("[data-start]").count() == 0
    csrf = viewer.locator("input[name=csrf]").first.get_attribute("value")
    refused = viewer.request.post(f"{base}/console/recalls",
                                  multipart={"csrf": csrf, "reason": "x", "csv_file": csv_file})
    assert refused.status == 403 and "may not manage brands" in refused.text()
    refused = viewer.request.post(f"{base}/console/recalls", multipart={
        "csrf": csrf, "reason": "x", "material_lots": SUPPLIER_LOT})
    assert refused.status == 403
    assert recall.list_recalls(runtime.db, "acme") == []
    viewer.context.close()

