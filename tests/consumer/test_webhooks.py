"""Alerts reach brand webhooks signed, with retries; the alerts API; the JSON scan endpoint; NFC replays."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from scan_fixtures import SECRET, T0, minted, scanner
from support.epcis_events import FACTORY, document, object_event
from trace.api.app import create_app
from trace.db.consumer import Verification, WebhookDelivery
from trace.domain.scan import ScanVerdict
from trace.services import sales_channels, webhooks
from trace.services.api_keys import issue_api_key
from trace.services.capture import capture_document
from trace.services.nfc_tags import bind_tag
from verify.scanning import sun_judge

DISTRIBUTOR = "urn:epc:id:pgln:9506000.00001"
RECEIVER_SECRET = "receiver-secret-0123456789abcdef"
SUN = json.loads((Path(__file__).resolve().parents[1] / "vectors" / "nfc" / "ntag424_sun_vectors.json").read_text())


class Receiver:
    """A webhook receiver on 127.0.0.1 that checks the signature like a brand's server would."""

    def __init__(self, *, fail_first: int = 0) -> None:
        self.received: list[dict] = []
        self.rejected = 0
        self.fail_first = fail_first
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stamp = self.headers["X-Tracemark-Timestamp"]
                expected = "sha256=" + hmac.new(RECEIVER_SECRET.encode(), stamp.encode() + b"." + body,
                                                hashlib.sha256).hexdigest()
                if not hmac.compare_digest(expected, self.headers["X-Tracemark-Signature"]):
                    receiver.rejected += 1
                    self.send_response(401)
                elif receiver.fail_first > 0:
                    receiver.fail_first -= 1
                    self.send_response(503)
                else:
                    receiver.received.append(json.loads(body))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/tracemark"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(fail_first=1)
    yield r
    r.close()


def _divert(runtime, code) -> None:
    sales_channels.set_channel(runtime.db, brand="acme", party=DISTRIBUTOR, region="CN")
    item = f"https://id.gs1.org/01/{code['gtin']}/21/{code['serial']}"
    capture_document(runtime.db, "acme", document([object_event(
        "2026-11-03T08:00:00+08:00", [item], step="shipping", disposition="in_transit", read_point=FACTORY,
        destinationList=[{"type": "possessing_party", "destination": DISTRIBUTOR}])]), captured_by="test")


def test_diversion_alert_is_delivered_signed_after_a_retry(runtime, receiver: Receiver) -> None:
    code = minted(runtime)[0]
    hook = webhooks.register(runtime.db, SECRET, brand="acme", url=receiver.url, kinds=("diversion",),
                             secret=RECEIVER_SECRET)
    with runtime.db.reading() as session:
        from trace.db.consumer import Webhook
        stored = session.get(Webhook, hook.id)
        assert RECEIVER_SECRET.encode() not in bytes(stored.secret_encrypted)
    _divert(runtime, code)
    outcome = scanner(runtime)(code["url"], region="JP")
    assert outcome.verdict is ScanVerdict.OUTSIDE_MARKET

    first = webhooks.deliver_due(runtime.db, SECRET, now=T0)
    assert first == webhooks.DeliveryReport(delivered=0, retried=1, failed=0)
    with runtime.db.reading() as session:
        delivery = session.scalars(select(WebhookDelivery)).one()
        assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("pending", 1, T0 + timedelta(seconds=30))
        assert "503" in delivery.last_error
    assert webhooks.deliver_due(runtime.db, SECRET, now=T0 + timedelta(seconds=10)).delivered == 0  # not due yet
    assert webhooks.deliver_due(runtime.db, SECRET, now=T0 + timedelta(seconds=30)).delivered == 1
    assert receiver.rejected == 0
    [payload] = receiver.received
    assert (payload["type"], payload["brand"], payload["reason"]) == (
        "alert.diversion", "acme", "scanned in JP, outside its sales region CN")
    assert payload["evidence"]["scan"]["region"] == "JP" and payload["evidence"]["intended_region"] == "CN"
    with runtime.db.reading() as session:
        assert session.scalars(select(WebhookDelivery.status)).one() == "delivered"


def test_backoff_doubles_and_gives_up(runtime) -> None:
    assert [webhooks.backoff(n).total_seconds() for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]
    code = minted(runtime)[0]
    webhooks.register(runtime.db, SECRET, brand="acme", url="http://127.0.0.1:9/nowhere", secret=RECEIVER_SECRET)
    _divert(runtime, code)
    scanner(runtime)(code["url"], region="JP")

    def refuse(url, body, headers):
        raise OSError("connection refused")

    now = T0
    for _ in range(webhooks.MAX_ATTEMPTS):
        report = webhooks.deliver_due(runtime.db, SECRET, now=now, send=refuse)
        now += timedelta(hours=2)
    assert report.failed == 1
    with runtime.db.reading() as session:
        delivery = session.scalars(select(WebhookDelivery)).one()
    assert (delivery.status, delivery.attempts) == ("failed", webhooks.MAX_ATTEMPTS)


