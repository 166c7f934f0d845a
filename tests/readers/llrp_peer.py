"""An LLRP reader on 127.0.0.1 for tests: a TCP server speaking LLRP framing, built by hand.

It frames every message itself with ``struct`` (independently of ``readers.llrp``):
``| Rsvd(3) Ver(3) Type(10) | Length(32) | ID(32) |`` then the parameters. On connection
it announces a ConnectionAttemptEvent, answers the ROSpec commands with an LLRPStatus,
and after START_ROSPEC plays its ``script``: raw messages to send (the real
RO_ACCESS_REPORT of ``tests/vectors/rfid``, reports built here) and ``"keepalive"``
(send KEEPALIVE, then require the KEEPALIVE_ACK with the same message ID) and ``"close"``
(announce a ConnectionCloseEvent and hang up, as a reader shutting down does).
CLOSE_CONNECTION is answered and the connection closed. Everything received is kept.

References: EPCglobal LLRP 1.0.1, sections 16.1 (messages) and 16.2 (parameters).
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from pathlib import Path

VECTOR = json.loads((Path(__file__).parents[1] / "vectors" / "rfid" / "llrp_ro_access_report.json").read_text())
REPORT_FROM_READER = bytes.fromhex(VECTOR["message_hex"])

KEEPALIVE, KEEPALIVE_ACK, RO_ACCESS_REPORT, READER_EVENT_NOTIFICATION = 62, 72, 61, 63
CLOSE_CONNECTION, CLOSE_CONNECTION_RESPONSE = 14, 4
_RESPONSE_TO = {20: 30, 21: 31, 22: 32, 23: 33, 24: 34, CLOSE_CONNECTION: CLOSE_CONNECTION_RESPONSE}


def message(kind: int, message_id: int, body: bytes = b"") -> bytes:
    return struct.pack("!HII", 1 << 10 | kind, 10 + len(body), message_id) + body


def tlv(kind: int, value: bytes) -> bytes:
    return struct.pack("!HH", kind, 4 + len(value)) + value


def status(code: int = 0, description: str = "") -> bytes:
    text = description.encode()
    return tlv(287, struct.pack("!HH", code, len(text)) + text)


def reader_event(*events: bytes) -> bytes:
    """READER_EVENT_NOTIFICATION: ReaderEventNotificationData(UTCTimestamp, events…)."""
    timestamp = tlv(128, struct.pack("!Q", 1_700_000_000_000_000))
    return message(READER_EVENT_NOTIFICATION, 0, tlv(246, timestamp + b"".join(events)))


def connection_attempt(code: int) -> bytes:
    return reader_event(tlv(256, struct.pack("!H", code)))


def connection_close() -> bytes:
    return reader_event(tlv(257, b""))


def tag_report(*tags: bytes, message_id: int = 77) -> bytes:
    return message(RO_ACCESS_REPORT, message_id, b"".join(tlv(240, tag) for tag in tags))


def epc_data(hex_epc: str, bits: int) -> bytes:
    """TLV EPCData (241): EPCLengthBits, then the bits."""
    return tlv(241, struct.pack("!H", bits) + bytes.fromhex(hex_epc))


def antenna(number: int) -> bytes:
    return struct.pack("!BH", 0x80 | 1, number)  # TV AntennaID


def peak_rssi(dbm: int) -> bytes:
    return struct.pack("!Bb", 0x80 | 6, dbm)  # TV PeakRSSI


class LlrpPeer:
    """Serves one client connection in a thread; see the module docstring."""

    def __init__(self, script: list[bytes | str] | None = None, *, attempt_status: int = 0,
                 refuse: dict[int, tuple[int, str]] | None = None) -> None:
        self.script = list(script or [])
        self.attempt_status = attempt_status
        self.refuse = {21: (101, "ROSpecID not found")} | (refuse or {})  # DELETE of a fresh ID fails
        self.received: list[tuple[int, int, bytes]] = []
        self.errors: list[str] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def received_types(self) -> list[int]:
        return [kind for kind, _, _ in self.received]

    def join(self) -> None:
        self._thread.join(10)
        self._listener.close()

    def _serve(self) -> None:
        connection, _ = self._listener.accept()
        with connection:
            connection.settimeout(10)
            connection.sendall(connection_attempt(self.attempt_status))
            if self.attempt_status:
                return
            try:
                while True:
                    kind, message_id, body = self._read(connection)
                    self.received.append((kind, message_id, body))
                    if kind in _RESPONSE_TO:
                        code, text = self.refuse.get(kind, (0, ""))
                        connection.sendall(message(_RESPONSE_TO[kind], message_id, status(code, text)))
                    if kind == CLOSE_CONNECTION:
                        return
                    if kind == 22 and self._play(connection):  # START_ROSPEC: the inventory runs
                        return  # the reader hung up
            except (OSError, ConnectionError) as exc:
                self.errors.append(repr(exc))

    def _play(self, connection: socket.socket) -> bool:
        for step in self.script:
            if step == "close":
                connection.sendall(connection_close())
                return True
            if step == "keepalive":
                connection.sendall(message(KEEPALIVE, 9001))
                kind, message_id, _ = self._read(connection)
                self.received.append((kind, message_id, b""))
                if (kind, message_id) != (KEEPALIVE_ACK, 9001):
                    self.errors.append(f"expected KEEPALIVE_ACK 9001, got type {kind} id {message_id}")
            else:
                connection.sendall(step)  # type: ignore[arg-type]
        return False

    @staticmethod
    def _read(connection: socket.socket) -> tuple[int, int, bytes]:
        header = _exactly(connection, 10)
        first, length, message_id = struct.unpack("!HII", header)
        return first & 0x3FF, message_id, _exactly(connection, length - 10)


def _exactly(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ConnectionError("client closed the connection")
        data += chunk
    return data
