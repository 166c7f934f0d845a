"""LLRP parameters: TLV and TV encodings, and the few parameters a reading station needs.

Two encodings share one byte stream (big-endian):

- **TLV**: ``| Rsvd (6) | Type (10) | Length (16) | value… |``, the length counting the
  4-byte header; first bit 0. Every parameter with a variable size uses it.
- **TV**: ``| 1 | Type (7) | value… |``, a fixed value size implied by the type (table
  below). Only small, frequent fields use it: the EPC-96, antenna, RSSI, timestamps.

A TV parameter whose type this client does not know cannot be skipped (its size is not on
the wire), so parsing a TagReportData stops there; the TLV length of the enclosing
parameter bounds the damage to one tag.

References: EPCglobal LLRP 1.0.1, sections 16.2 (parameter encoding), 16.2.7.3
(TagReportData, with EPCData 16.2.7.3.1 and EPC-96 16.2.7.3.2 and its TV fields),
16.2.7.6 (ReaderEventNotificationData), 16.2.8.1 (LLRPStatus); LLRP 1.1 adds TV types 19
and 20 (XPC words).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from readers.errors import ReaderError

__all__ = [
    "LlrpStatus",
    "Parameter",
    "TagRead",
    "connection_attempt_status",
    "find",
    "iter_parameters",
    "llrp_status",
    "tag_reads",
    "tlv",
]

# TLV parameter types (LLRP 1.0.1 section 16.2).
UTC_TIMESTAMP = 128
TAG_REPORT_DATA = 240
EPC_DATA = 241
READER_EVENT_NOTIFICATION_DATA = 246
CONNECTION_ATTEMPT_EVENT = 256
CONNECTION_CLOSE_EVENT = 257
LLRP_STATUS = 287
# TV parameter types and the size of their values in bytes.
ANTENNA_ID, FIRST_SEEN_UTC, PEAK_RSSI, TAG_SEEN_COUNT, EPC_96 = 1, 2, 6, 8, 13
_TV_SIZES = {
    1: 2,  # AntennaID
    2: 8,  # FirstSeenTimestampUTC (microseconds since the Unix epoch)
    3: 8,  # FirstSeenTimestampUptime
    4: 8,  # LastSeenTimestampUTC
    5: 8,  # LastSeenTimestampUptime
    6: 1,  # PeakRSSI (signed dBm)
    7: 2,  # ChannelIndex
    8: 2,  # TagSeenCount
    9: 4,  # ROSpecID
    10: 2,  # InventoryParameterSpecID
    11: 2,  # C1G2-CRC
    12: 2,  # C1G2-PC
    13: 12,  # EPC-96
    14: 2,  # SpecIndex
    15: 2,  # ClientRequestOpSpecResult
    16: 4,  # AccessSpecID
    17: 2,  # OpSpecID
    18: 4,  # C1G2SingulationDetails
    19: 2,  # C1G2-XPCW1 (LLRP 1.1)
    20: 2,  # C1G2-XPCW2 (LLRP 1.1)
}
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter: its type number and value bytes (after its header)."""

    type: int
    value: bytes
    tv: bool = False


@dataclass(frozen=True, slots=True)
class LlrpStatus:
    """The LLRPStatus of a response: 0 is M_Success."""

    code: int
    description: str

    @property
    def ok(self) -> bool:
        return self.code == 0


@dataclass(frozen=True, slots=True)
class TagRead:
    """One tag in an RO_ACCESS_REPORT: its EPC (upper-case hex) and what came with it."""

    epc_hex: str
    antenna: int | None = None
    peak_rssi: int | None = None
    first_seen: datetime | None = None
    """From FirstSeenTimestampUTC; None when the reader sent none (or only uptime)."""
    seen_count: int | None = None


def tlv(parameter_type: int, value: bytes = b"") -> bytes:
    """Encode a TLV parameter.

    >>> tlv(179, bytes([0])).hex()
    '00b3000500'
    """
    return struct.pack("!HH", parameter_type & 0x3FF, 4 + len(value)) + value


