"""EPCIS 2.0 JSON-LD events for tests, built the way a partner system sends them."""

from __future__ import annotations

from typing import Any

CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
FACTORY = "urn:epc:id:sgln:9506000.13435.0"
DC = "urn:epc:id:sgln:9506000.13435.7"
SHOP = "urn:epc:id:sgln:9506000.13435.9"


def item(serial: int) -> str:
    return f"https://id.gs1.org/01/09506000134352/21/{serial}"


def item_urn(serial: int) -> str:
    return f"urn:epc:id:sgtin:9506000.013435.{serial}"


def case(n: int) -> str:
    return f"urn:epc:id:sscc:9506000.{n:010d}"


PALLET = "urn:epc:id:sscc:9506000.9999999999"


def object_event(time: str, epcs: list[str], *, action: str = "OBSERVE", step: str, disposition: str,
                 location: str | None = None, read_point: str | None = None, **extra: Any) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "ObjectEvent", "eventTime": time, "eventTimeZoneOffset": "+08:00",
                             "epcList": epcs, "action": action, "bizStep": step, "disposition": disposition}
    if read_point or location:
        event["readPoint"] = {"id": read_point or location}
    if location:
        event["bizLocation"] = {"id": location}
    event.update(extra)
    return event


def aggregation(time: str, parent: str, children: list[str], *, action: str = "ADD", step: str = "packing",
                location: str = FACTORY) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "AggregationEvent", "eventTime": time, "eventTimeZoneOffset": "+08:00",
                             "parentID": parent, "action": action, "bizStep": step,
                             "disposition": "in_progress", "readPoint": {"id": location},
                             "bizLocation": {"id": location}}
    if children:
        event["childEPCs"] = children
    return event


def document(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {"@context": CONTEXT, "type": "EPCISDocument", "schemaVersion": "2.0",
            "creationDate": "2026-11-25T00:00:00Z", "epcisBody": {"eventList": events}}
