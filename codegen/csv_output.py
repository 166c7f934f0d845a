"""Minted codes as CSV, one row per code, for print shops and ERP imports.

References: RFC 4180 (rows end in CRLF; fields quoted only when needed).
"""

from __future__ import annotations

import csv
from typing import TextIO

from codegen.label import LabelCode

HEADER = ("serial", "gtin", "lot", "expires", "url")


class CsvWriter:
    """Writes the header at once, then one row per :meth:`write`, to a stream you own.

    ``expires`` is an ISO 8601 date (``2027-03-01``) or empty.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._rows = csv.writer(stream, lineterminator="\r\n")
        self._rows.writerow(HEADER)

    def write(self, code: LabelCode) -> None:
        """Append the row for ``code``."""
        expires = code.expires.isoformat() if code.expires is not None else ""
        self._rows.writerow((code.serial, code.gtin, code.lot, expires, code.url))

    def close(self) -> None:
        """Flush the stream (which stays open: it belongs to the caller)."""
        self._stream.flush()
