"""UHF RFID tags read through an LLRP reader, as scans.

Each tag in each RO_ACCESS_REPORT becomes one :class:`~readers.scan.Scan`: its EPC
decoded (SGTIN, SSCC, SGLN, GRAI, GIAI) to the pure identity URI, the reader's
FirstSeenTimestampUTC as the scan time (the station clock when the reader sends none),
the antenna and peak RSSI kept. A tag whose EPC is not a GS1 EPC (a blank tag's factory
EPC, a non-GS1 scheme) goes to ``on_invalid``.

References: EPCglobal LLRP 1.0.1, section 16.2.7.3 (TagReportData); GS1 EPC Tag Data
Standard 2.x, section 14.4 (decoding).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime

from readers.llrp.client import LlrpClient
from readers.llrp.framing import LLRP_PORT
from readers.scan import OnInvalid, Scan, SourceKind, identifier_from_epc_hex, utc_now, warn_invalid
from trace.errors import InvalidInput

__all__ = ["scans_from_llrp"]


def scans_from_llrp(
    host: str,
    port: int = LLRP_PORT,
    *,
    once: bool = False,
    stop: threading.Event | None = None,
    clock: Callable[[], datetime] = utc_now,
    on_invalid: OnInvalid = warn_invalid,
    timeout: float = 10.0,
) -> Iterator[Scan]:
    """Connect, start an inventory and yield a scan per tag read; ``once``: the first report only.

    Raises ``ReaderError`` when the reader cannot be reached or breaks the protocol.
    """
    with LlrpClient(host, port, timeout=timeout) as reader:
        reader.start_inventory()
        for report in reader.reports(stop=stop):
            for read in report:
                try:
                    identifier = identifier_from_epc_hex(read.epc_hex)
                except InvalidInput as exc:
                    on_invalid(read.epc_hex, exc)
                    continue
                yield Scan(identifier, read.epc_hex, SourceKind.RFID, read.first_seen or clock(),
                           antenna=read.antenna, peak_rssi=read.peak_rssi)
            if once:
                return
