"""A minimal LLRP client: connect, run one inventory ROSpec, stream tag reads, close.

The conversation (client ⇄ reader, TCP port 5084):

1. the reader speaks first: READER_EVENT_NOTIFICATION with a ConnectionAttemptEvent
   (status 0 = success; anything else means another client holds the reader);
2. DELETE_ROSPEC (our ROSpecID; a failure just means there was none), ADD_ROSPEC,
   ENABLE_ROSPEC, START_ROSPEC — each answered by its ``*_RESPONSE`` with an LLRPStatus;
3. RO_ACCESS_REPORTs arrive, one TagReportData per tag (EPC-96 as TV, longer EPCs as
   the TLV EPCData); KEEPALIVEs are answered with KEEPALIVE_ACK carrying the same
   message ID; a READER_EVENT_NOTIFICATION with ConnectionCloseEvent ends the session;
4. CLOSE_CONNECTION, answered by CLOSE_CONNECTION_RESPONSE, then the socket closes.

Reports and keepalives that arrive while a command waits for its response are kept or
answered, never dropped. Nothing else of LLRP (capabilities, reader configuration,
AccessSpecs) is used.

References: EPCglobal LLRP 1.0.1, sections 16.1.3–16.1.12 (ROSpec messages), 16.1.30
(RO_ACCESS_REPORT), 16.1.31–16.1.32 (KEEPALIVE, KEEPALIVE_ACK), 16.1.33
(READER_EVENT_NOTIFICATION), 16.1.40–16.1.41 (CLOSE_CONNECTION and its response),
16.2.7.6.10 (ConnectionAttemptEvent).
"""

from __future__ import annotations

import itertools
import socket
import struct
import threading
from collections import deque
from collections.abc import Iterator

from readers.errors import ReaderError
from readers.llrp.framing import LLRP_PORT, Message, MessageType, encode_message, read_message
from readers.llrp.parameters import (
    LlrpStatus,
    TagRead,
    connection_attempt_status,
    is_connection_close,
    llrp_status,
    tag_reads,
)
from readers.llrp.rospec import inventory_rospec

__all__ = ["LlrpClient"]

_RESPONSES = {
    MessageType.ADD_ROSPEC: MessageType.ADD_ROSPEC_RESPONSE,
    MessageType.DELETE_ROSPEC: MessageType.DELETE_ROSPEC_RESPONSE,
    MessageType.ENABLE_ROSPEC: MessageType.ENABLE_ROSPEC_RESPONSE,
    MessageType.START_ROSPEC: MessageType.START_ROSPEC_RESPONSE,
    MessageType.STOP_ROSPEC: MessageType.STOP_ROSPEC_RESPONSE,
    MessageType.CLOSE_CONNECTION: MessageType.CLOSE_CONNECTION_RESPONSE,
}
# ConnectionAttemptEvent status values (LLRP 1.0.1 section 16.2.7.6.10).
_ATTEMPT_STATUS = {
    1: "a reader-initiated connection already exists",
    2: "a client-initiated connection already exists",
    3: "failed for a reason other than an existing connection",
    4: "another connection attempted",
}
_POLL_SECONDS = 0.5


