"""The brand API: API keys and roles, brand isolation, problem JSON, minting over HTTP."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from trace.api.app import create_app
from trace.services.api_keys import issue_api_key
from trace.services.units import count_units
from support.factories import seeded_catalog


@pytest.fixture
def client(runtime) -> TestClient:
    return TestClient(create_app(runtime=runtime))


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_requests_without_or_with_a_wrong_key_get_401_problem_json(client: TestClient, runtime) -> None:
    seeded_catalog(runtime)
    missing = client.get("/api/v1/brands")
    assert missing.status_code == 401
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["code"] == "unauthenticated"
    assert missing.json()["detail"] == "missing API key: send 'Authorization: Bearer <API key>'"
    wrong = client.get("/api/v1/brands", headers=_auth("tm_abcdef123456_notthetoken"))
    assert wrong.status_code == 401
    assert wrong.json()["detail"] == "invalid API key: no key matches this token"
    garbage = client.get("/api/v1/brands", headers=_auth("hunter2"))
    assert garbage.json()["detail"] == "invalid API key: expected a token of the form tm_<prefix>_<secret>"


def test_platform_admin_creates_brand_product_lot(client: TestClient, runtime) -> None:
    admin = issue_api_key(runtime.db, role="admin", brand=None, name="root").token
    created = client.post("/api/v1/brands", json={"name": "Acme Tea", "domain": "https://id.acme.example/"},
                          headers=_auth(admin))
    assert created.status_code == 201
    assert created.json()["slug"] == "acme-tea"
    assert created.json()["domain"] == "https://id.acme.example"
    assert len(created.json()["active_kid"]) == 16
    product = client.post("/api/v1/brands/acme-tea/products",
                          json={"gtin": "9506000134352", "name": "Longjing"}, headers=_auth(admin))
    assert product.status_code == 201
    assert product.json()["gtin"] == "09506000134352"
    lot = client.post("/api/v1/brands/acme-tea/products/09506000134352/lots",
                      json={"lot": "L1", "produced_on": "2026-11-01", "expires_on": "2028-11-01"}, headers=_auth(admin))
    assert lot.status_code == 201
    assert lot.json() == {"brand": "acme-tea", "gtin": "09506000134352", "lot": "L1", "produced_on": "2026-11-01",
                          "expires_on": "2028-11-01", "line": None, "site": None}
    bad_gtin = client.post("/api/v1/brands/acme-tea/products", json={"gtin": "9506000134353", "name": "x"},
                           headers=_auth(admin))
    assert bad_gtin.status_code == 400
    assert bad_gtin.json()["code"] == "invalid_identifier"
    duplicate = client.post("/api/v1/brands", json={"name": "Acme Tea", "domain": "https://x.example"}, headers=_auth(admin))
    assert duplicate.status_code == 409
    assert duplicate.json()["detail"] == "brand 'acme-tea' already exists"


def test_roles_are_enforced(client: TestClient, runtime) -> None:
    cat = seeded_catalog(runtime)
    viewer = issue_api_key(runtime.db, role="viewer", brand=cat.brand, name="v").token
    operator = issue_api_key(runtime.db, role="operator", brand=cat.brand, name="o").token
    assert client.get(f"/api/v1/brands/{cat.brand}/products", headers=_auth(viewer)).status_code == 200
    denied = client.post("/api/v1/mint-jobs", json={"gtin": cat.gtin, "lot": cat.lot, "count": 2}, headers=_auth(viewer))
    assert denied.status_code == 403
    assert denied.json()["detail"] == "forbidden: role viewer may not mint"
    rotate = client.post(f"/api/v1/brands/{cat.brand}/keys/rotate", headers=_auth(operator))
    assert rotate.status_code == 403
    assert rotate.json()["code"] == "forbidden"
    brand_bound_admin = issue_api_key(runtime.db, role="admin", brand=cat.brand, name="a").token
    new_brand = client.post("/api/v1/brands", json={"name": "Other", "domain": "https://o.example"},
                            headers=_auth(brand_bound_admin))
    assert new_brand.status_code == 403


def test_brands_are_isolated(client: TestClient, runtime) -> None:
    acme = seeded_catalog(runtime)
    other = seeded_catalog(runtime, slug="other", gtin="09506000134369", lot="O1", domain="https://other.example")
    acme_admin = issue_api_key(runtime.db, role="admin", brand=acme.brand, name="a").token
    listing = client.get("/api/v1/brands", headers=_auth(acme_admin))
    assert [b["slug"] for b in listing.json()] == ["acme"]
    assert client.get(f"/api/v1/brands/{other.brand}/products", headers=_auth(acme_admin)).status_code == 403
    mint = client.post("/api/v1/mint-jobs", json={"gtin": other.gtin, "lot": other.lot, "count": 1},
                       headers=_auth(acme_admin))
    assert mint.status_code == 403
    assert count_units(runtime.db) == 0
    lots = client.get(f"/api/v1/brands/acme/products/{other.gtin}/lots", headers=_auth(acme_admin))
    assert lots.status_code == 404


def test_operator_mints_and_codes_verify_over_http(client: TestClient, runtime) -> None:
    cat = seeded_catalog(runtime, domain="http://testserver")
    operator = issue_api_key(runtime.db, role="operator", brand=cat.brand, name="line-1").token
    response = client.post("/api/v1/mint-jobs", json={"gtin": cat.gtin, "lot": cat.lot, "count": 25},
                           headers=_auth(operator))
    assert response.status_code == 201
    body = response.json()
    assert (body["count"], body["kid"], len(body["codes"])) == (25, cat.kid, 25)
    url = body["codes"][0]["url"]
    verdict = client.get(url, headers={"Accept": "application/json"})
    assert verdict.status_code == 200
    assert verdict.json()["verdict"] == "genuine"
    assert verdict.json()["serial"] == body["codes"][0]["serial"]
    assert verdict.json()["product"] == "Longjing Green Tea 250 g"
    page = client.get(url, headers={"Accept": "text/html", "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert page.headers["content-type"].startswith("text/html")
    assert "正品" in page.text
    forged = client.get(url[:-1] + ("A" if url[-1] != "A" else "B"), headers={"Accept": "application/json"})
    assert forged.json()["verdict"] == "forged"
    csv_response = client.post("/api/v1/mint-jobs", json={"gtin": cat.gtin, "lot": cat.lot, "count": 3, "format": "csv"},
                               headers=_auth(operator))
    assert csv_response.headers["content-type"].startswith("text/csv")
    assert csv_response.text.splitlines()[0] == "serial,gtin,lot,expires,url"
    assert len(csv_response.text.splitlines()) == 4
    too_many = client.post("/api/v1/mint-jobs", json={"gtin": cat.gtin, "lot": cat.lot, "count": 0}, headers=_auth(operator))
    assert too_many.status_code == 422
    assert too_many.json()["code"] == "invalid_request"
    assert count_units(runtime.db) == 28


def test_malformed_code_path_is_a_clear_400(client: TestClient, runtime) -> None:
    seeded_catalog(runtime)
    bad = client.get("/01/09506000134353/21/ABC", headers={"Accept": "application/json"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_identifier"
    assert "09506000134353" in bad.json()["detail"]


def test_published_keys_allow_offline_verification(client: TestClient, runtime) -> None:
    from trace.crypto import parse_published_keys

    cat = seeded_catalog(runtime)
    document = client.get("/.well-known/tracemark/keys.json").json()
    assert [d["brand"] for d in document["brands"]] == ["acme"]
    brand, keys = parse_published_keys(document["brands"][0])
    assert (brand, [k.kid for k in keys], keys[0].status) == ("acme", [cat.kid], "active")
    single = client.get("/.well-known/tracemark/keys/acme.json").json()
    assert single == document["brands"][0]
    assert client.get("/.well-known/tracemark/keys/nobody.json").status_code == 404


def test_public_endpoints_are_rate_limited(runtime) -> None:
    runtime = type(runtime)(settings=runtime.settings.model_copy(update={"rate_limit_per_minute": 5}),
                            db=runtime.db, key_store=runtime.key_store)
    client = TestClient(create_app(runtime=runtime))
    statuses = [client.get("/.well-known/tracemark/keys.json").status_code for _ in range(7)]
    assert statuses == [200, 200, 200, 200, 200, 429, 429]
    limited = client.get("/01/09506000134352/21/X", headers={"Accept": "application/json"})
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
