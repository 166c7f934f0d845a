"""The consumer's scan page in a real browser, on a phone, for every verdict, in English and Chinese.

verification.py does not call ``render_scan`` yet (the scan service is being written beside
this page), so the pages come from the real app plus one test-only route that renders a
hand-built outcome per verdict with the real templates; the signup form posts to the real
``POST /signup`` and the real leads service.
"""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from support.browser import PHONE, phone_page, screenshot
from playwright.sync_api import expect
from fastapi import Request
from fastapi.responses import HTMLResponse

from consumer_site import form_token
from consumer_site.pages import page_language, render_scan
from consumer_site.scan_view import unit_key
from support.factories import seeded_catalog
from support.live_server import serve_app
from support.scan_outcomes import outcome_for
from trace.api.app import create_app
from trace.domain.scan import ScanVerdict
from trace.services.leads import export_leads

HOSTILE = "<script>alert('xss')</script>"
EXPECTED = {
    ScanVerdict.GENUINE: (("Genuine", "This is the first time this code has been checked. Acme Tea made and registered this item."),
                          ("正品", "这是此码首次被查询。该商品由Acme Tea生产并登记。")),
    ScanVerdict.VERIFIED_BEFORE: (("Genuine — checked before", "Earlier checks of this code: 3. The first was on 12 Nov 2026, 08:30 UTC, in China (CN-31). If that was not you, the item may have been opened or resold: ask the seller."),
                                  ("正品 · 此前已被查询", "此码此前已被查询 3 次。首次查询时间：2026年11月12日 08:30（UTC），地点：中国（CN-31）。如果那不是您本人，该商品可能已被拆封或转售，请向卖家询问。")),
    ScanVerdict.NOT_RELEASED: (("Not yet released", "This item has not left Acme Tea's warehouse yet, so it should not be on sale. Ask the seller where it came from."),
                               ("尚未出库", "该商品尚未离开Acme Tea的仓库，不应在市场上销售。请向卖家询问商品来源。")),
    ScanVerdict.EXPIRED: (("Expired", "This item is genuine but past its expiry date. Do not use it."),
                          ("已过期", "该商品为正品，但已超过有效期。请勿使用。")),
    ScanVerdict.OUTSIDE_MARKET: (("Not sold for this region", "This item was made by Acme Tea but is meant to be sold in another region. It may be a grey import without local warranty or service."),
                                 ("非本地区销售商品", "该商品由Acme Tea生产，但应在其他地区销售，可能是平行进口商品，本地可能不提供保修或服务。")),
    ScanVerdict.POSSIBLE_COPY: (("Warning: possible copy", "This code has been seen in ways a single genuine item cannot be (too many checks, or places too far apart). The label may have been copied. Do not use the item until the seller or Acme Tea confirms it."),
                                ("警告：疑似仿冒", "此码的查询情况与单件正品不符（查询次数过多或地点相距过远），标签可能被复制。在卖家或Acme Tea确认前请勿使用。")),
    ScanVerdict.RECALLED: (("Recalled: do not use", "Acme Tea has recalled this item. Stop using it now. Take it back to where you bought it for a refund or replacement, or contact Acme Tea."),
                           ("已召回：请勿使用", "Acme Tea已召回该商品。请立即停止使用，并退回购买处办理退款或更换，或联系Acme Tea。")),
    ScanVerdict.UNKNOWN: (("Unknown item", "The code looks valid, but there is no record of this item. Contact the brand before using it."),
                          ("未知商品", "此码看似有效，但没有该商品的记录。使用前请联系品牌方。")),
    ScanVerdict.FORGED: (("Warning: fake code", "This code was not issued by the brand. Do not trust this item; report it to the seller or the brand."),
                         ("警告：假码", "此码并非品牌签发。请勿信任该商品，并向卖家或品牌方举报。")),
}
BANNER_COLOURS = {"ok": "rgb(30, 122, 60)", "info": "rgb(31, 95, 168)", "warn": "rgb(138, 90, 0)",
                  "danger": "rgb(179, 38, 30)", "neutral": "rgb(74, 79, 87)"}


@pytest.fixture
def site(runtime):
    """The real app plus `/test-scan/{verdict}`, which renders a hand-built outcome with the real templates."""
    seeded_catalog(runtime)
    app = create_app(runtime=runtime)
    secret = runtime.settings.secret_key_bytes()

    @app.get("/test-scan/{name}", response_class=HTMLResponse)
    def test_scan(name: str, request: Request) -> HTMLResponse:
        if name == "hostile":
            outcome = replace(outcome_for(ScanVerdict.GENUINE), lot=HOSTILE, product_name=HOSTILE,
                              story_markdown=f"{HOSTILE}\n\n[click me](javascript:alert(1))", coupon=HOSTILE)
        else:
            outcome = outcome_for(ScanVerdict(name))
        outcome = replace(outcome, url=str(request.url))  # as the real route does: the presented URL
        language = page_language(request.query_params.get("lang"), request.headers.get("accept-language"))
        key = unit_key(outcome)
        token = form_token.issue(secret, brand=outcome.brand, unit_key=key, now=time.time()) \
            if outcome.brand and key else None
        return HTMLResponse(render_scan(outcome, language=language, form_token=token))

    with serve_app(app) as base:
        yield base


def _open(browser, base: str, path: str, *, language: str):
    page = phone_page(browser, language=language)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    response = page.goto(f"{base}{path}")
    assert response is not None and response.status == 200
    return page, dialogs


