"""A hand-built journey, captured over the EPCIS REST binding and asked about afterwards:
commission → pack into cases → pallet → ship → receive at the DC → unpack → sell."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from support.epcis_events import (
    DC, FACTORY, PALLET, SHOP, aggregation, case, document, item, item_urn, object_event,
)
from trace.api.app import create_app
from trace.domain.epcis import parse_identifier
from trace.services import brands
from trace.services.api_keys import issue_api_key
from trace.services.ledger import sequence
from trace.services.ledger_audit import audit

ITEMS = list(range(1001, 1007))  # six items, three per case


def dl(uri: str) -> str:
    """Objects are reported in canonical GS1 Digital Link form, however they were captured."""
    return parse_identifier(uri).as_digital_link()


@pytest.fixture
def api(runtime):
    brands.add_brand(runtime.db, runtime.key_store, name="Acme", domain="https://id.acme.example", slug="acme")
    partner = issue_api_key(runtime.db, role="partner", brand="acme", name="wms").token
    viewer = issue_api_key(runtime.db, role="viewer", brand="acme", name="v").token
    client = TestClient(create_app(runtime=runtime))
    return client, {"Authorization": f"Bearer {partner}"}, {"Authorization": f"Bearer {viewer}"}


def journey() -> list[dict]:
    first, second = ITEMS[:3], ITEMS[3:]
    return [
        object_event("2026-11-01T08:00:00+08:00", [item(s) for s in ITEMS], action="ADD", step="commissioning",
                     disposition="active", location=FACTORY),
        aggregation("2026-11-01T09:00:00+08:00", case(1), [item(s) for s in first]),
        aggregation("2026-11-01T09:05:00+08:00", case(2), [item(s) for s in second]),
        aggregation("2026-11-01T10:00:00+08:00", PALLET, [case(1), case(2)]),
        object_event("2026-11-02T10:00:00+08:00", [PALLET], step="shipping", disposition="in_transit",
                     read_point=FACTORY,
                     destinationList=[{"type": "possessing_party", "destination": "urn:epc:id:pgln:9506000.00001"}]),
        object_event("2026-11-04T10:00:00+08:00", [PALLET], step="receiving", disposition="in_progress", location=DC),
        aggregation("2026-11-05T10:00:00+08:00", PALLET, [], action="DELETE", step="unpacking", location=DC),
        aggregation("2026-11-05T11:00:00+08:00", case(1), [], action="DELETE", step="unpacking", location=DC),
        object_event("2026-11-09T15:00:00+08:00", [item_urn(1002)], step="retail_selling",
                     disposition="retail_sold", location=SHOP),
    ]


def test_journey_is_answerable(api, runtime) -> None:
    client, partner, viewer = api
    captured = client.post("/epcis/capture", json=document(journey()), headers=partner)
    assert captured.status_code == 201, captured.text
    assert (captured.json()["captured"], captured.json()["duplicates"]) == (9, 0)

    # The pallet before unpacking: ask the contents as of now (after unpacking) first.
    contents = client.get(f"/api/v1/units/{case(2)}/contents", headers=viewer).json()
    assert sorted(c["uri"] for c in contents["contents"]) == [item(s) for s in ITEMS[3:]]
    assert client.get(f"/api/v1/units/{PALLET}/contents", headers=viewer).json()["contents"] == []

    sold = client.get(f"/api/v1/units/{item(1002)}", headers=viewer).json()
    assert (sold["biz_step"], sold["disposition"], sold["biz_location"], sold["parent"]) == (
        "retail_selling", "retail_sold", SHOP, None)
    still_packed = client.get(f"/api/v1/units/{item_urn(1005)}", headers=viewer).json()
    assert (still_packed["biz_step"], still_packed["biz_location"], still_packed["parent"]) == (
        "receiving", DC, dl(case(2)))
    assert still_packed["custodian"] == "urn:epc:id:pgln:9506000.00001"

    history = client.get(f"/api/v1/units/{item(1002)}/history", headers=viewer).json()
    steps = [(h["biz_step"], h["via"]) for h in history]
    assert steps == [
        ("commissioning", None), ("packing", None), ("packing", dl(case(1))), ("shipping", dl(PALLET)),
        ("receiving", dl(PALLET)), ("unpacking", dl(PALLET)), ("unpacking", dl(case(1))), ("retail_selling", None),
    ]

    at_dc = client.get("/api/v1/dwell", params={"location": DC}, headers=viewer)
    assert at_dc.status_code == 200, at_dc.text
    # Only item 1002 left the DC: received with its pallet on the 4th at 10:00, sold on the 9th at 15:00.
    assert at_dc.json() == [{"from_step": None, "to_step": None, "location": DC, "count": 1, "mean_s": 450000.0,
                             "median_s": 450000.0, "p90_s": 450000.0, "max_s": 450000.0}]
    steps = {(d["from_step"], d["to_step"]): d for d in client.get("/api/v1/dwell", headers=viewer).json()
             if d["location"] is None}
    # Receiving at the DC to unpacking: 24 hours for the pallet, both cases and all six items.
    assert (steps[("receiving", "unpacking")]["count"], steps[("receiving", "unpacking")]["max_s"]) == (9, 86400.0)


def test_pallet_contents_before_unpacking(api) -> None:
    client, partner, viewer = api
    client.post("/epcis/capture", json=document(journey()[:6]), headers=partner)
    tree = client.get(f"/api/v1/units/{PALLET}/contents", headers=viewer).json()
    assert [c["uri"] for c in tree["contents"]] == [dl(case(1)), dl(case(2))]
    assert [sorted(i["uri"] for i in c["contents"]) for c in tree["contents"]] == [
        [item(s) for s in ITEMS[:3]], [item(s) for s in ITEMS[3:]]]
    in_case = client.get(f"/api/v1/units/{item(1001)}", headers=viewer).json()
    assert (in_case["biz_step"], in_case["biz_location"], in_case["parent"]) == ("receiving", DC, dl(case(1)))


def test_event_query_parameters(api) -> None:
    client, partner, viewer = api
    client.post("/epcis/capture", json=document(journey()), headers=partner)

    def ids(**params) -> int:
        response = client.get("/epcis/events", params=params, headers=viewer)
        assert response.status_code == 200, response.text
        return len(response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"])

    assert ids() == 9
    assert ids(eventType="AggregationEvent") == 5
    assert ids(EQ_bizStep="shipping") == 1
    assert ids(EQ_bizStep="urn:epcglobal:cbv:bizstep:unpacking") == 2
    assert ids(EQ_action="DELETE") == 2
    assert ids(EQ_disposition="retail_sold") == 1
    assert ids(EQ_bizLocation=DC) == 3
    assert ids(MATCH_epc=item(1002)) == 3          # commissioning, packing (as child), selling
    assert ids(MATCH_epc=item_urn(1002)) == 3      # the same object in EPC URN form
    assert ids(MATCH_parentID=PALLET) == 2
    assert ids(MATCH_anyEPC=PALLET) == 4
    assert ids(GE_eventTime="2026-11-04T00:00:00Z", LT_eventTime="2026-11-06T00:00:00Z") == 3
    page = client.get("/epcis/events", params={"perPage": 4}, headers=viewer).json()
    second = client.get("/epcis/events", params={"perPage": 4, "nextPageToken": page["nextPageToken"]},
                        headers=viewer).json()
    first_ids = [e["eventID"] for e in page["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]
    second_ids = [e["eventID"] for e in second["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]
    assert len(first_ids) == 4 and len(second_ids) == 4 and not set(first_ids) & set(second_ids)
    dl = client.get("/epcis/events", params={"MATCH_epc": item(1002), "EQ_bizStep": "retail_selling"},
                    headers={**viewer, "GS1-EPC-Format": "Always_GS1_Digital_Link"}).json()
    assert dl["epcisBody"]["queryResults"]["resultsBody"]["eventList"][0]["epcList"] == [item(1002)]
    one = client.get(f"/epcis/events/{quote(first_ids[0], safe='')}", headers=viewer)
    assert one.status_code == 200 and one.json()["eventID"] == first_ids[0]
    assert first_ids[0].startswith("ni:///sha-256;") and first_ids[0].endswith("?ver=CBV2.0")


def test_duplicates_are_stored_once(api, runtime) -> None:
    client, partner, _ = api
    events = journey()[:2]
    assert client.post("/epcis/capture", json=document(events), headers=partner).json()["captured"] == 2
    again = client.post("/epcis/capture", json=document(events + journey()[2:3]), headers=partner).json()
    assert (again["captured"], again["duplicates"]) == (1, 2)
    single = {"@context": document([])["@context"], **journey()[3]}
    assert client.post("/epcis/events", json=single, headers=partner).status_code == 201
    repeat = client.post("/epcis/events", json=single, headers=partner)
    assert repeat.status_code == 409
    assert repeat.json()["code"] == "conflict"
    sequence(runtime.db, "acme")
    assert audit(runtime.db, "acme").leaves == 4


@pytest.mark.parametrize(
    ("mutation", "pointer"),
    [
        (lambda e: e.pop("eventTime"), "/epcisBody/eventList/1"),
        (lambda e: e.update(action="MOVE"), "/epcisBody/eventList/1/action"),
        (lambda e: e.update(bizStep="urn:epcglobal:cbv:bizstep:shiping"), "/epcisBody/eventList/1/bizStep"),
        (lambda e: e.update(childEPCs=["urn:epc:id:sgtin:0614141.812345"]), "/epcisBody/eventList/1/childEPCs/0"),
    ],
    ids=["missing-eventTime", "unknown-action", "bad-bizStep", "malformed-EPC"],
)
def test_malformed_documents_are_rejected_whole(api, runtime, mutation, pointer) -> None:
    client, partner, viewer = api
    events = journey()[:3]
    mutation(events[1])
    response = client.post("/epcis/capture", json=document(events), headers=partner)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_epcis"
    assert body["errors"][0]["eventIndex"] == 1
    assert body["errors"][0]["pointer"].startswith(pointer)
    listing = client.get("/epcis/events", headers=viewer).json()
    assert listing["epcisBody"]["queryResults"]["resultsBody"]["eventList"] == []  # nothing half-stored


def test_capture_needs_a_partner_key(api) -> None:
    client, _, viewer = api
    assert client.post("/epcis/capture", json=document(journey()[:1])).status_code == 401
    denied = client.post("/epcis/capture", json=document(journey()[:1]), headers=viewer)
    assert denied.status_code == 403
    assert denied.json()["detail"] == "forbidden: role viewer may not capture events"
