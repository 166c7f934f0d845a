"""The scan page as HTML: every verdict in both languages, escaping, the language switch, weight."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from consumer_site.pages import page_language, render_scan
from support.scan_outcomes import outcome_for
from trace.domain.scan import ScanVerdict

PAGE_BUDGET = 12_000  # bytes of HTML + inline CSS + inline script for the fullest page


@pytest.mark.parametrize("verdict", list(ScanVerdict))
@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_verdict_renders_in_both_languages(verdict: ScanVerdict, language: str) -> None:
    html = render_scan(outcome_for(verdict), language=language, form_token="1.x")
    assert f'data-verdict="{verdict.value}"' in html
    assert f'<html lang="{"zh-Hans" if language == "zh" else "en"}">' in html
    assert "<main" in html and "<header" in html and "<footer" in html


def test_verified_before_says_how_often_when_and_where() -> None:
    html = render_scan(outcome_for(ScanVerdict.VERIFIED_BEFORE), language="en", form_token=None)
    assert ("Earlier checks of this code: 3. The first was on 12 Nov 2026, 08:30 UTC, in China (CN-31). "
            "If that was not you,") in html
    zh = render_scan(outcome_for(ScanVerdict.VERIFIED_BEFORE), language="zh", form_token=None)
    assert "此码此前已被查询 3 次。首次查询时间：2026年11月12日 08:30（UTC），地点：中国（CN-31）。" in zh


def test_the_page_makes_no_external_requests_and_is_small() -> None:
    html = render_scan(outcome_for(ScanVerdict.GENUINE), language="zh", form_token="1800000000.abcdefghijklmnopqrstuv")
    assert "<link" not in html and "@import" not in html and "url(" not in html and "@font-face" not in html
    assert re.findall(r'<script[^>]*\ssrc=', html) == [] and re.findall(r'<img[^>]*\ssrc=', html) == []
    weight = len(html.encode())
    print(f"page weight (genuine, zh, with coupon + signup + story + journey): {weight} bytes")
    assert weight < PAGE_BUDGET


def test_script_in_outcome_values_is_escaped() -> None:
    hostile = "<script>alert(1)</script>"
    outcome = replace(outcome_for(ScanVerdict.GENUINE), lot=hostile, product_name=hostile, serial='"><svg onload=alert(1)>',
                      url=f"/01/09506000134352/21/X?8030=abc&q={hostile}", story_markdown=hostile,
                      coupon='X"onclick="alert(1)', qc_documents=(("doc", "javascript:alert(1)"),),
                      product_image="javascript:alert(1)")
    html = render_scan(outcome, language="en", form_token="1.x")
    assert html.count("<script") == 1  # only the page's own copy-button script
    assert "<svg onload" not in html and 'javascript:' not in html and 'X"onclick' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_language_switch_keeps_the_signature_in_the_link() -> None:
    html = render_scan(outcome_for(ScanVerdict.GENUINE), language="en", form_token=None)
    assert 'href="?8030=c2lnbmF0dXJl&amp;lang=zh" hreflang="zh-Hans" lang="zh-Hans"' in html
    assert page_language("zh", "en-US,en;q=0.9") == "zh"
    assert page_language("en", "zh-CN") == "en"
    assert page_language("fr", "zh-CN,zh;q=0.9") == "zh"
    assert page_language(None, None) == "en"


def test_signup_form_only_with_a_token_and_for_trustworthy_verdicts() -> None:
    assert "data-signup" in render_scan(outcome_for(ScanVerdict.GENUINE), language="en", form_token="1.x")
    assert "data-signup" not in render_scan(outcome_for(ScanVerdict.GENUINE), language="en", form_token=None)
    for verdict in (ScanVerdict.FORGED, ScanVerdict.UNKNOWN, ScanVerdict.RECALLED, ScanVerdict.POSSIBLE_COPY):
        assert "data-signup" not in render_scan(outcome_for(verdict), language="en", form_token="1.x")


def test_journey_reads_in_words_and_links_the_ledger_proof() -> None:
    html = render_scan(outcome_for(ScanVerdict.GENUINE), language="en", form_token=None)
    steps = re.findall(r'<span class="step">([^<]+)</span>', html)
    assert steps == ["Made", "Quality checked", "Shipped", "Received", "Sold"]
    assert 'href="/api/v1/ledger/acme/proof?entries=11,12,20,31,52" data-ledger-proof' in html
