"""Opening a station's source from its command-line name.

====================  ===========================================================
``stdin``             keyboard-wedge scanner (a scan per line on standard input)
``serial:PORT[@BAUD]``  serial scanner via pyserial (``serial:/dev/ttyACM0@9600``)
``images:PATH``       an image file, or a folder (watched for new images unless once)
``nfc:PATH``          NFC reader via nfcpy (``nfc:usb``, ``nfc:tty:USB0:pn532``)
``llrp:HOST[:PORT]``  UHF RFID reader via LLRP (port 5084 by default)
====================  ===========================================================

``once`` means: read what is there and stop — stdin and images until the end of input,
NFC one tap, LLRP one report.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Collection, Iterator
from datetime import datetime
from pathlib import Path
from typing import TextIO

from readers.images import scans_from_images
from readers.scan import OnInvalid, Reading, SourceKind, utc_now, warn_invalid
from readers.text_lines import scans_from_lines, serial_lines
from trace.errors import InvalidInput

__all__ = ["SOURCE_HELP", "open_source"]

SOURCE_HELP = "stdin, serial:PORT[@BAUD], images:PATH, nfc:usb or llrp:HOST[:PORT]"


def open_source(
    spec: str,
    *,
    once: bool = False,
    commands: Collection[str] = (),
    stop: threading.Event | None = None,
    clock: Callable[[], datetime] = utc_now,
    on_invalid: OnInvalid = warn_invalid,
    stdin: TextIO | None = None,
) -> Iterator[Reading]:
    """The readings of the source named ``spec``; ``InvalidInput`` for an unknown name.

    Devices are opened lazily, on the first reading; their errors (``ReaderError``)
    surface then.
    """
    kind, _, rest = spec.partition(":")
    if spec == "stdin":
        return scans_from_lines(stdin if stdin is not None else sys.stdin, commands=commands,
                                clock=clock, on_invalid=on_invalid)
    if kind == "serial" and rest:
        port, _, baud = rest.partition("@")
        lines = serial_lines(port, baudrate=_number(baud or "9600", spec), stop=stop)
        return scans_from_lines(lines, source=SourceKind.SERIAL, commands=commands, clock=clock,
                                on_invalid=on_invalid)
    if kind == "images" and rest:
        return scans_from_images(Path(rest), watch=not once, stop=stop, commands=commands,
                                 on_invalid=on_invalid)
    if kind == "nfc":
        from readers.nfc import scans_from_reader  # nfcpy loads only for NFC stations

        return scans_from_reader(rest or "usb", once=once, stop=stop, clock=clock, on_invalid=on_invalid)
    if kind == "llrp" and rest:
        from readers.llrp import LLRP_PORT, scans_from_llrp

        host, port = _host_port(rest, LLRP_PORT, spec)
        return scans_from_llrp(host, port, once=once, stop=stop, clock=clock, on_invalid=on_invalid)
    raise InvalidInput(f"unknown source {spec!r}: expected {SOURCE_HELP}")


def _host_port(text: str, default: int, spec: str) -> tuple[str, int]:
    if text.startswith("["):  # [IPv6]:port
        host, _, tail = text[1:].partition("]")
        return host, _number(tail[1:], spec) if tail.startswith(":") else default
    host, colon, port = text.rpartition(":")
    return (host, _number(port, spec)) if colon else (text, default)


def _number(text: str, spec: str) -> int:
    if not text.isdigit():
        raise InvalidInput(f"invalid source {spec!r}: expected a number, found {text!r}")
    return int(text)
