"""Station files: loaded with their defaults, refused with a message when wrong."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from station_samples import BIZ_LOCATION, READ_POINT, station, station_file

from readers.batching import Batching
from readers.scan import Scan
from readers.sources import open_source
from readers.station import StationConfig, load_station_config
from trace.errors import ConfigurationError, InvalidInput

URL = "http://127.0.0.1:9"


def test_a_toml_file_with_defaults(tmp_path: Path) -> None:
    config = station(tmp_path, URL, batching={"max_reads": 10, "max_seconds": 2.5})
    assert config == StationConfig(
        name="dock-3", read_point=READ_POINT, biz_step="shipping", server_url=URL,
        buffer_path=tmp_path / "buffer.sqlite3", action="OBSERVE", disposition="in_transit",
        biz_location=BIZ_LOCATION, mode="object", api_key_env="TRACEMARK_TEST_STATION_KEY",
        time_zone_offset="+08:00", batching=Batching(10, 2.5), close_command="CLOSE")
    assert config.commands == frozenset()


def test_a_json_file(tmp_path: Path) -> None:
    path = tmp_path / "packing.json"
    path.write_text(json.dumps({"name": "pack-1", "read_point": READ_POINT, "mode": "aggregation",
                                "server_url": URL, "buffer_path": "/tmp/pack-1.sqlite3",
                                "close_command": "]C0CLOSE"}))
    config = load_station_config(path)
    assert (config.biz_step, config.action, config.buffer_path) == ("packing", "ADD", Path("/tmp/pack-1.sqlite3"))
    assert config.commands == frozenset({"]C0CLOSE"})


@pytest.mark.parametrize(("name", "settings", "message"), [
    ("typo-in-a-key", {"bizstep": "shipping"}, "unknown setting(s) bizstep; expected some of"),
    ("missing-read-point", {"read_point": None}, "missing read_point"),
    ("unknown-biz-step", {"biz_step": "shiping"},
     "its events would not be valid EPCIS: /bizStep: bizStep 'shiping' is not a CBV 2.0 business step:"
     " expected a CBV word (did you mean 'shipping'?)"),
    ("read-point-not-a-uri", {"read_point": "dock 3"}, "its events would not be valid EPCIS: /readPoint/id"),
    ("unknown-action", {"action": "MOVE"}, "action must be one of ['ADD', 'DELETE', 'OBSERVE'], got 'MOVE'"),
    ("bad-offset", {"time_zone_offset": "UTC+8"}, "time zone offset must look like +08:00, got 'UTC+8'"),
    ("unknown-mode", {"mode": "portal"}, "mode must be 'object' or 'aggregation', found 'portal'"),
    ("zero-batch", {"batching": {"max_reads": 0}}, "max_reads must be a positive integer, got 0"),
    ("name-not-text", {"name": 3}, "name must be text, found 3"),
])
def test_a_wrong_file_is_a_configuration_error(tmp_path: Path, name: str, settings: dict, message: str) -> None:
    path = station_file(tmp_path, URL, **settings)
    with pytest.raises(ConfigurationError) as caught:
        load_station_config(path)
    assert str(caught.value).startswith(f"invalid station file {str(path)!r}: "), name
    assert message in str(caught.value), str(caught.value)


def test_a_server_url_must_be_http(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="server_url must be http\\(s\\)://…, found 'trace.example.com'"):
        load_station_config(station_file(tmp_path, "trace.example.com"))


def test_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="cannot read station file"):
        load_station_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("name = ")
    with pytest.raises(ConfigurationError, match="invalid station file"):
        load_station_config(bad)


def test_sources_by_name() -> None:
    [scan] = list(open_source("stdin", stdin=io.StringIO("(01)09520123456788(21)12345\n")))
    assert isinstance(scan, Scan)
    for spec in ("camera", "llrp:", "images:", "serial:", "llrp:reader:port"):
        with pytest.raises(InvalidInput):
            open_source(spec)
