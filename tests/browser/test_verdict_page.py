"""The real verification route (scan service + scan page) in a real browser, on a phone, in English and Chinese."""

from __future__ import annotations

import csv
import io

import pytest
from support.browser import phone_page, screenshot

from codegen.mint_job import MintRequest, mint
from support.factories import seeded_catalog
from support.live_server import serve


@pytest.fixture
def minted(runtime):
    """A live server and one minted code whose URL points at it."""
    with serve(runtime) as base:
        cat = seeded_catalog(runtime, domain=base)
        out = io.StringIO()
        mint(runtime.db, runtime.key_store, MintRequest(gtin=cat.gtin, lot=cat.lot, count=1, output_format="csv",
                                                        out=None, requested_by="browser-test"), stdout=out)
        row = next(csv.DictReader(io.StringIO(out.getvalue())))
        yield base, row


@pytest.mark.browser
@pytest.mark.parametrize(
    ("language", "headline", "labels"),
    [("en-US", "Genuine", ("Longjing Green Tea 250 g", "Lot", "Serial", "Best before", "31 Oct 2028")),
     ("zh-CN", "正品", ("Longjing Green Tea 250 g", "批号", "序列号", "有效期至", "2028年10月31日"))],
)
def test_genuine_code_page(browser, minted, database_url, language, headline, labels) -> None:
    _, row = minted
    page = phone_page(browser, language=language)
    response = page.goto(row["url"])
    assert response is not None and response.status == 200
    banner = page.locator("[data-verdict]")
    assert banner.get_attribute("data-verdict") == "genuine"
    assert page.locator("h1").inner_text() == headline
    text = page.locator("main").inner_text()
    for label in labels:
        assert label in text
    assert row["serial"] in text and "LOT-2026/11" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    backend = database_url.split(":", 1)[0].split("+")[0]
    assert screenshot(page, f"verdict-genuine-{language}-{backend}").stat().st_size > 5_000
    page.context.close()


@pytest.mark.browser
def test_forged_code_page(browser, minted, database_url) -> None:
    _, row = minted
    url = row["url"]
    forged = url.replace(f"/21/{row['serial']}", f"/21/{row['serial'][:-1]}{'X' if row['serial'][-1] != 'X' else 'Y'}")
    page = phone_page(browser, language="en-US")
    page.goto(forged)
    banner = page.locator("[data-verdict]")
    assert banner.get_attribute("data-verdict") == "forged"
    assert page.locator("h1").inner_text() == "Warning: fake code"
    assert page.locator("[data-explanation]").inner_text().startswith("This code was not issued by the brand.")
    color = page.locator("header.banner").evaluate("e => getComputedStyle(e).backgroundColor")
    assert color == "rgb(179, 38, 30)"
    backend = database_url.split(":", 1)[0].split("+")[0]
    screenshot(page, f"verdict-forged-en-{backend}")
    page.context.close()


@pytest.mark.browser
def test_signup_from_the_real_page(browser, minted, runtime, database_url) -> None:
    from trace.services.leads import export_leads

    _, row = minted
    page = phone_page(browser, language="en-US")
    page.goto(row["url"])
    page.locator("#contact").fill("li.wei@example.com")
    page.locator("#consent").check()
    with page.expect_navigation():
        page.locator("form[data-signup] button[type=submit]").click()
    assert page.locator("[data-signup-result]").inner_text() == "Thank you! You are signed up."
    leads = export_leads(runtime.db, runtime.settings.secret_key_bytes(), "acme")
    assert [(lead.contact, lead.unit_key) for lead in leads] == [("li.wei@example.com", f"{row['gtin']}/{row['serial']}")]
    backend = database_url.split(":", 1)[0].split("+")[0]
    screenshot(page, f"verdict-signup-ok-en-{backend}")
    page.context.close()
