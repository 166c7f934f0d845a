"""Readers: adapters from scanners, cameras, NFC and UHF RFID readers to EPCIS events.

- :mod:`readers.scan`: the :class:`Scan` value and :func:`parse_scanned_text`;
- sources, each yielding scans: :mod:`readers.text_lines` (keyboard wedge, serial),
  :mod:`readers.images` (zxing-cpp), :mod:`readers.nfc` (nfcpy), :mod:`readers.llrp`
  (our LLRP client); :func:`readers.sources.open_source` opens one by name;
- stations: :mod:`readers.events` (EPCIS JSON-LD), :mod:`readers.batching` (ObjectEvents),
  :mod:`readers.aggregation` (packing), :mod:`readers.station_config`,
  :mod:`readers.station` (:func:`run_station`);
- delivery: :mod:`readers.buffer` (SQLite offline buffer), :mod:`readers.forwarder`.

Readers import nothing above :mod:`trace.domain` (DESIGN.md section 3). Device libraries
(nfcpy, zxing-cpp, pyserial) are imported only by the sources that need them.
"""

from __future__ import annotations

from readers.errors import ReaderError
from readers.scan import Command, Reading, Scan, SourceKind, parse_scanned_text
from readers.station import StationConfig, StationSummary, flush_station, load_station_config, run_station

__all__ = [
    "Command",
    "ReaderError",
    "Reading",
    "Scan",
    "SourceKind",
    "StationConfig",
    "StationSummary",
    "flush_station",
    "load_station_config",
    "parse_scanned_text",
    "run_station",
]
