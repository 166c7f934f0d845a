"""LLRP message framing: the 10-byte header, message types, reading whole messages.

Every LLRP message starts with the same header (big-endian)::

    | Rsvd (3) | Ver (3) | Message Type (10) | Message Length (32) | Message ID (32) |

``Message Length`` counts the whole message, header included. A response carries the
``Message ID`` of its request. Version 1 is LLRP 1.0.1, version 2 LLRP 1.1; readers speak
version 1 unless asked otherwise, and this client does too.

References: EPCglobal LLRP 1.0.1, section 16.1 (binary encoding of messages; message
types 16.1.1 to 16.1.41); LLRP 1.1, same layout.
"""

from __future__ import annotations

import enum
import socket
import struct
from dataclasses import dataclass

from readers.errors import ReaderError

__all__ = ["LLRP_PORT", "LLRP_VERSION", "Message", "MessageType", "encode_message", "read_message"]

LLRP_PORT = 5084  # IANA-registered LLRP port
LLRP_VERSION = 1
_HEADER = struct.Struct("!HII")
# Refuse absurd lengths instead of trying to allocate them (a report of thousands of tags
# is a few hundred kB).
_MAX_LENGTH = 16 * 1024 * 1024
_MAX_STALLS = 20  # socket timeouts tolerated inside one message


class MessageType(enum.IntEnum):
    """The LLRP message types this client sends or understands (LLRP 1.0.1 section 16.1)."""

    CLOSE_CONNECTION_RESPONSE = 4
    CLOSE_CONNECTION = 14
    ADD_ROSPEC = 20
    DELETE_ROSPEC = 21
    START_ROSPEC = 22
    STOP_ROSPEC = 23
    ENABLE_ROSPEC = 24
    ADD_ROSPEC_RESPONSE = 30
    DELETE_ROSPEC_RESPONSE = 31
    START_ROSPEC_RESPONSE = 32
    STOP_ROSPEC_RESPONSE = 33
    ENABLE_ROSPEC_RESPONSE = 34
    RO_ACCESS_REPORT = 61
    KEEPALIVE = 62
    READER_EVENT_NOTIFICATION = 63
    KEEPALIVE_ACK = 72
    ERROR_MESSAGE = 100


@dataclass(frozen=True, slots=True)
class Message:
    """One LLRP message: its type number, ID and parameter bytes (after the header)."""

    type: int
    id: int
    body: bytes = b""
    version: int = LLRP_VERSION

    @property
    def name(self) -> str:
        """The message type's name, or its number when this client does not know it."""
        try:
            return MessageType(self.type).name
        except ValueError:
            return f"message type {self.type}"


def encode_message(message: Message) -> bytes:
    """The message on the wire: header, then body.

    >>> encode_message(Message(MessageType.KEEPALIVE_ACK, 7)).hex()
    '04480000000a00000007'
    """
    if not 0 <= message.type < 1024:
        raise ValueError(f"LLRP message type must fit 10 bits, got {message.type}")
    first = (message.version & 0b111) << 10 | message.type
    return _HEADER.pack(first, _HEADER.size + len(message.body), message.id) + message.body


def read_message(connection: socket.socket) -> Message:
    """Read exactly one message; raise ``ReaderError`` if the peer closes or breaks framing.

    A socket timeout (``TimeoutError``) before the first byte propagates unchanged, so a
    caller can poll; once a header has begun, the rest is waited for.
    """
    header = _read_exactly(connection, _HEADER.size, first=True)
    first, length, message_id = _HEADER.unpack(header)
    version, message_type = first >> 10 & 0b111, first & 0x3FF
    if not _HEADER.size <= length <= _MAX_LENGTH:
        raise ReaderError(
            f"invalid LLRP message header {header.hex()}: expected a length of 10 to"
            f" {_MAX_LENGTH} bytes, found {length}"
        )
    body = _read_exactly(connection, length - _HEADER.size, first=False)
    return Message(message_type, message_id, body, version)


def _read_exactly(connection: socket.socket, size: int, *, first: bool) -> bytes:
    chunks = bytearray()
    stalls = 0
    while len(chunks) < size:
        try:
            chunk = connection.recv(size - len(chunks))
        except TimeoutError:
            if first and not chunks:
                raise
            stalls += 1  # mid-message: the rest is on its way, unless the reader hangs
            if stalls > _MAX_STALLS:
                raise ReaderError(
                    f"LLRP reader stopped sending mid-message: {len(chunks)} of {size} bytes received"
                ) from None
            continue
        if not chunk:
            raise ReaderError(
                f"LLRP reader closed the connection: expected {size} more bytes,"
                f" received {len(chunks)}"
            )
        chunks += chunk
    return bytes(chunks)
