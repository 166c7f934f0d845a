"""Shared samples for the reader tests: station files, clocks, the events they must produce."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from epcis_receiver import API_KEY, EpcisReceiver

from readers.forwarder import Backoff, EpcisClient
from readers.station import StationConfig, load_station_config
from trace.domain.epcis import event_hash_id

READ_POINT = "urn:epc:id:sgln:0614141.00777.0"
BIZ_LOCATION = "urn:epc:id:sgln:0614141.00888.0"
CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
QUICK = Backoff(initial=0.01, maximum=0.05, jitter=False)
# One item in its different spellings.
ITEM_DL = "https://id.gs1.org/01/09520123456788/21/12345"
ITEM_2_DL = "https://id.gs1.org/01/09520123456788/21/12346"
CASE_DL = "https://id.gs1.org/00/106141412345678908"


def station_file(tmp_path: Path, server_url: str, **settings: Any) -> Path:
    """A TOML station file (shipping dock by default) with ``settings`` on top."""
    values: dict[str, Any] = {
        "name": "dock-3",
        "read_point": READ_POINT,
        "biz_location": BIZ_LOCATION,
        "biz_step": "shipping",
        "disposition": "in_transit",
        "server_url": server_url,
        "api_key_env": "TRACEMARK_TEST_STATION_KEY",
        "buffer_path": "buffer.sqlite3",
        "time_zone_offset": "+08:00",
    }
    batching = settings.pop("batching", None)
    values.update(settings)
    lines = [f"{key} = {_toml(value)}" for key, value in values.items() if value is not None]
    if batching:
        lines.append("[batching]")
        lines += [f"{key} = {_toml(value)}" for key, value in batching.items()]
    path = tmp_path / "station.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def station(tmp_path: Path, server_url: str, **settings: Any) -> StationConfig:
    return load_station_config(station_file(tmp_path, server_url, **settings))


def client_for(receiver: EpcisReceiver) -> EpcisClient:
    return EpcisClient(receiver.url, API_KEY, timeout=5)


def clock(*times: str) -> Callable[[], datetime]:
    """A clock answering the given ISO times in turn (the last one forever)."""
    moments = [datetime.fromisoformat(t).astimezone(timezone.utc) for t in times]
    iterator = itertools.chain(moments, itertools.repeat(moments[-1]))
    return lambda: next(iterator)


def expected_event(
    kind: str = "ObjectEvent",
    *,
    time: str,
    epcs: Iterable[str] = (),
    parent: str | None = None,
    action: str = "OBSERVE",
    biz_step: str = "shipping",
    disposition: str | None = "in_transit",
    offset: str = "+08:00",
) -> dict[str, Any]:
    """The exact JSON-LD a station posts, ``eventID`` being the CBV 2.0 Event Hash ID."""
    event: dict[str, Any] = {"@context": CONTEXT, "type": kind, "eventTime": time,
                             "eventTimeZoneOffset": offset}
    if parent is None:
        event["epcList"] = list(epcs)
    else:
        event["parentID"] = parent
        event["childEPCs"] = list(epcs)
    event["action"] = action
    event["bizStep"] = biz_step
    if disposition is not None:
        event["disposition"] = disposition
    event["readPoint"] = {"id": READ_POINT}
    event["bizLocation"] = {"id": BIZ_LOCATION}
    event["eventID"] = event_hash_id(event)
    return event


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