def test_nfc_counter_replay_is_a_possible_copy(runtime) -> None:
    code = minted(runtime)[0]
    picc = SUN["encrypted_picc_zero_length_mac"]["url"]
    tap = code["url"] + "&" + picc.partition("?")[2]
    bind_tag(runtime.db, "acme", bytes.fromhex("04DE5F1EACC040"), code["gtin"], code["serial"])
    do = scanner(runtime, sun=sun_judge(bytes(16), bytes(16)))
    assert do(tap).verdict is ScanVerdict.GENUINE
    replay = do(tap, after=timedelta(minutes=1))
    assert replay.verdict is ScanVerdict.POSSIBLE_COPY
    assert replay.flags[0].reason == "replayed: counter 61 not higher than last seen 61 for UID 04DE5F1EACC040"
    bad_mac = tap[:-1] + ("0" if tap[-1] != "0" else "1")
    assert do(bad_mac, after=timedelta(minutes=2)).verdict is ScanVerdict.FORGED


def test_json_scan_staff_keys_trusted_region_and_the_alerts_api(runtime) -> None:
    runtime = type(runtime)(settings=runtime.settings.model_copy(update={"trusted_region_header": "X-Region"}),
                            db=runtime.db, key_store=runtime.key_store)
    code = minted(runtime)[0]
    admin = {"Authorization": "Bearer " + issue_api_key(runtime.db, role="admin", brand="acme", name="a").token}
    partner = {"Authorization": "Bearer " + issue_api_key(runtime.db, role="partner", brand="acme", name="p").token}
    viewer = {"Authorization": "Bearer " + issue_api_key(runtime.db, role="viewer", brand="acme", name="v").token}
    client = TestClient(create_app(runtime=runtime))
    path = code["url"].replace("https://id.acme.example", "")
    assert client.post("/api/v1/sales-channels", json={"party": DISTRIBUTOR, "region": "CN"}, headers=viewer
                       ).status_code == 403
    assert client.post("/api/v1/sales-channels", json={"party": DISTRIBUTOR, "region": "CN"}, headers=admin
                       ).json() == {"brand": "acme", "party": DISTRIBUTOR, "region": "CN"}
    assert client.post("/api/v1/campaigns", json={"name": "W", "offer": "gift"}, headers=admin).status_code == 201

    staff = client.get(path, headers={"Accept": "application/json", **partner, "X-Region": "CN-31"})
    assert staff.json()["verdict"] == "genuine" and staff.json()["coupon"] is None
    first = client.get(path, headers={"Accept": "application/json", "X-Region": "CN-31"})
    body = first.json()
    assert (body["verdict"], body["product"], body["previous_consumer_scans"]) == (
        "genuine", "Longjing Green Tea 250 g", 0)
    assert len(body["coupon"]) == 10 and body["campaign_offer"] == "gift"
    located = client.get(path + "&lat=48.8566&lon=2.3522", headers={"Accept": "application/json"})
    assert located.json()["verdict"] == "possible_copy"  # Shanghai, then Paris within seconds
    assert located.json()["flags"][0]["rule"] == "impossible_travel"
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    with runtime.db.reading() as session:
        rows = [(v.audit_group, v.region, v.latitude) for v in session.scalars(select(Verification).order_by(Verification.id))]
    assert rows[:3] == [("retail_staff", "CN-31", None), ("consumer", "CN-31", None), ("consumer", None, 48.9)]

    alerts = client.get("/api/v1/alerts", headers=viewer).json()
    assert [a["kind"] for a in alerts] == ["copy"]
    alert_id = alerts[0]["id"]
    assert client.post(f"/api/v1/alerts/{alert_id}/acknowledge", headers=viewer).status_code == 403
    assert client.post(f"/api/v1/alerts/{alert_id}/acknowledge", headers=admin).json()["status"] == "acknowledged"
    assert client.post(f"/api/v1/alerts/{alert_id}/close", headers=admin).json()["status"] == "closed"
    assert client.post(f"/api/v1/alerts/{alert_id}/close", headers=admin).status_code == 409
    hook = client.post("/api/v1/webhooks", json={"url": "https://brand.example/hook", "kinds": ["copy"]}, headers=admin)
    assert hook.status_code == 201 and len(hook.json()["secret"]) >= 32
    assert client.post("/api/v1/webhooks", json={"url": "ftp://x"}, headers=admin).status_code == 400
