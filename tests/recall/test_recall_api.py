"""The recall API on a small hand-built journey: roles, brand isolation, preview, start,
the units table, a correction by errorDeclaration, exports, CSV import errors."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from support.epcis_events import DC, FACTORY, PALLET, SHOP, aggregation, case, document, item, object_event
from support.factories import seeded_catalog
from trace.api.app import create_app
from trace.db.events import EpcisEventRow, EpcState
from trace.services import brands
from trace.services.api_keys import issue_api_key
from trace.services.capture import capture_document

ITEMS = list(range(1001, 1007))


@pytest.fixture
def api(runtime):
    seeded_catalog(runtime)
    brands.add_brand(runtime.db, runtime.key_store, name="Other", domain="https://id.other.example", slug="other")
    keys = {role: {"Authorization": f"Bearer {issue_api_key(runtime.db, role=role, brand='acme', name=role).token}"}
            for role in ("admin", "viewer")}
    keys["other"] = {"Authorization": f"Bearer {issue_api_key(runtime.db, role='admin', brand='other', name='o').token}"}
    capture_document(runtime.db, "acme", document([
        aggregation("2026-11-01T09:00:00+08:00", case(1), [item(s) for s in ITEMS[:3]]),
        aggregation("2026-11-01T09:05:00+08:00", case(2), [item(s) for s in ITEMS[3:]]),
        aggregation("2026-11-01T10:00:00+08:00", PALLET, [case(1)]),
        object_event("2026-11-02T10:00:00+08:00", [PALLET], step="receiving", disposition="in_progress", location=DC),
        object_event("2026-11-03T10:00:00+08:00", [case(2)], step="shipping", disposition="in_transit", read_point=FACTORY),
        object_event("2026-11-04T10:00:00+08:00", [item(1099)], step="retail_selling", disposition="retail_sold",
                     location=SHOP),
    ]), captured_by="test")
    return TestClient(create_app(runtime=runtime)), keys


def test_preview_start_and_roles(api, runtime) -> None:
    client, keys = api
    body = {"identifiers": [item(1001), "(01)09506000134352(21)1099"]}
    preview = client.post("/api/v1/recalls/preview", json=body, headers=keys["viewer"])
    assert preview.status_code == 200, preview.text
    # item 1001 pulls in its case and pallet (and the case's other two items); 1099 was sold loose.
    assert preview.json()["by_kind"] == {"item": 4, "case": 1, "pallet": 1}
    assert preview.json()["by_status"] == {"in_warehouse": 5, "in_transit": 0, "at_retailer": 0, "sold": 1,
                                           "verified": 0}
    assert preview.json()["by_location"] == {DC: 5, SHOP: 1}

    denied = client.post("/api/v1/recalls", json={**body, "reason": "x"}, headers=keys["viewer"])
    assert denied.status_code == 403
    started = client.post("/api/v1/recalls", json={**body, "reason": "seal defect", "reference": "RC-1"},
                          headers=keys["admin"])
    assert started.status_code == 201, started.text
    recall_id = started.json()["id"]
    assert client.get(f"/api/v1/recalls/{recall_id}", headers=keys["other"]).status_code == 404
    assert client.get("/api/v1/recalls", headers=keys["other"]).json() == []

    detail = client.get(f"/api/v1/recalls/{recall_id}", headers=keys["viewer"]).json()
    assert (detail["reference"], detail["progress"]["total"], detail["progress"]["outstanding"]) == ("RC-1", 6, 6)
    sold = client.get(f"/api/v1/recalls/{recall_id}/units", params={"status": "sold"}, headers=keys["viewer"]).json()
    assert [u["uri"] for u in sold] == [item(1099)]
    at_dc = client.get(f"/api/v1/recalls/{recall_id}/units", params={"location": DC}, headers=keys["viewer"]).json()
    assert len(at_dc) == 5

    # Item 1003 was wrongly included: an errorDeclaration, corrective events, never an edit.
    fixed = client.post(f"/api/v1/recalls/{recall_id}/exclusions", json={"identifier": item(1003), "reason": "other seal"},
                        headers=keys["admin"])
    assert fixed.status_code == 204, fixed.text
    with runtime.db.reading() as session:
        states = {k: d for k, d in session.execute(select(EpcState.epc_key, EpcState.disposition))}
        declarations = session.scalars(select(EpcisEventRow).where(EpcisEventRow.is_error_declaration)).all()
    assert states["0109506000134352211003"] == "in_progress"
    assert states["0109506000134352211001"] == "recalled" and len(declarations) == 1
    progress = client.get(f"/api/v1/recalls/{recall_id}", headers=keys["viewer"]).json()["progress"]
    assert (progress["total"], progress["excluded"]) == (5, 1)

    exported = client.get(f"/api/v1/recalls/{recall_id}/export.csv", headers=keys["viewer"])
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 6
    row = next(r for r in rows if r["Identifier"] == item(1001))
    assert (row["Traceability Lot Code"], row["Product Description"], row["Quantity"], row["Unit of Measure"],
            row["Location Description"]) == ("", "", "1", "each", DC)  # 1001 was never minted: no lot known
    epcis = client.get(f"/api/v1/recalls/{recall_id}/export.jsonld", headers=keys["viewer"]).json()
    assert [e.get("disposition") for e in epcis["epcisBody"]["eventList"]].count("recalled") >= 2
    pdf = client.get(f"/api/v1/recalls/{recall_id}/summary.pdf", headers=keys["viewer"])
    assert pdf.content.startswith(b"%PDF")

    assert client.post(f"/api/v1/recalls/{recall_id}/close", headers=keys["viewer"]).status_code == 403
    closed = client.post(f"/api/v1/recalls/{recall_id}/close", headers=keys["admin"])
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")


def test_csv_import_reports_bad_rows_and_starts_nothing(api) -> None:
    client, keys = api
    text = f"identifier\n{item(1001)}\nnot an id\n{case(1)}\n(01)09506000134353(21)1\n"
    response = client.post("/api/v1/recalls", json={"identifiers_csv": text, "reason": "x"}, headers=keys["admin"])
    assert response.status_code == 400, response.text
    assert "line 3" in response.text and "line 5" in response.text
    assert client.get("/api/v1/recalls", headers=keys["admin"]).json() == []
