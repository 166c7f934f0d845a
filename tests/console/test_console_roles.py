"""Roles and brands on the console's new pages: a viewer sees no forms and every change it
posts (with a valid CSRF token) is a 403; a change without the token is a 403 even for an
admin; another brand's staff gets 404s for acme's product, lot, campaign and key."""

from __future__ import annotations

import html

import pytest

from console_site import shot, sign_in
from trace.services import catalog, sales_channels, signing_keys

FORMS = ("#add-product", "#add-lot", "#rotate", "form.revoke", "#set-region", "#campaign-form",
         "#channels form", "#campaigns form")


@pytest.fixture
def acme_things(console, runtime):
    base, cat, _ = console
    campaign = sales_channels.add_campaign(runtime.db, brand="acme", name="Winter", offer="gift")
    sales_channels.set_channel(runtime.db, brand="acme", party="urn:epc:id:pgln:9506000.00001", region="CN-31")
    return base, cat, campaign.id


def refused(page, url: str, form: dict[str, str]) -> tuple[int, str]:
    response = page.request.post(url, form=form)
    return response.status, html.unescape(response.text())


@pytest.mark.browser
def test_viewer_sees_no_forms_and_cannot_change_anything(browser, acme_things, runtime, database_url) -> None:
    base, cat, campaign_id = acme_things
    page = sign_in(browser, base, "viewer@acme.example")
    for path in ("/console/products", f"/console/products/{cat.gtin}", "/console/keys", "/console/regions",
                 "/console/campaigns"):
        assert page.goto(f"{base}{path}").status == 200
        assert [selector for selector in FORMS if page.locator(selector).count()] == [], path
    assert page.locator("#campaigns tr[data-campaign]").count() == 1  # the viewer reads them
    shot(page, "viewer-campaigns", database_url)
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    attempts = {
        "/console/products": ({"gtin": "09506000134369", "name": "x"}, "role viewer may not manage catalog"),
        f"/console/products/{cat.gtin}/lots": ({"lot": "L2", "produced_on": "2026-11-01"},
                                               "role viewer may not manage catalog"),
        "/console/keys/rotate": ({}, "role viewer may not manage keys"),
        f"/console/keys/{cat.kid}/revoke": ({"confirm": "yes"}, "role viewer may not manage keys"),
        "/console/regions": ({"party": "p", "region": "CN"}, "role viewer may not manage brands"),
        "/console/regions/remove": ({"party": "urn:epc:id:pgln:9506000.00001"}, "role viewer may not manage brands"),
        "/console/campaigns": ({"name": "n", "offer": "o"}, "role viewer may not manage brands"),
        f"/console/campaigns/{campaign_id}": ({"name": "n", "offer": "o"}, "role viewer may not manage brands"),
        f"/console/campaigns/{campaign_id}/pause": ({}, "role viewer may not manage brands"),
    }
    for path, (form, message) in attempts.items():
        status, text = refused(page, f"{base}{path}", {"csrf": csrf, **form})
        assert (status, message in text) == (403, True), path
    page.context.close()
    # Nothing changed.
    assert [p.gtin for p in catalog.list_products(runtime.db, "acme")] == [cat.gtin]
    assert [k.status for k in signing_keys.list_keys(runtime.db, "acme")] == ["active"]
    assert [(c.region, c.party) for c in sales_channels.channels(runtime.db, "acme")] == [
        ("CN-31", "urn:epc:id:pgln:9506000.00001")]
    assert [(c.name, c.active) for c in sales_channels.campaigns(runtime.db, "acme")] == [("Winter", True)]


@pytest.mark.browser
def test_every_new_form_needs_the_csrf_token(browser, acme_things, runtime) -> None:
    base, cat, campaign_id = acme_things
    page = sign_in(browser, base, "admin@acme.example")
    for path, form in {"/console/products": {"gtin": "09506000134369", "name": "x"},
                       f"/console/products/{cat.gtin}/lots": {"lot": "L2", "produced_on": "2026-11-01"},
                       "/console/keys/rotate": {}, f"/console/keys/{cat.kid}/revoke": {"confirm": "yes"},
                       "/console/regions": {"party": "p", "region": "CN"},
                       "/console/campaigns": {"name": "n", "offer": "o"},
                       f"/console/campaigns/{campaign_id}/pause": {}}.items():
        for token in ({}, {"csrf": "forged"}):
            status, text = refused(page, f"{base}{path}", {**form, **token})
            assert (status, "missing or wrong CSRF token" in text) == (403, True), path
    page.context.close()
    assert [k.status for k in signing_keys.list_keys(runtime.db, "acme")] == ["active"]
    assert sales_channels.channels(runtime.db, "acme")[0].region == "CN-31"


@pytest.mark.browser
def test_another_brand_sees_nothing_of_acme(browser, acme_things, runtime, database_url) -> None:
    base, cat, campaign_id = acme_things
    page = sign_in(browser, base, "admin@other.example", brand="other")
    page.goto(f"{base}/console/products")
    assert "No products yet." in page.locator("main").inner_text()
    page.goto(f"{base}/console/regions")
    assert "No sales regions yet." in page.locator("main").inner_text()
    page.goto(f"{base}/console/campaigns")
    assert "No campaigns yet." in page.locator("main").inner_text()
    page.goto(f"{base}/console/keys")
    assert cat.kid not in page.locator("main").inner_text()
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    for path, message in ((f"/console/products/{cat.gtin}", "brand 'other' has no product with GTIN"),
                          (f"/console/products/{cat.gtin}/lots/{cat.lot}", "brand 'other' has no product with GTIN"),
                          (f"/console/campaigns/{campaign_id}", f"unknown campaign {campaign_id} for brand 'other'")):
        response = page.goto(f"{base}{path}")
        assert response.status == 404 and message in page.locator("[role=alert]").inner_text(), path
    shot(page, "other-brand-product-404", database_url)
    for path, form, message in (
            (f"/console/keys/{cat.kid}/revoke", {"confirm": "yes"}, f"unknown key '{cat.kid}' for brand 'other'"),
            (f"/console/products/{cat.gtin}/lots", {"lot": "L2", "produced_on": "2026-11-01"},
             "brand 'other' has no product with GTIN 09506000134352"),
            (f"/console/campaigns/{campaign_id}/pause", {}, f"unknown campaign {campaign_id} for brand 'other'"),
            (f"/console/campaigns/{campaign_id}", {"name": "n", "offer": "o"},
             f"unknown campaign {campaign_id} for brand 'other'"),
            ("/console/regions/remove", {"party": "urn:epc:id:pgln:9506000.00001"},
             "unknown sales channel 'urn:epc:id:pgln:9506000.00001' for brand 'other'")):
        status, text = refused(page, f"{base}{path}", {"csrf": csrf, **form})
        assert (status, message in text) == (404, True), path
    page.context.close()
    assert [k.status for k in signing_keys.list_keys(runtime.db, "acme")] == ["active"]
    assert [lot.lot for lot in catalog.list_lots(runtime.db, cat.gtin)] == [cat.lot]
    assert [(c.name, c.active) for c in sales_channels.campaigns(runtime.db, "acme")] == [("Winter", True)]