class LlrpClient:
    """One LLRP session with one reader; use as a context manager.

    >>> with LlrpClient("192.0.2.10") as reader:  # doctest: +SKIP
    ...     reader.start_inventory()
    ...     for report in reader.reports():
    ...         print(report)
    """

    def __init__(self, host: str, port: int = LLRP_PORT, *, timeout: float = 10.0, rospec_id: int = 1) -> None:
        self.host, self.port, self.timeout, self.rospec_id = host, port, timeout, rospec_id
        self._socket: socket.socket | None = None
        self._ids = itertools.count(1)
        self._reports: deque[tuple[TagRead, ...]] = deque()
        self._closed_by_reader = False

    def __enter__(self) -> LlrpClient:
        self.connect()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def connect(self) -> None:
        """Open the TCP connection and wait for the reader's ConnectionAttemptEvent."""
        try:
            self._socket = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise ReaderError(f"cannot connect to LLRP reader {self.address}: {exc}") from exc
        while True:
            message = self._receive()
            if message.type != MessageType.READER_EVENT_NOTIFICATION:
                self._unsolicited(message)
                continue
            status = connection_attempt_status(message.body)
            if status is None:
                continue  # some other event before the connection attempt's outcome
            if status != 0:
                raise ReaderError(
                    f"LLRP reader {self.address} refused the connection: ConnectionAttemptEvent"
                    f" status {status} ({_ATTEMPT_STATUS.get(status, 'unknown status')})"
                )
            return

    def start_inventory(self) -> None:
        """Install, enable and start the inventory ROSpec (replacing one with our ID)."""
        rospec_id = struct.pack("!I", self.rospec_id)
        self.command(MessageType.DELETE_ROSPEC, rospec_id, check=False)
        self.command(MessageType.ADD_ROSPEC, inventory_rospec(self.rospec_id))
        self.command(MessageType.ENABLE_ROSPEC, rospec_id)
        self.command(MessageType.START_ROSPEC, rospec_id)

    def command(self, kind: MessageType, body: bytes = b"", *, check: bool = True) -> LlrpStatus:
        """Send one command and return the LLRPStatus of its response.

        Raises ``ReaderError`` if the reader answers with ERROR_MESSAGE or, when ``check``,
        with a status other than success.
        """
        expected = _RESPONSES[kind]
        self._send(Message(kind, next(self._ids), body))
        while True:
            message = self._receive()
            if message.type == expected:
                status = llrp_status(message.body)
                if check and not status.ok:
                    raise ReaderError(
                        f"LLRP reader {self.address} refused {kind.name}: status {status.code}"
                        f" {status.description!r}"
                    )
                return status
            if message.type == MessageType.ERROR_MESSAGE:
                status = llrp_status(message.body)
                raise ReaderError(
                    f"LLRP reader {self.address} answered {kind.name} with ERROR_MESSAGE:"
                    f" status {status.code} {status.description!r}"
                )
            self._unsolicited(message)

    def reports(self, *, stop: threading.Event | None = None) -> Iterator[tuple[TagRead, ...]]:
        """The tag reads of each RO_ACCESS_REPORT, until ``stop`` is set or the reader closes."""
        while not (stop is not None and stop.is_set()):
            if self._reports:
                yield self._reports.popleft()
                continue
            if self._closed_by_reader:
                return
            try:
                message = self._receive(timeout=_POLL_SECONDS)
            except TimeoutError:
                continue
            self._unsolicited(message)

    def close(self) -> None:
        """Say goodbye (CLOSE_CONNECTION) if the reader still listens, then close the socket."""
        if self._socket is None:
            return
        try:
            if not self._closed_by_reader:
                self.command(MessageType.CLOSE_CONNECTION, check=False)
        except (ReaderError, OSError):
            pass  # closing anyway
        finally:
            self._socket.close()
            self._socket = None

    def _unsolicited(self, message: Message) -> None:
        if message.type == MessageType.RO_ACCESS_REPORT:
            reads = tag_reads(message.body)
            if reads:
                self._reports.append(reads)
        elif message.type == MessageType.KEEPALIVE:
            self._send(Message(MessageType.KEEPALIVE_ACK, message.id))
        elif message.type == MessageType.READER_EVENT_NOTIFICATION and is_connection_close(message.body):
            self._closed_by_reader = True
        # Anything else (other reader events, custom messages) does not concern a station.

    def _send(self, message: Message) -> None:
        if self._socket is None:
            raise ReaderError(f"LLRP reader {self.address} is not connected")
        try:
            self._socket.sendall(encode_message(message))
        except OSError as exc:
            raise ReaderError(f"cannot send {message.name} to LLRP reader {self.address}: {exc}") from exc

    def _receive(self, *, timeout: float | None = None) -> Message:
        if self._socket is None:
            raise ReaderError(f"LLRP reader {self.address} is not connected")
        self._socket.settimeout(timeout if timeout is not None else self.timeout)
        try:
            return read_message(self._socket)
        except TimeoutError:
            if timeout is not None:
                raise
            raise ReaderError(
                f"LLRP reader {self.address} did not answer within {self.timeout} s"
            ) from None
        except OSError as exc:
            raise ReaderError(f"lost the connection to LLRP reader {self.address}: {exc}") from exc
