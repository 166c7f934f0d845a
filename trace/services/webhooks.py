"""Brand webhooks: registration, the delivery queue, signed deliveries with retries.

A delivery is a JSON body POSTed to the brand's URL with
``X-Tracemark-Timestamp: <unix seconds>`` and
``X-Tracemark-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>`` — the
timestamp is signed too so a captured delivery cannot be replayed later as a fresh one.
Webhook secrets are stored encrypted (trace.crypto.secretbox: Fernet, key derived from the
server secret with HKDF-SHA256), because the server must sign with them again and again. A failed delivery is
retried with exponential backoff (30 s, 1 min, 2 min, … capped at 1 h) up to
``MAX_ATTEMPTS``, then marked failed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from trace.crypto.secretbox import SecretBox
from trace.db.base import utc_now
from trace.db.consumer import Webhook, WebhookDelivery
from trace.db.database import Database
from trace.errors import InvalidInput
from trace.services.lookups import brand_by_slug
from trace.services.periodic import Periodic


MAX_ATTEMPTS = 8
BASE_DELAY_SECONDS = 30.0
MAX_DELAY_SECONDS = 3600.0
TIMEOUT_SECONDS = 5.0
SIGNATURE_HEADER = "X-Tracemark-Signature"
TIMESTAMP_HEADER = "X-Tracemark-Timestamp"


@dataclass(frozen=True, slots=True)
class RegisteredWebhook:
    id: int
    brand: str
    url: str
    kinds: tuple[str, ...]
    secret: str
    """Shown once, at registration; the receiver checks signatures with it."""


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    delivered: int
    retried: int
    failed: int


def _box(server_secret: bytes) -> SecretBox:
    return SecretBox(server_secret, "webhooks")


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    """The signature header value for ``body`` sent at ``timestamp``."""
    return "sha256=" + hmac.new(secret, str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def register(db: Database, server_secret: bytes, *, brand: str, url: str, kinds: tuple[str, ...] = ("*",),
             secret: str | None = None) -> RegisteredWebhook:
    """Register a webhook; the secret (generated unless given) is stored encrypted."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500:
        raise InvalidInput(f"invalid webhook URL {url[:100]!r}: expected an absolute http(s) URL of at most 500 characters")
    if not kinds or any(not k or "," in k or len(k) > 30 for k in kinds):
        raise InvalidInput(f"invalid webhook kinds {kinds!r}: expected alert kinds such as 'copy' or '*'")
    secret = secret or secrets.token_urlsafe(32)
    with db.transaction() as session:
        brand_row = brand_by_slug(session, brand)
        row = Webhook(brand_id=brand_row.id, url=url, secret_encrypted=_box(server_secret).seal(secret.encode()),
                      kinds=",".join(kinds), active=True)
        session.add(row)
        session.flush()
        return RegisteredWebhook(id=row.id, brand=brand_row.slug, url=url, kinds=tuple(kinds), secret=secret)


def queue(session: Session, brand_id: int, *, kind: str, payload: dict[str, Any], now: datetime) -> int:
    """Queue ``payload`` for every active webhook of the brand that wants ``kind``; returns how many."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=str)
    count = 0
    for hook in session.scalars(select(Webhook).where(Webhook.brand_id == brand_id, Webhook.active.is_(True))):
        wanted = hook.kinds.split(",")
        if "*" in wanted or kind in wanted:
            session.add(WebhookDelivery(webhook_id=hook.id, kind=kind, payload=body, attempts=0, status="pending",
                                        next_attempt_at=now, created_at=now))
            count += 1
    return count


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after ``attempts`` failed ones: 30 s doubling, at most 1 h."""
    return timedelta(seconds=min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** max(0, attempts - 1)))


Sender = Callable[[str, bytes, dict[str, str]], None]


def http_post(url: str, body: bytes, headers: dict[str, str]) -> None:
    """POST with a short timeout; any non-2xx answer or network error raises."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (http(s) checked at registration)
        if not 200 <= response.status < 300:
            raise OSError(f"HTTP {response.status}")


def deliver_due(db: Database, server_secret: bytes, *, now: datetime | None = None, send: Sender = http_post,
                limit: int = 100) -> DeliveryReport:
    """Send every pending delivery that is due; failures are rescheduled or, at the end, failed."""
    now = now or utc_now()
    with db.reading() as session:
        due = session.execute(
            select(WebhookDelivery.id, WebhookDelivery.payload, WebhookDelivery.attempts, Webhook.url,
                   Webhook.secret_encrypted)
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)).all()
    box = _box(server_secret)
    delivered = retried = failed = 0
    for delivery_id, payload, attempts, url, encrypted in due:
        body = payload.encode("utf-8")
        timestamp = int(now.timestamp())
        headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: str(timestamp),
                   SIGNATURE_HEADER: sign(box.open(bytes(encrypted)), timestamp, body),
                   "User-Agent": "Tracemark-Webhooks/1"}
        error: str | None = None
        try:
            send(url, body, headers)
        except (OSError, urllib.error.URLError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        with db.transaction() as session:
            row = session.get(WebhookDelivery, delivery_id)
            if row is None or row.status != "pending":
                continue  # another worker took it
            row.attempts = attempts + 1
            if error is None:
                row.status, row.last_error = "delivered", None
                delivered += 1
            elif row.attempts >= MAX_ATTEMPTS:
                row.status, row.last_error = "failed", error
                failed += 1
            else:
                row.next_attempt_at, row.last_error = now + backoff(row.attempts), error
                retried += 1
    return DeliveryReport(delivered=delivered, retried=retried, failed=failed)


def webhook_dispatcher(db: Database, server_secret: bytes, *, interval: float) -> Periodic:
    """:func:`deliver_due` every ``interval`` seconds in a daemon thread (started by the API)."""
    return Periodic("webhook-dispatcher", lambda: deliver_due(db, server_secret), interval=interval)
