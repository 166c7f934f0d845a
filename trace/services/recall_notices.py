"""Telling partners about a recall: one notice per location, with the identifiers there.

``trace.services.webhooks`` (signing and delivery) is being written beside this; until
it lands, notices are queued as ``webhook_delivery`` rows (kind ``recall.started``) for
every active webhook of the brand that subscribes to ``*`` or ``recall``, in the recall's
own transaction — the delivery worker sends them. ``RecallNotifier`` is the seam: swap in
the webhook service's queue when it exists.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from trace.db.consumer import Webhook, WebhookDelivery

KIND = "recall.started"
IDENTIFIERS_PER_NOTICE = 5000  # keeps one payload well under a few hundred kB


@dataclass(frozen=True, slots=True)
class RecallNotice:
    recall_reference: str
    reason: str
    location: str | None
    custodian: str | None
    identifiers: tuple[str, ...]


class RecallNotifier(Protocol):
    def notify(self, session: Session, brand_id: int, notices: Sequence[RecallNotice]) -> int:
        """Queue ``notices`` in the caller's transaction; returns how many deliveries were queued."""


class WebhookQueue:
    """Queue each notice for every subscribed, active webhook of the brand."""

    def notify(self, session: Session, brand_id: int, notices: Sequence[RecallNotice]) -> int:
        hooks = [hook for hook in session.scalars(select(Webhook).where(Webhook.brand_id == brand_id,
                                                                        Webhook.active.is_(True)))
                 if hook.kinds.strip() == "*" or "recall" in {k.strip().split(".")[0] for k in hook.kinds.split(",")}]
        rows = [WebhookDelivery(webhook_id=hook.id, kind=KIND, payload=json.dumps({"kind": KIND, **asdict(notice)}))
                for hook in hooks for notice in notices]
        session.add_all(rows)
        return len(rows)


def notices_by_location(reference: str, reason: str,
                        units: Sequence[tuple[str, str | None, str | None]]) -> list[RecallNotice]:
    """Group (uri, location, custodian) triples into notices, split to bounded sizes."""
    groups: dict[tuple[str | None, str | None], list[str]] = {}
    for uri, location, custodian in units:
        groups.setdefault((location, custodian), []).append(uri)
    notices = []
    for (location, custodian), uris in sorted(groups.items(), key=lambda g: (g[0][0] or "", g[0][1] or "")):
        for start in range(0, len(uris), IDENTIFIERS_PER_NOTICE):
            notices.append(RecallNotice(reference, reason, location, custodian,
                                        tuple(uris[start:start + IDENTIFIERS_PER_NOTICE])))
    return notices
