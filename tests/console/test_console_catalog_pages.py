"""Console products, lots and keys in Chromium on a phone: add a product and a lot, see a lot's
codes by state, rotate the signing key, revoke the old one (confirmed) and see its codes
verify as forged on the consumer page."""

from __future__ import annotations

import csv
import html
import io
from urllib.parse import urlsplit

import pytest

from codegen.mint_job import MintRequest, mint
from console_site import shot, sign_in


def fits_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.browser
def test_products_and_lots(browser, console, database_url) -> None:
    base, cat, _ = console
    page = sign_in(browser, base, "admin@acme.example")
    page.goto(f"{base}/console/products")
    row = page.locator(f"#products tr[data-gtin='{cat.gtin}'] td")
    assert row.all_inner_texts() == [cat.gtin, "Longjing Green Tea 250 g", "1", "6"]

    page.fill("#gtin", "9506000134369")
    page.fill("#name", "Oolong 100 g")
    page.fill("#description", "Spring picking")
    with page.expect_navigation():
        page.click("#add-product button")
    assert page.url == f"{base}/console/products/09506000134369"
    assert page.locator("h1").inner_text() == "Oolong 100 g 09506000134369"
    assert page.locator("main").inner_text().count("No lots yet.") == 1

    page.fill("#lot", "OL#1")
    page.fill("#produced_on", "2026-11-03")
    with page.expect_navigation():
        page.click("#add-lot button")
    assert page.locator("[role=alert]").inner_text() == \
        "invalid lot 'OL#1': character '#' is not allowed in AI 10 (GS1 CSET 82)"
    assert page.input_value("#lot") == "OL#1"  # the form comes back as typed
    page.fill("#lot", "OL-1")
    page.fill("#expires_on", "2027-11-02")
    page.fill("#line", "line-2")
    with page.expect_navigation():
        page.click("#add-lot button")
    assert page.locator("#lots tr[data-lot='OL-1'] td").all_inner_texts() == [
        "OL-1", "2026-11-03", "2027-11-02", "line-2", "0", "current"]
    page.fill("#lot", "OL-1")
    page.fill("#produced_on", "2026-11-03")
    with page.expect_navigation():
        page.click("#add-lot button")
    assert page.locator("[role=alert]").inner_text() == "lot 'OL-1' already exists for GTIN 09506000134369"
    assert fits_phone(page)
    shot(page, "product", database_url)

    page.goto(f"{base}/console/products/{cat.gtin}")
    with page.expect_navigation():
        page.click(f"#lots tr[data-lot='{cat.lot}'] a")  # the lot number has a '/': the link still works
    assert page.locator("h1").inner_text() == f"Lot {cat.lot} (current)"
    assert (page.locator("[data-codes]").inner_text(), page.locator("[data-recalled]").inner_text(),
            page.locator("[data-mint-jobs]").inner_text()) == ("6", "0", "1")
    assert page.locator("#code-states tr").all_inner_texts() == [
        "commissioned\t6", "reserved in a line's pool\t0", "voided\t0"]
    assert fits_phone(page)
    shot(page, "lot", database_url)
    with page.expect_navigation():
        page.click("text=Recall this lot…")
    assert (page.input_value("#gtin"), page.input_value("#lots")) == (cat.gtin, cat.lot)
    page.context.close()


@pytest.mark.browser
def test_rotate_and_revoke_keys(browser, console, runtime, database_url) -> None:
    base, cat, _ = console
    out = io.StringIO()
    mint(runtime.db, runtime.key_store, MintRequest(gtin=cat.gtin, lot=cat.lot, count=1, output_format="csv", out=None,
                                                    requested_by="test"), stdout=out)
    code_url = next(csv.DictReader(io.StringIO(out.getvalue())))["url"]
    page = sign_in(browser, base, "admin@acme.example")
    page.goto(f"{base}/console/keys")
    assert page.locator("#keys tr[data-kid]").count() == 1
    first = page.locator(f"#keys tr[data-kid='{cat.kid}']")
    assert first.locator("[data-status]").inner_text() == "active"
    assert first.locator("td.n").inner_text() == "7"
    with page.expect_navigation():
        page.click("#rotate button")
    assert page.url == f"{base}/console/keys"
    assert page.locator("#keys tr[data-kid]").count() == 2
    assert first.locator("[data-status]").inner_text() == "retired"
    new = page.locator("#keys tr[data-kid]").nth(1)
    assert new.locator("[data-status]").inner_text() == "active" and new.locator("td.n").inner_text() == "0"

    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    unconfirmed = page.request.post(f"{base}/console/keys/{cat.kid}/revoke", form={"csrf": csrf})
    assert unconfirmed.status == 400
    assert f"revoking key '{cat.kid}' makes every code it signed verify as forged: tick the box to confirm" \
        in html.unescape(unconfirmed.text())
    assert first.locator("[data-status]").inner_text() == "retired"
    first.locator("input[name=confirm]").check()
    assert first.locator("label.check").inner_text().strip() == \
        "I understand that the 7 codes signed with this key will verify as forged."
    with page.expect_navigation():
        first.locator("button.danger").click()
    assert first.locator("[data-status]").inner_text() == "revoked"
    assert first.locator("form.revoke").count() == 0
    assert fits_phone(page)
    shot(page, "keys", database_url)

    parts = urlsplit(code_url)
    consumer = page.context.new_page()
    consumer.goto(f"{base}{parts.path}?{parts.query}")
    assert "Warning: fake code" in consumer.locator("body").inner_text()
    page.context.close()
