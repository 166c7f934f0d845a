"""The public page under its Content-Security-Policy, in real Chromium: the inline style and the
coupon script (allowed by hash) still work, the signup posts, the browser reports no violation,
and a script injected into the page is refused."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect
from support.browser import phone_page, screenshot

from codegen.mint_job import MintRequest, mint
from consumer_site.page_security import CONTENT_SECURITY_POLICY
from support.factories import seeded_catalog
from support.live_server import serve
from trace.services import sales_channels
from trace.services.leads import export_leads

# Recorded in the page before any of its own code runs (Playwright's init scripts are not subject to the CSP).
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
    e => window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "")));
"""
INJECT = """() => { const s = document.createElement("script"); s.textContent = "window.__injected = 1";
                   document.body.append(s); return window.__injected === 1; }"""


@pytest.fixture
def code(runtime):
    with serve(runtime) as base:
        cat = seeded_catalog(runtime, domain=base)
        sales_channels.add_campaign(runtime.db, brand="acme", name="Spring", offer="A free tasting cup")
        out = io.StringIO()
        mint(runtime.db, runtime.key_store, MintRequest(gtin=cat.gtin, lot=cat.lot, count=1, output_format="csv",
                                                        out=None, requested_by="browser-test"), stdout=out)
        yield base, next(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.mark.browser
def test_coupon_and_signup_work_under_the_csp_without_violations(browser, code, runtime, database_url) -> None:
    base, row = code
    page = phone_page(browser, language="en-US")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page.add_init_script(WATCH_VIOLATIONS)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))

    response = page.goto(row["url"])
    assert response is not None and response.status == 200
    headers = response.headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert (headers["x-content-type-options"], headers["referrer-policy"]) == ("nosniff", "no-referrer")
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY

    # The inline stylesheet applies: the genuine banner is green, the layout fits the phone.
    assert page.locator("header.banner").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(30, 122, 60)"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The inline coupon script runs: the button copies this item's coupon.
    coupon = page.locator("#coupon-code").inner_text()
    assert len(coupon) == 10
    page.locator("[data-copy]").click()
    expect(page.locator("#copy-status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == coupon
    assert page.evaluate("window.__violations") == []
    screenshot(page, f"csp-coupon-copied-en-{database_url.split(':', 1)[0].split('+')[0]}")

    # The signup form posts to this origin (form-action 'self') and its answer page carries the headers too.
    page.locator("#contact").fill("mei.chen@example.com")
    page.locator("#consent").check()
    with page.expect_navigation(), page.expect_response(lambda r: r.url.endswith("/signup")) as answer:
        page.locator("form[data-signup] button[type=submit]").click()
    assert answer.value.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert page.locator("[data-signup-result]").inner_text() == "Thank you! You are signed up."
    assert page.locator("h1").evaluate("e => getComputedStyle(e).color") == "rgb(30, 122, 60)"
    assert page.evaluate("window.__violations") == []
    leads = export_leads(runtime.db, runtime.settings.secret_key_bytes(), "acme")
    assert [lead.contact for lead in leads] == ["mei.chen@example.com"]

    # The policy is enforced, not decorative: an injected inline script does not run and is reported.
    assert page.evaluate(INJECT) is False
    assert page.evaluate("window.__violations") == ["script-src-elem inline"]
    assert [m for m in console if "Content Security Policy" in m] == [
        m for m in console if "Content Security Policy" in m and "inline script" in m]
    assert len([m for m in console if "Content Security Policy" in m]) == 1
    page.context.close()
