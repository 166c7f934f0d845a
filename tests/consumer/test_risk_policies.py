"""Stored risk policies (per brand, per product): the scan judges by them; service, API, CLI."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from scan_fixtures import minted, scanner
from trace.api.app import create_app
from trace.cli.main import main
from trace.db.consumer import RiskPolicyRow
from trace.domain.risk import RiskPolicy
from trace.domain.scan import ScanVerdict
from trace.errors import IdentifierError, InvalidInput, NotFound
from trace.services import risk_policies
from trace.services.api_keys import issue_api_key
from support.factories import seeded_catalog

OTHER_GTIN = "09506000134369"


def _stored(rt) -> int:
    with rt.db.reading() as session:
        return session.scalar(select(func.count()).select_from(RiskPolicyRow))


def _verdicts(do, url: str, times: int) -> list[ScanVerdict]:
    return [do(url, after=timedelta(minutes=10 * i)).verdict for i in range(times)]


def test_the_brand_policy_sets_the_copy_threshold_of_its_scans(runtime) -> None:
    code = minted(runtime)[0]
    view = risk_policies.set_policy(runtime.db, brand="acme", max_consumer_verifications=2)
    assert (view.brand, view.gtin, view.source) == ("acme", None, "brand")
    assert view.policy == RiskPolicy(max_consumer_verifications=2)
    do = scanner(runtime)
    assert _verdicts(do, code["url"], 3) == [ScanVerdict.GENUINE, ScanVerdict.VERIFIED_BEFORE,
                                             ScanVerdict.POSSIBLE_COPY]
    assert do(code["url"], after=timedelta(hours=1)).flags[0].reason == \
        "4 consumer verifications, more than the 2 one item gets"


def test_a_product_policy_replaces_the_brands_and_clearing_it_restores_the_brands(runtime) -> None:
    codes = minted(runtime, count=2)
    gtin = codes[0]["gtin"]
    risk_policies.set_policy(runtime.db, brand="acme", max_consumer_verifications=2, travel_speed_kmh=500)
    product = risk_policies.set_policy(runtime.db, brand="acme", gtin=gtin[1:], max_consumer_verifications=1)
    assert (product.gtin, product.source) == (gtin, "product")
    # Set over the policy in force for the product (the brand's): the other values are kept.
    assert product.policy == RiskPolicy(max_consumer_verifications=1, travel_speed_kmh=500)
    assert risk_policies.policy_in_force(runtime.db, brand="acme", gtin=gtin).source == "product"
    do = scanner(runtime)
    assert _verdicts(do, codes[0]["url"], 2) == [ScanVerdict.GENUINE, ScanVerdict.POSSIBLE_COPY]

    risk_policies.clear_policy(runtime.db, brand="acme", gtin=gtin)
    in_force = risk_policies.policy_in_force(runtime.db, brand="acme", gtin=gtin)
    assert (in_force.source, in_force.policy.max_consumer_verifications) == ("brand", 2)
    assert _verdicts(do, codes[1]["url"], 3) == [ScanVerdict.GENUINE, ScanVerdict.VERIFIED_BEFORE,
                                                 ScanVerdict.POSSIBLE_COPY]
    risk_policies.clear_policy(runtime.db, brand="acme")
    assert risk_policies.policy_in_force(runtime.db, brand="acme").source == "default"
    assert risk_policies.list_policies(runtime.db, "acme") == []


def test_stored_switches_change_the_verdict(runtime) -> None:
    code = minted(runtime)[0]
    risk_policies.set_policy(runtime.db, brand="acme", genuine_without_events=False)
    assert scanner(runtime)(code["url"]).verdict is ScanVerdict.NOT_RELEASED
    risk_policies.set_policy(runtime.db, brand="acme", require_shipped=False)
    assert scanner(runtime)(code["url"], after=timedelta(minutes=5)).verdict is ScanVerdict.VERIFIED_BEFORE


@pytest.mark.parametrize(("changes", "message"), [
    ({"max_consumer_verifications": 0},
     "invalid risk policy max_consumer_verifications 0: expected an integer from 1 to 1e+06"),
    ({"travel_speed_kmh": float("nan")}, "invalid risk policy travel_speed_kmh nan: expected a number from 0.001 to 100000"),
    ({"travel_min_distance_km": -1.0}, "invalid risk policy travel_min_distance_km -1.0: expected a number from 0 to 20000"),
    ({"check_expiry": "yes"}, "invalid risk policy check_expiry 'yes': expected true or false"),
])
def test_out_of_range_values_are_refused_and_nothing_is_stored(runtime, changes, message) -> None:
    seeded_catalog(runtime)
    with pytest.raises(InvalidInput) as error:
        risk_policies.set_policy(runtime.db, brand="acme", **changes)
    assert str(error.value) == message
    assert _stored(runtime) == 0


def test_unknown_brand_product_or_bad_gtin_is_refused(runtime) -> None:
    seeded_catalog(runtime)
    seeded_catalog(runtime, slug="other", gtin=OTHER_GTIN, domain="https://id.other.example")
    with pytest.raises(NotFound, match="^unknown brand 'nobody'$"):
        risk_policies.set_policy(runtime.db, brand="nobody", max_consumer_verifications=3)
    with pytest.raises(NotFound, match=f"^unknown product: brand 'acme' has no product with GTIN {OTHER_GTIN}$"):
        risk_policies.set_policy(runtime.db, brand="acme", gtin=OTHER_GTIN, max_consumer_verifications=3)
    with pytest.raises(IdentifierError):
        risk_policies.set_policy(runtime.db, brand="acme", gtin="9506000134350", max_consumer_verifications=3)
    with pytest.raises(NotFound, match="^no risk policy stored for the brand itself of brand 'acme'$"):
        risk_policies.clear_policy(runtime.db, brand="acme")
    assert _stored(runtime) == 0


def test_api_admins_set_readers_read_others_are_refused(runtime) -> None:
    code = minted(runtime)[0]
    client = TestClient(create_app(runtime=runtime))
    admin = {"Authorization": f"Bearer {issue_api_key(runtime.db, role='admin', brand='acme', name='a').token}"}
    operator = {"Authorization": f"Bearer {issue_api_key(runtime.db, role='operator', brand='acme', name='o').token}"}

    assert client.get("/api/v1/risk-policy", headers=operator).json()["source"] == "default"
    denied = client.put("/api/v1/risk-policy", json={"max_consumer_verifications": 1}, headers=operator)
    assert (denied.status_code, denied.json()["code"]) == (403, "forbidden")
    bad = client.put("/api/v1/risk-policy", json={"max_consumer_verifications": 0}, headers=admin)
    assert bad.status_code == 422
    extra = client.put("/api/v1/risk-policy", json={"max_scans": 3}, headers=admin)
    assert extra.status_code == 422
    assert _stored(runtime) == 0

    stored = client.put("/api/v1/risk-policy", json={"gtin": code["gtin"], "max_consumer_verifications": 1,
                                                     "travel_min_distance_km": 10}, headers=admin)
    assert stored.status_code == 200
    body = stored.json()
    assert (body["brand"], body["gtin"], body["source"]) == ("acme", code["gtin"], "product")
    assert body["policy"] == {"max_consumer_verifications": 1, "travel_speed_kmh": 900.0,
                              "travel_min_distance_km": 10.0, "check_expiry": True, "require_shipped": True,
                              "genuine_without_events": True}
    assert [p["gtin"] for p in client.get("/api/v1/risk-policies", headers=operator).json()] == [code["gtin"]]

    first = client.get(code["url"].split("id.acme.example", 1)[1], headers={"Accept": "application/json"})
    second = client.get(code["url"].split("id.acme.example", 1)[1], headers={"Accept": "application/json"})
    assert (first.json()["verdict"], second.json()["verdict"]) == ("genuine", "possible_copy")

    assert client.delete(f"/api/v1/risk-policy?gtin={code['gtin']}", headers=operator).status_code == 403
    assert client.delete(f"/api/v1/risk-policy?gtin={code['gtin']}", headers=admin).status_code == 204
    gone = client.delete(f"/api/v1/risk-policy?gtin={code['gtin']}", headers=admin)
    assert (gone.status_code, gone.json()["detail"]) == \
        (404, f"no risk policy stored for product {code['gtin']} of brand 'acme'")


def test_cli_sets_shows_and_clears(runtime, monkeypatch, capsys, database_url, tmp_path) -> None:
    seeded_catalog(runtime)
    monkeypatch.setenv("TRACEMARK_DATABASE_URL", database_url)
    monkeypatch.setenv("TRACEMARK_KEY_DIR", str(tmp_path / "cli-keys"))
    assert main(["risk-policy", "set", "--brand", "acme", "--max-consumer-verifications", "3",
                 "--no-check-expiry"]) == 0
    out, err = capsys.readouterr()
    assert err == "risk policy of 'acme' stored\n"
    assert json.loads(out)["policy"] == {"max_consumer_verifications": 3, "travel_speed_kmh": 900.0,
                                         "travel_min_distance_km": 50.0, "check_expiry": False,
                                         "require_shipped": True, "genuine_without_events": True}
    assert main(["risk-policy", "show", "--brand", "acme", "--gtin", "09506000134352"]) == 0
    shown = json.loads(capsys.readouterr()[0])
    assert (shown["source"], shown["gtin"], shown["policy"]["max_consumer_verifications"]) == ("brand", None, 3)

    assert main(["risk-policy", "set", "--brand", "acme", "--travel-speed-kmh", "-5"]) == 1
    assert capsys.readouterr()[1] == \
        "error: invalid risk policy travel_speed_kmh -5.0: expected a number from 0.001 to 100000\n"
    assert main(["risk-policy", "clear", "--brand", "acme"]) == 0
    assert capsys.readouterr()[1] == "risk policy of 'acme' removed\n"
    assert main(["risk-policy", "list", "--brand", "acme"]) == 0
    assert json.loads(capsys.readouterr()[0]) == []
