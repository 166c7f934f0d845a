"""`POST /signup` and the leads admin API over HTTP: token, consent, escaping, rate limit, export, erase."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from consumer_site import form_token
from support.factories import seeded_catalog
from trace.api.app import create_app
from trace.services.api_keys import issue_api_key
from trace.services.leads import export_leads

UNIT = "09506000134352/Q7X2M9K4P1"


@pytest.fixture
def client(runtime) -> TestClient:
    seeded_catalog(runtime)
    return TestClient(create_app(runtime=runtime))


def _form(runtime, **change: str) -> dict[str, str]:
    token = form_token.issue(runtime.settings.secret_key_bytes(), brand="acme", unit_key=UNIT, now=time.time())
    return {"token": token, "brand": "acme", "unit_key": UNIT, "lang": "en", "contact": "li.wei@example.com",
            "consent": "yes", "back": "/01/09506000134352/21/Q7X2M9K4P1?8030=abc"} | change


def test_signup_then_already(client: TestClient, runtime) -> None:
    first = client.post("/signup", data=_form(runtime))
    assert first.status_code == 201 and "Thank you! You are signed up." in first.text
    assert 'href="/01/09506000134352/21/Q7X2M9K4P1?8030=abc"' in first.text
    again = client.post("/signup", data=_form(runtime, contact="LI.WEI@example.com", lang="zh"))
    assert again.status_code == 200 and "您已经加入过了，谢谢！" in again.text
    leads = export_leads(runtime.db, runtime.settings.secret_key_bytes(), "acme")
    assert [(lead.contact, lead.consent_text) for lead in leads] == [
        ("li.wei@example.com", "I agree that Acme Tea may store my contact details and send me news and offers. "
                               "I can ask for them to be deleted at any time.")]


@pytest.mark.parametrize(("name", "change", "status", "message"), [
    ("no-consent", {"consent": ""}, 400, "Please tick the box to agree before signing up."),
    ("bad-contact", {"contact": "<script>alert(1)</script>"}, 400, "Please enter a valid e-mail address or phone number."),
    ("other-unit", {"unit_key": "09506000134352/OTHER"}, 400, "This form has expired."),
    ("forged-token", {"token": "1800000000.AAAAAAAAAAAAAAAAAAAAAA"}, 400, "This form has expired."),
    ("unknown-brand", {"brand": "nobody"}, 400, "This form has expired."),
])
def test_refused_signups_store_nothing(client: TestClient, runtime, name, change, status, message) -> None:
    answer = client.post("/signup", data=_form(runtime, **change))
    assert answer.status_code == status and message in answer.text
    assert "<script>alert" not in answer.text
    assert export_leads(runtime.db, runtime.settings.secret_key_bytes(), "acme") == []


def test_back_link_never_leaves_the_site(client: TestClient, runtime) -> None:
    for hostile in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)", '/x"><script>alert(1)</script>'):
        answer = client.post("/signup", data=_form(runtime, back=hostile, consent=""))
        assert "evil.example" not in answer.text and "javascript:" not in answer.text and "<script>" not in answer.text


def test_overlong_or_missing_fields_are_a_clean_4xx(client: TestClient, runtime) -> None:
    assert client.post("/signup", data=_form(runtime, contact="a" * 5000)).status_code == 422
    assert client.post("/signup", data={"contact": "x@example.com"}).status_code == 422


def test_signups_are_rate_limited_per_client(client: TestClient, runtime) -> None:
    statuses = [client.post("/signup", data=_form(runtime, contact=f"p{i}@example.com")).status_code for i in range(12)]
    assert statuses[:10] == [201] * 10 and statuses[10:] == [429, 429]
    assert len(export_leads(runtime.db, runtime.settings.secret_key_bytes(), "acme")) == 10


def test_admin_exports_and_erases_one_person(client: TestClient, runtime) -> None:
    client.post("/signup", data=_form(runtime))
    client.post("/signup", data=_form(runtime, contact="+86 138 0013 8000"))
    admin = {"Authorization": f"Bearer {issue_api_key(runtime.db, role='admin', brand='acme', name='a').token}"}
    viewer = {"Authorization": f"Bearer {issue_api_key(runtime.db, role='viewer', brand='acme', name='v').token}"}
    assert client.get("/api/v1/leads", params={"brand": "acme"}).status_code == 401
    assert client.get("/api/v1/leads", params={"brand": "acme"}, headers=viewer).status_code == 403
    everyone = client.get("/api/v1/leads", params={"brand": "acme"}, headers=admin)
    assert [lead["contact"] for lead in everyone.json()] == ["li.wei@example.com", "8613800138000"]
    one = client.get("/api/v1/leads", params={"brand": "acme", "contact": "Li.Wei@example.com"}, headers=admin)
    assert [lead["contact"] for lead in one.json()] == ["li.wei@example.com"]
    erased = client.delete("/api/v1/leads", params={"brand": "acme", "contact": "li.wei@example.com"}, headers=admin)
    assert erased.status_code == 204
    again = client.delete("/api/v1/leads", params={"brand": "acme", "contact": "li.wei@example.com"}, headers=admin)
    assert again.status_code == 404 and again.json()["code"] == "not_found"
    assert [lead["contact"] for lead in client.get("/api/v1/leads", params={"brand": "acme"}, headers=admin).json()] \
        == ["8613800138000"]
