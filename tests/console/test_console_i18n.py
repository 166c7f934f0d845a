"""The console in English and Simplified Chinese: catalogs with the same keys and
placeholders, every key a template asks for present, and the pages in Chinese in Chromium
when the browser asks for it (Accept-Language), with ``?lang=en`` to switch back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from console_site import shot, sign_in
from trace.api.console_i18n import EN, ZH, Words, placeholders
from trace.services import recall
from trace.services.recall_criteria import RecallCriteria

TEMPLATES = Path(__file__).resolve().parents[2] / "trace" / "api" / "console_templates"


def test_both_catalogs_have_the_same_keys_and_placeholders() -> None:
    assert set(EN) == set(ZH)
    assert {key for key in EN if placeholders(EN[key]) != placeholders(ZH[key])} == set()
    assert {key for key in EN if EN[key] == ZH[key]} == set()


def test_every_key_a_template_names_is_in_the_catalog() -> None:
    named = {match for path in TEMPLATES.glob("*.html")
             for match in re.findall(r"""\bt\(["']([a-z0-9_.]+)["']\s*[,)]""", path.read_text(encoding="utf-8"))}
    assert len(named) > 100
    assert named - set(EN) == set()
    composed = {f"error.{status}" for status in (400, 403, 404, 409)} | {  # t("error." ~ status), t("field." ~ k)
        f"field.{k}" for k in ("uri", "biz_step", "disposition", "biz_location", "read_point", "custodian", "parent",
                               "last_event_time")}
    assert composed - set(EN) == set()


def test_names_of_stored_values_fall_back_to_the_value() -> None:
    assert (Words("zh").state("in_transit"), Words("en").state("in_transit")) == ("运输中", "in transit")
    assert Words("zh").state("a_kind_added_later") == "a_kind_added_later"
    assert Words("zh")("start_recall_of", count=7) == "开始召回 7 件"
    with pytest.raises(ValueError, match="language must be one of"):
        Words("fr")


@pytest.mark.browser
def test_console_in_chinese(browser, console, runtime, database_url) -> None:
    base, cat, _ = console
    page = sign_in(browser, base, "admin@acme.example", language="zh-CN")
    assert page.url == f"{base}/console"
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == "概览"
    assert page.locator("header nav a").all_inner_texts() == [
        "概览", "产品", "密钥", "销售区域", "营销活动", "告警", "召回", "单品查询"]
    assert "admin@acme.example (管理员)" in page.locator("header").inner_text()
    assert page.locator("[data-first-share]").inner_text() == "43%"
    assert "首次 3 · 重复 4" in page.locator("main").inner_text()
    shot(page, "dashboard-zh", database_url)

    page.goto(f"{base}/console/keys")
    assert page.locator("h1").inner_text() == "密钥"
    with page.expect_navigation():
        page.click("#rotate button:has-text('轮换：启用新密钥')")
    assert page.locator(f"#keys tr[data-kid='{cat.kid}'] [data-status]").inner_text() == "已停用"
    assert page.locator(f"#keys tr[data-kid='{cat.kid}'] label.check").inner_text().strip() == \
        "我知道此密钥签发的 6 个码将被判定为伪造。"
    assert page.locator("#keys tr[data-kid]").nth(1).locator("[data-status]").inner_text() == "有效"
    shot(page, "keys-zh", database_url)

    page.goto(f"{base}/console/products/{cat.gtin}/lots/{cat.lot}")
    assert page.locator("h1").inner_text() == f"批号 {cat.lot} (在有效期内)"
    assert page.locator("#code-states tr").all_inner_texts() == [
        "已启用\t6", "已预留给产线码池\t0", "已作废\t0"]

    started = recall.start(runtime.db, "acme", RecallCriteria(gtin=cat.gtin, lots=(cat.lot,)), reason="封口缺陷",
                           by="staff:admin@acme.example", reference="RC-ZH")
    page.goto(f"{base}/console/recalls/{started.id}")
    assert page.locator("h1").inner_text() == "召回 RC-ZH (有效)"
    assert page.locator("#exports").inner_text() == "导出: CSV（FSMA 204 列） · EPCIS 2.0 文档 · PDF 摘要"
    assert page.locator("#by-location tr th").all_inner_texts() == ["地点", "合计", "已回收", "未回收"]
    assert set(page.locator("#units tr td:nth-child(5)").all_inner_texts()) == {"未回收"}
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "recall-zh", database_url)

    page.goto(f"{base}/console/recalls/{started.id}?lang=en")
    assert page.locator("h1").inner_text() == "Recall RC-ZH (active)"
    assert page.locator("html").get_attribute("lang") == "en"
    page.context.close()
