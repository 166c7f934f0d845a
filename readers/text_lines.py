"""Scans typed as lines: keyboard-wedge scanners on stdin, serial (RS-232 / USB-CDC) scanners.

A keyboard-wedge scanner "types" each barcode followed by Enter, so stdin (or any text
stream) carries one scan per line. A serial scanner sends the same bytes over a serial
port, usually ending each scan with CR, LF or CR LF. Either way every non-empty line is
recognised by :func:`readers.scan.parse_scanned_text`, timed when it arrives, and yielded;
a line that is none of the accepted forms goes to ``on_invalid`` and reading goes on
(one mistyped label must not stop a packing line). Lines equal to one of ``commands``
(``CLOSE``) are yielded as :class:`~readers.scan.Command` values.

Serial ports are opened with pyserial when it is installed (an optional dependency:
``pip install pyserial``); any pyserial URL works, including ``loop://`` and
``socket://host:port``.

References: ISO/IEC 15424 (symbology identifiers a scanner may prefix); GS1 General
Specifications 5.10 (GS as the FNC1 separator scanners transmit).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from datetime import datetime
from typing import Any

from readers.errors import ReaderError
from readers.scan import OnInvalid, Reading, SourceKind, reading_from_text, utc_now, warn_invalid
from trace.errors import InvalidInput

__all__ = ["port_lines", "scans_from_lines", "serial_lines"]

_LINE_ENDS = " \t\r\n"


def scans_from_lines(
    lines: Iterable[str],
    *,
    source: SourceKind = SourceKind.KEYBOARD,
    commands: Collection[str] = (),
    clock: Callable[[], datetime] = utc_now,
    on_invalid: OnInvalid = warn_invalid,
) -> Iterator[Reading]:
    """A reading per non-empty line of ``lines`` (a text stream such as ``sys.stdin``)."""
    for line in lines:
        text = line.strip(_LINE_ENDS)
        if not text:
            continue
        try:
            yield reading_from_text(text, source=source, time=clock(), commands=commands)
        except InvalidInput as exc:
            on_invalid(text, exc)


def serial_lines(
    url: str,
    *,
    baudrate: int = 9600,
    encoding: str = "utf-8",
    idle_seconds: float | None = None,
    stop: threading.Event | None = None,
) -> Iterator[str]:
    """Lines from the serial port ``url`` (``/dev/ttyACM0``, ``COM3``, ``loop://``…).

    Raises ``ReaderError`` when pyserial is missing or the port cannot be opened.
    """
    try:
        import serial  # optional dependency
    except ImportError as exc:
        raise ReaderError(
            f"cannot open serial scanner {url!r}: the optional pyserial package is not"
            " installed (pip install pyserial)"
        ) from exc
    try:
        port = serial.serial_for_url(url, baudrate=baudrate, timeout=0.2)
    except (serial.SerialException, ValueError) as exc:
        raise ReaderError(f"cannot open serial scanner {url!r}: {exc}") from exc
    with port:
        yield from port_lines(port, encoding=encoding, idle_seconds=idle_seconds, stop=stop)


def port_lines(
    port: Any,
    *,
    encoding: str = "utf-8",
    idle_seconds: float | None = None,
    stop: threading.Event | None = None,
) -> Iterator[str]:
    """Lines read from an open pyserial port (anything with ``read(size)`` and a timeout).

    CR, LF and CR LF all end a line. With ``idle_seconds``, reading ends after that long
    without data (the last unterminated line is yielded); otherwise only ``stop`` ends it.
    """
    pending = bytearray()
    idle = 0.0
    step = port.timeout or 0.2
    while not (stop is not None and stop.is_set()):
        chunk = port.read(max(1, getattr(port, "in_waiting", 0)))
        if not chunk:
            idle += step
            if idle_seconds is not None and idle >= idle_seconds:
                break
            continue
        idle = 0.0
        pending += chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        *complete, rest = pending.split(b"\n")
        pending = bytearray(rest)
        for line in complete:
            yield line.decode(encoding, "replace")
    if pending:
        yield pending.decode(encoding, "replace")
