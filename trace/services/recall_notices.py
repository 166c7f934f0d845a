"""Telling partners about a recall: one notice per location, with the identifiers there.

Notices go through :func:`trace.services.webhooks.queue` (kind ``recall.started``, for
every active webhook of the brand subscribed to it or to ``*``) in the recall's own
transaction; the webhook dispatcher signs and delivers them. ``RecallNotifier`` is the
seam for other channels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from trace.db.base import utc_now
from trace.services import webhooks

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
        now = utc_now()
        return sum(webhooks.queue(session, brand_id, kind=KIND, payload={"kind": KIND, **asdict(notice)}, now=now)
                   for notice in notices)


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