def _backend(database_url: str) -> str:
    return database_url.split(":", 1)[0].split("+")[0]


def _no_sideways_scrolling(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.browser
@pytest.mark.parametrize("verdict", list(ScanVerdict))
def test_each_verdict_in_both_languages(browser, site, database_url, verdict: ScanVerdict) -> None:
    for language, (headline, explanation) in zip(("en-US", "zh-CN"), EXPECTED[verdict]):
        page, dialogs = _open(browser, site, f"/test-scan/{verdict.value}?8030=c2lnbmF0dXJl", language=language)
        assert page.locator("html").get_attribute("lang") == ("zh-Hans" if language == "zh-CN" else "en")
        assert page.locator("h1").inner_text() == headline
        assert page.locator("[data-explanation]").inner_text() == explanation
        colour = page.locator("header.banner").evaluate("e => getComputedStyle(e).backgroundColor")
        tone = page.locator("header.banner").get_attribute("class").split("t-")[1]
        assert colour == BANNER_COLOURS[tone]
        _no_sideways_scrolling(page)
        assert dialogs == []
        shot = screenshot(page, f"scan-{verdict.value}-{language}-{_backend(database_url)}")
        assert shot.stat().st_size > 5_000
        page.context.close()


@pytest.mark.browser
def test_language_switch_link_overrides_accept_language(browser, site) -> None:
    page, _ = _open(browser, site, "/test-scan/genuine?8030=c2lnbmF0dXJl", language="en-US")
    with page.expect_navigation():
        page.get_by_role("link", name="切换到中文").click()
    assert page.url.endswith("/test-scan/genuine?8030=c2lnbmF0dXJl&lang=zh")  # the signature stays in the URL
    assert page.locator("h1").inner_text() == "正品"
    assert [s.inner_text() for s in page.locator(".step").all()] == ["生产赋码", "质量检验", "发货", "收货", "售出"]
    with page.expect_navigation():
        page.get_by_role("link", name="Switch to English").click()
    assert page.locator("h1").inner_text() == "Genuine"
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize(("language", "label", "copied"), [("en-US", "Copy code", "Copied"), ("zh-CN", "复制券码", "已复制")])
def test_coupon_copy_button(browser, site, database_url, language: str, label: str, copied: str) -> None:
    page, _ = _open(browser, site, "/test-scan/genuine?8030=c2lnbmF0dXJl", language=language)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    assert page.locator("#coupon-code").inner_text() == "ACME-7K3Q-99XF"
    page.get_by_role("button", name=label).click()
    expect(page.locator("#copy-status")).to_have_text(copied)  # waits for the clipboard promise
    assert page.evaluate("navigator.clipboard.readText()") == "ACME-7K3Q-99XF"
    screenshot(page, f"scan-coupon-copied-{language}-{_backend(database_url)}")
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize(("language", "messages"), [
    ("en-US", ("Please tick the box to agree before signing up.", "Thank you! You are signed up.",
               "You are already signed up. Thank you!")),
    ("zh-CN", ("请先勾选同意后再提交。", "谢谢！您已成功加入。", "您已经加入过了，谢谢！")),
])
def test_signup_form(browser, site, runtime, database_url, language: str, messages: tuple[str, str, str]) -> None:
    no_consent, ok, already = messages
    path = "/test-scan/genuine?8030=c2lnbmF0dXJl"
    page, dialogs = _open(browser, site, path, language=language)
    contact = "Li.Wei@Example.com"
    page.locator("#contact").fill(contact)
    with page.expect_navigation():
        page.locator("form[data-signup] button[type=submit]").click()
    assert page.locator("[data-signup-result]").inner_text() == no_consent
    assert export_leads(runtime.db, runtime.settings.secret_key_bytes(), "acme") == []
    screenshot(page, f"scan-signup-no-consent-{language}-{_backend(database_url)}")
    for expected in (ok, already):
        page.goto(f"{site}{path}")
        page.locator("#contact").fill(contact)
        page.locator("#consent").check()
        with page.expect_navigation():
            page.locator("form[data-signup] button[type=submit]").click()
        assert page.locator("[data-signup-result]").inner_text() == expected
        _no_sideways_scrolling(page)
    screenshot(page, f"scan-signup-already-{language}-{_backend(database_url)}")
    with page.expect_navigation():
        page.locator("main a").click()  # back to the product page, signature intact
    assert page.url == f"{site}{path}"
    leads = export_leads(runtime.db, runtime.settings.secret_key_bytes(), "acme")
    assert [(lead.contact, lead.language) for lead in leads] == [("li.wei@example.com", language[:2])]
    assert dialogs == []
    page.context.close()


@pytest.mark.browser
def test_hostile_input_is_shown_as_text(browser, site, database_url) -> None:
    page, dialogs = _open(browser, site, "/test-scan/hostile?8030=c2lnbmF0dXJl&q=%3Cscript%3Ealert(1)%3C/script%3E"
                          "&x=%22%3E%3Cimg%20src=x%20onerror=alert(2)%3E", language="en-US")
    text = page.locator("main").inner_text()
    assert text.count(HOSTILE) >= 3  # product name, lot and story shown as text
    page.locator("[data-story] >> text=click me").click()  # a javascript: link became plain text
    page.locator("[data-copy]").click()
    with page.expect_navigation():
        page.locator("[data-lang-switch]").click()
    assert "lang=zh" in page.url
    assert dialogs == []
    screenshot(page, f"scan-hostile-{_backend(database_url)}")
    page.context.close()
