"""The brand console in headless Chromium on a phone: sign in, dashboard chart, a recall from
preview to progress, roles (a viewer cannot start), brand isolation, wrong password, CSRF."""

from __future__ import annotations

import httpx
import pytest

from console_site import PASSWORD, shot, sign_in
from support.epcis_events import DC


@pytest.mark.browser
def test_admin_creates_previews_starts_and_follows_a_recall(browser, console, database_url) -> None:
    base, cat, serials = console
    page = sign_in(browser, base, "admin@acme.example")
    assert page.url == f"{base}/console"
    assert page.locator("[data-total]").inner_text() == "7"
    assert page.locator("#verifications-chart rect.bar").count() == 4  # days with verifications
    assert page.locator("#verifications-chart rect").count() == 30
    assert page.locator("[data-first-share]").inner_text() == "43%"  # 3 first scans of 7
    assert "copy" in page.locator("main").inner_text() and "CN-ZJ" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "dashboard", database_url)

    page.goto(f"{base}/console/recalls/new")
    assert page.locator("[data-start]").count() == 0  # no start before a preview
    page.fill("#gtin", cat.gtin)
    page.fill("#lots", cat.lot)
    page.fill("#reason", "seal defect")
    page.fill("#reference", "RC-7")
    with page.expect_navigation():
        page.click("button[value=preview]")
    assert page.locator("[data-preview-total]").inner_text() == "7"  # 6 items and their case
    assert DC in page.locator("#preview").inner_text()
    shot(page, "recall-preview", database_url)
    with page.expect_navigation():
        page.click("[data-start]")
    assert "/console/recalls/" in page.url
    assert page.locator("h1").inner_text().startswith("Recall RC-7")
    assert (page.locator("[data-recovered]").inner_text(), page.locator("[data-outstanding]").inner_text()) == ("0", "7")
    assert page.locator("#units tr").count() == 8
    shot(page, "recall-detail", database_url)

    page.goto(f"{base}/console/lookup?code=01{cat.gtin}21{serials[0]}")
    assert "recalled" in page.locator("#state").inner_text()
    assert page.locator("#history li").count() >= 3
    page.goto(f"{base}/console/alerts")
    with page.expect_navigation():
        page.click("button:has-text('Acknowledge')")
    assert page.locator("tr[data-alert] td").nth(4).inner_text() == "acknowledged"
    page.context.close()


@pytest.mark.browser
def test_viewer_cannot_start_and_other_brand_sees_nothing(browser, console, database_url) -> None:
    base, cat, _ = console
    admin = sign_in(browser, base, "admin@acme.example")
    admin.goto(f"{base}/console/recalls/new")
    admin.fill("#gtin", cat.gtin), admin.fill("#lots", cat.lot), admin.fill("#reason", "seal defect")
    with admin.expect_navigation():
        admin.click("button[value=preview]")
    with admin.expect_navigation():
        admin.click("[data-start]")
    recall_url = admin.url
    admin.context.close()

    viewer = sign_in(browser, base, "viewer@acme.example")
    viewer.goto(f"{base}/console/recalls/new")
    viewer.fill("#gtin", cat.gtin), viewer.fill("#lots", cat.lot)
    with viewer.expect_navigation():
        viewer.click("button[value=preview]")
    assert viewer.locator("[data-preview-total]").inner_text() == "7"
    assert viewer.locator("[data-start]").count() == 0
    csrf = viewer.locator("input[name=csrf]").first.get_attribute("value")
    refused = viewer.request.post(f"{base}/console/recalls",
                                  form={"csrf": csrf, "gtin": cat.gtin, "lots": cat.lot, "reason": "x"})
    assert refused.status == 403 and "may not manage brands" in refused.text()
    assert viewer.goto(recall_url).status == 200  # a viewer may read the recall
    assert viewer.locator("text=Close recall").count() == 0
    missing = viewer.request.post(f"{base}/console/recalls", form={"gtin": cat.gtin, "lots": cat.lot, "reason": "x"})
    assert missing.status == 403 and "CSRF" in missing.text()
    viewer.context.close()

    other = sign_in(browser, base, "admin@other.example", brand="other")
    response = other.goto(recall_url)
    assert response.status == 404
    shot(other, "other-brand-404", database_url)
    other.goto(f"{base}/console/recalls")
    assert "No recalls." in other.locator("main").inner_text()
    other.context.close()


@pytest.mark.browser
def test_wrong_password_and_login_csrf(browser, console) -> None:
    base, _, _ = console
    page = sign_in(browser, base, "admin@acme.example", password="not the password")
    assert page.url == f"{base}/console/login"
    assert page.locator("[role=alert]").inner_text() == "wrong brand, e-mail or password"
    assert all(c["name"] != "tm_console" for c in page.context.cookies())
    assert page.goto(f"{base}/console").url == f"{base}/console/login"  # no session
    page.context.close()
    forged = httpx.post(f"{base}/console/login", data={"brand": "acme", "email": "admin@acme.example",
                                                       "password": PASSWORD})
    assert forged.status_code == 403 and "tm_console" not in forged.cookies


@pytest.mark.browser
def test_session_cookie_flags(browser, console) -> None:
    base, _, _ = console
    page = sign_in(browser, base, "admin@acme.example")
    cookie = next(c for c in page.context.cookies() if c["name"] == "tm_console")
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Lax", "/console")
    page.context.close()