def iter_parameters(data: bytes) -> Iterator[Parameter]:
    """The parameters of a message body or a TLV value, in order.

    Raises ``ReaderError`` for a TLV length that overruns the data or a TV type of
    unknown size.
    """
    position = 0
    while position < len(data):
        first = data[position]
        if first & 0x80:
            kind = first & 0x7F
            size = _TV_SIZES.get(kind)
            if size is None or position + 1 + size > len(data):
                raise ReaderError(
                    f"invalid LLRP TV parameter type {kind} at byte {position}:"
                    f" expected a known type with its value, found {data[position:position + 4].hex()}"
                )
            yield Parameter(kind, data[position + 1 : position + 1 + size], tv=True)
            position += 1 + size
            continue
        if position + 4 > len(data):
            raise ReaderError(f"truncated LLRP parameter header at byte {position}: {data[position:].hex()}")
        kind, length = struct.unpack_from("!HH", data, position)
        if length < 4 or position + length > len(data):
            raise ReaderError(
                f"invalid LLRP TLV parameter at byte {position}: length {length},"
                f" {len(data) - position} bytes left"
            )
        yield Parameter(kind & 0x3FF, data[position + 4 : position + length])
        position += length


def find(data: bytes, parameter_type: int) -> Parameter | None:
    """The first parameter of ``parameter_type`` in ``data``, or None."""
    return next((p for p in iter_parameters(data) if p.type == parameter_type), None)


def llrp_status(body: bytes) -> LlrpStatus:
    """The LLRPStatus of a response body: StatusCode (u16), ErrorDescription (u16 length + UTF-8)."""
    found = find(body, LLRP_STATUS)
    if found is None or len(found.value) < 4:
        raise ReaderError(f"invalid LLRP response {body.hex()}: expected an LLRPStatus parameter")
    code, length = struct.unpack_from("!HH", found.value)
    return LlrpStatus(code, found.value[4 : 4 + length].decode("utf-8", "replace"))


def connection_attempt_status(body: bytes) -> int | None:
    """The ConnectionAttemptEvent status of a READER_EVENT_NOTIFICATION (0 = success), if any."""
    data = find(body, READER_EVENT_NOTIFICATION_DATA)
    event = find(data.value, CONNECTION_ATTEMPT_EVENT) if data else None
    return struct.unpack("!H", event.value[:2])[0] if event and len(event.value) >= 2 else None


def is_connection_close(body: bytes) -> bool:
    """True when a READER_EVENT_NOTIFICATION announces that the reader closes the connection."""
    data = find(body, READER_EVENT_NOTIFICATION_DATA)
    return bool(data and find(data.value, CONNECTION_CLOSE_EVENT))


def tag_reads(body: bytes) -> tuple[TagRead, ...]:
    """Every TagReportData of an RO_ACCESS_REPORT body that carries an EPC."""
    reads = []
    for parameter in iter_parameters(body):
        if parameter.type == TAG_REPORT_DATA and not parameter.tv:
            read = _tag_read(parameter.value)
            if read is not None:
                reads.append(read)
    return tuple(reads)


def _tag_read(value: bytes) -> TagRead | None:
    epc: str | None = None
    fields: dict[int, bytes] = {}
    try:
        for parameter in iter_parameters(value):
            if parameter.type == EPC_DATA and not parameter.tv:
                epc = _epc_data(parameter.value)
            elif parameter.tv and parameter.type == EPC_96:
                epc = parameter.value.hex().upper()
            elif parameter.tv:
                fields.setdefault(parameter.type, parameter.value)
    except ReaderError:
        if epc is None:  # EPCData / EPC-96 comes first (LLRP 1.0.1 16.2.7.3): without it, nothing
            raise
    if epc is None:
        return None
    return TagRead(
        epc_hex=epc,
        antenna=_unsigned(fields.get(ANTENNA_ID)),
        peak_rssi=struct.unpack("!b", fields[PEAK_RSSI])[0] if PEAK_RSSI in fields else None,
        first_seen=_utc(fields.get(FIRST_SEEN_UTC)),
        seen_count=_unsigned(fields.get(TAG_SEEN_COUNT)),
    )


def _epc_data(value: bytes) -> str:
    """EPCData: EPCLengthBits (u16), then the bits, padded to whole bytes."""
    if len(value) < 2:
        raise ReaderError(f"invalid LLRP EPCData {value.hex()}: expected a bit length")
    bits = struct.unpack_from("!H", value)[0]
    octets = value[2 : 2 + (bits + 7) // 8]
    if len(octets) * 8 < bits:
        raise ReaderError(f"invalid LLRP EPCData {value.hex()}: {bits} bits announced, {len(octets) * 8} present")
    return octets.hex().upper()


def _unsigned(raw: bytes | None) -> int | None:
    return int.from_bytes(raw, "big") if raw is not None else None


def _utc(raw: bytes | None) -> datetime | None:
    if raw is None:
        return None
    return _EPOCH + timedelta(microseconds=int.from_bytes(raw, "big"))
