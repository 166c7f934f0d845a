"""Raw TCP printing (port 9100) to a networked label printer: one connection per job.

A job is one batch of ZPL formats sent over one connection and closed, so the printer
sees it whole and another line PC cannot interleave labels into it. Connection refused or
reset (a printer rebooting, another job in progress) is retried with exponential backoff;
the whole job is sent again, which is safe only because nothing was acknowledged: a reset
in the middle of a job may leave some labels printed, and the report says how many
attempts were made so the operator can check the roll.

References: Zebra "ZPL II Programming Guide", raw TCP port 9100 ("Printing via port 9100").
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from trace.errors import InvalidInput, TraceError

DEFAULT_PORT = 9100


class PrinterUnavailable(TraceError):
    """The printer refused or dropped every attempt to send a job."""

    code = "printer_unavailable"


@dataclass(frozen=True, slots=True)
class PrinterAddress:
    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> PrinterAddress:
        """Parse ``tcp://HOST[:PORT]`` (port 9100 by default).

        >>> PrinterAddress.parse("tcp://10.0.0.7")
        PrinterAddress(host='10.0.0.7', port=9100)
        """
        parts = urlsplit(text)
        try:
            port = parts.port or DEFAULT_PORT
        except ValueError:
            port = -1
        if parts.scheme != "tcp" or not parts.hostname or not 0 < port < 65536 or parts.path not in ("", "/"):
            raise InvalidInput(f"invalid printer {text!r}: expected tcp://HOST[:PORT], e.g. tcp://10.0.0.7:9100")
        return cls(parts.hostname, port)

    def __str__(self) -> str:
        return f"tcp://{self.host}:{self.port}"


@dataclass(frozen=True, slots=True)
class PrintReport:
    """What one job sent: to which printer, how many labels and bytes, after how many attempts."""

    printer: str
    labels: int
    bytes: int
    attempts: int


def count_labels(zpl: bytes) -> int:
    """Labels in a ZPL job: one per ``^XZ`` (end of format)."""
    return zpl.upper().count(b"^XZ")


def send_job(printer: str | PrinterAddress, zpl: bytes, *, attempts: int = 5, backoff: float = 0.2,
             timeout: float = 10.0, sleep: Callable[[float], None] = time.sleep) -> PrintReport:
    """Send ``zpl`` as one job over one connection; retry refused/reset connections.

    Waits ``backoff``, 2 × ``backoff``, 4 × ``backoff`` … between attempts. Raises
    :class:`PrinterUnavailable` naming the printer and the last error after ``attempts``.
    """
    address = printer if isinstance(printer, PrinterAddress) else PrinterAddress.parse(printer)
    if attempts < 1:
        raise ValueError(f"attempts must be >= 1, got {attempts}")
    last: OSError | None = None
    for attempt in range(1, attempts + 1):
        try:
            with socket.create_connection((address.host, address.port), timeout=timeout) as connection:
                connection.sendall(zpl)
                connection.shutdown(socket.SHUT_WR)  # the printer reads to end of stream
            return PrintReport(printer=str(address), labels=count_labels(zpl), bytes=len(zpl), attempts=attempt)
        except (ConnectionRefusedError, ConnectionResetError, BrokenPipeError, TimeoutError) as exc:
            last = exc
            if attempt < attempts:
                sleep(backoff * 2 ** (attempt - 1))
    raise PrinterUnavailable(f"cannot print to {address}: expected a printer accepting the job, found"
                             f" {type(last).__name__} after {attempts} attempts")
