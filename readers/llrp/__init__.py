"""A minimal LLRP (Low Level Reader Protocol) client for UHF RFID readers.

- :mod:`~readers.llrp.framing`: the 10-byte message header, reading whole messages;
- :mod:`~readers.llrp.parameters`: TLV / TV parameters, TagReportData, LLRPStatus;
- :mod:`~readers.llrp.rospec`: the inventory ROSpec a station installs;
- :mod:`~readers.llrp.client`: the session (connect, ROSpec, reports, keepalives, close);
- :func:`scans_from_llrp`: tag reads as :class:`~readers.scan.Scan` values.

Written from the EPCglobal LLRP 1.0.1 standard; no third-party LLRP code is used.
"""

from __future__ import annotations

from readers.llrp.client import LlrpClient
from readers.llrp.framing import LLRP_PORT, Message, MessageType
from readers.llrp.parameters import LlrpStatus, TagRead
from readers.llrp.source import scans_from_llrp

__all__ = ["LLRP_PORT", "LlrpClient", "LlrpStatus", "Message", "MessageType", "TagRead", "scans_from_llrp"]
