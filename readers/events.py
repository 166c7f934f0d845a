"""EPCIS 2.0 events built from scans: ObjectEvents and AggregationEvents in JSON-LD.

Every event is built as the JSON-LD object the capture interface receives, then run
through :func:`trace.domain.epcis.parse_event` — the same validation the server applies —
so a station never buffers an event the server would refuse for its shape, and the
result is an :class:`~trace.domain.epcis.EpcisEvent` carrying its CBV 2.0 Event Hash ID.
That hash is also written as the event's ``eventID``: CBV 2.0 lets the hash serve as the
ID, the hash leaves ``eventID`` out, and a retried post is recognisably the same event.

``eventTime`` is written in UTC with millisecond precision (the precision the Event Hash
ID keeps); ``eventTimeZoneOffset`` is the station's local offset.

References: EPCIS 2.0 (GS1, 2022), section 7.4 (ObjectEvent, AggregationEvent) and the
JSON-LD binding; CBV 2.0 section 8.9 (Event Hash ID).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from readers.scan import Scan
from trace.domain.epcis import EpcisEvent, event_hash_id, parse_event

__all__ = ["ACTIONS", "EPCIS_CONTEXT", "EventTemplate", "aggregation_event", "epcis_time", "object_event"]

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
ACTIONS = frozenset({"ADD", "OBSERVE", "DELETE"})
_OFFSET = re.compile(r"[+-](?:0\d|1[0-4]):[0-5]\d")


@dataclass(frozen=True, slots=True)
class EventTemplate:
    """What a station says about every event it records (the "where" and "why").

    ``biz_step`` and ``disposition`` are bare CBV 2.0 words (``shipping``,
    ``in_transit``) or extension URIs; ``read_point`` and ``biz_location`` are SGLN URIs
    or Digital Links with AI (414).
    """

    read_point: str
    biz_step: str
    action: str = "OBSERVE"
    disposition: str | None = None
    biz_location: str | None = None
    time_zone_offset: str = "+00:00"

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"action must be one of {sorted(ACTIONS)}, got {self.action!r}")
        if not _OFFSET.fullmatch(self.time_zone_offset):
            raise ValueError(f"time zone offset must look like +08:00, got {self.time_zone_offset!r}")


def epcis_time(moment: datetime) -> str:
    """``2013-11-27T20:44:01.558Z``: UTC, milliseconds (truncated), ``Z``."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def object_event(scans: Sequence[Scan], template: EventTemplate) -> EpcisEvent:
    """One ObjectEvent naming every scanned identifier once (first read first).

    ``eventTime`` is the time of the earliest read. Raises ``EpcisValidationError`` if
    the result is not a valid EPCIS 2.0 event (a template the CBV does not know).
    """
    if not scans:
        raise ValueError("an ObjectEvent needs at least one scan")
    identifiers = list(dict.fromkeys(scan.identifier for scan in scans))
    fields: dict[str, Any] = {"epcList": identifiers, "action": template.action}
    return _validated("ObjectEvent", min(scan.time for scan in scans), fields, template)


def aggregation_event(
    parent: Scan, children: Sequence[Scan], *, time: datetime, template: EventTemplate
) -> EpcisEvent:
    """One AggregationEvent: ``children`` packed into ``parent`` (an SSCC), at ``time``.

    The action is the template's (ADD when packing, DELETE when unpacking).
    """
    if not children:
        raise ValueError("an AggregationEvent needs at least one child")
    fields: dict[str, Any] = {
        "parentID": parent.identifier,
        "childEPCs": list(dict.fromkeys(child.identifier for child in children)),
        "action": template.action,
    }
    return _validated("AggregationEvent", time, fields, template)


def _validated(kind: str, time: datetime, fields: dict[str, Any], template: EventTemplate) -> EpcisEvent:
    body: dict[str, Any] = {
        "@context": [EPCIS_CONTEXT],
        "type": kind,
        "eventTime": epcis_time(time),
        "eventTimeZoneOffset": template.time_zone_offset,
        **fields,
        "bizStep": template.biz_step,
    }
    if template.disposition is not None:
        body["disposition"] = template.disposition
    body["readPoint"] = {"id": template.read_point}
    if template.biz_location is not None:
        body["bizLocation"] = {"id": template.biz_location}
    # The hash leaves eventID out, so writing the hash into it keeps the hash unchanged.
    return parse_event({**body, "eventID": event_hash_id(body)})
