"""A station's configuration file (TOML or JSON), checked when it is loaded.

::

    name = "dock-3"
    read_point = "urn:epc:id:sgln:0614141.00777.0"
    biz_location = "urn:epc:id:sgln:0614141.00888.0"
    biz_step = "shipping"            # CBV 2.0 word; "packing" by default in aggregation mode
    disposition = "in_transit"
    action = "OBSERVE"               # ADD when commissioning; ADD by default in aggregation mode
    mode = "object"                  # or "aggregation" (packing station)
    server_url = "https://trace.example.com"
    api_key_env = "TRACEMARK_API_KEY"     # the key itself never sits in the file
    buffer_path = "dock-3.sqlite3"        # relative to this file
    time_zone_offset = "+08:00"
    close_command = "CLOSE"               # aggregation mode

    [batching]
    max_reads = 1                    # one ObjectEvent per read…
    max_seconds = 2.0                # …or per batch closed after this long

Unknown keys are refused (a typo must not silently fall back to a default), and the
station's event template is validated against EPCIS 2.0 and the CBV by building a probe
event: a wrong bizStep fails at start-up, not at the server.

References: TOML 1.0; EPCIS 2.0 / CBV 2.0 (readPoint, bizLocation, bizStep, disposition).
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from readers.batching import Batching
from readers.events import EventTemplate, object_event
from readers.scan import Scan, SourceKind
from trace.errors import ConfigurationError, EpcisValidationError

__all__ = ["StationConfig", "load_station_config"]

Mode = Literal["object", "aggregation"]
_PROBE = Scan("urn:epc:id:sgtin:0614141.107346.2017", "probe", SourceKind.KEYBOARD,
              datetime(2020, 1, 1, tzinfo=timezone.utc))


@dataclass(frozen=True, slots=True)
class StationConfig:
    """Where a station stands, what its reads mean, and where its events go."""

    name: str
    read_point: str
    biz_step: str
    server_url: str
    buffer_path: Path
    action: str = "OBSERVE"
    disposition: str | None = None
    biz_location: str | None = None
    mode: Mode = "object"
    api_key_env: str = "TRACEMARK_API_KEY"
    time_zone_offset: str = "+00:00"
    batching: Batching = field(default_factory=Batching)
    close_command: str = "CLOSE"

    @property
    def template(self) -> EventTemplate:
        """What every event of this station says about where and why."""
        return EventTemplate(self.read_point, self.biz_step, self.action, self.disposition,
                             self.biz_location, self.time_zone_offset)

    @property
    def commands(self) -> frozenset[str]:
        """Texts that are commands, not scans, at this station."""
        return frozenset({self.close_command}) if self.mode == "aggregation" else frozenset()

    def api_key(self, environ: Mapping[str, str] = os.environ) -> str:
        """The partner API key from the environment; ``ConfigurationError`` when unset."""
        key = environ.get(self.api_key_env, "").strip()
        if not key:
            raise ConfigurationError(
                f"station {self.name!r}: environment variable {self.api_key_env} is not set:"
                " expected the partner API key the server gave this station"
            )
        return key


def load_station_config(path: Path) -> StationConfig:
    """Read and check a station file (``.toml`` or ``.json``); ``ConfigurationError`` if wrong."""
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except OSError as exc:
        raise ConfigurationError(f"cannot read station file {str(path)!r}: {exc.strerror or exc}") from exc
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"invalid station file {str(path)!r}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigurationError(f"invalid station file {str(path)!r}: expected a table of settings")
    return _config(data, path)


def _config(data: dict[str, Any], path: Path) -> StationConfig:
    where = f"station file {str(path)!r}"
    known = {f.name for f in fields(StationConfig)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigurationError(f"invalid {where}: unknown setting(s) {', '.join(unknown)}; expected"
                                 f" some of {', '.join(sorted(known))}")
    missing = sorted({"name", "read_point", "server_url", "buffer_path"} - set(data))
    if missing:
        raise ConfigurationError(f"invalid {where}: missing {', '.join(missing)}")
    values = dict(data)
    mode = values.setdefault("mode", "object")
    if mode not in ("object", "aggregation"):
        raise ConfigurationError(f"invalid {where}: mode must be 'object' or 'aggregation', found {mode!r}")
    if mode == "aggregation":
        values.setdefault("biz_step", "packing")
        values.setdefault("action", "ADD")
    if "biz_step" not in values:
        raise ConfigurationError(f"invalid {where}: missing biz_step")
    for name in ("name", "read_point", "biz_step", "server_url", "buffer_path", "action",
                 "disposition", "biz_location", "api_key_env", "time_zone_offset", "close_command"):
        if name in values and not isinstance(values[name], str):
            raise ConfigurationError(f"invalid {where}: {name} must be text, found {values[name]!r}")
    if not str(values["server_url"]).startswith(("https://", "http://")):
        raise ConfigurationError(f"invalid {where}: server_url must be http(s)://…, found {values['server_url']!r}")
    buffer_path = Path(values["buffer_path"]).expanduser()
    values["buffer_path"] = buffer_path if buffer_path.is_absolute() else path.parent / buffer_path
    try:
        values["batching"] = Batching(**values.get("batching", {}))
        config = StationConfig(**values)
        object_event([_PROBE], config.template)  # the template must make valid EPCIS
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(f"invalid {where}: {exc}") from exc
    except EpcisValidationError as exc:
        problems = "; ".join(str(problem) for problem in exc.errors)
        raise ConfigurationError(f"invalid {where}: its events would not be valid EPCIS: {problems}") from exc
    return config
