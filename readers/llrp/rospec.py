"""The one Reader Operation Spec a station needs: inventory on every antenna until stopped.

::

    ROSpec (177): ROSpecID, Priority 0, CurrentState Disabled
      ROBoundarySpec (178)
        ROSpecStartTrigger (179): Null — started by START_ROSPEC
        ROSpecStopTrigger (182): Null, duration 0 — runs until stopped
      AISpec (183): antenna IDs [0] (0 = every antenna)
        AISpecStopTrigger (184): Null, duration 0
        InventoryParameterSpec (186): ID 1, protocol 1 (EPCglobal Class-1 Gen-2)
      ROReportSpec (237): trigger 2 (upon N tags or end of ROSpec), N = 1
        TagReportContentSelector (238): AntennaID, PeakRSSI, FirstSeenTimestamp, TagSeenCount

N = 1 makes the reader send each tag as soon as it is singulated, so a station's scan time
is close to the moment the tag passed.

References: EPCglobal LLRP 1.0.1, sections 16.2.4.1 (ROSpec, ROBoundarySpec and its
triggers), 16.2.4.2 (AISpec, AISpecStopTrigger, InventoryParameterSpec), 16.2.7.1
(ROReportSpec, TagReportContentSelector).
"""

from __future__ import annotations

import struct

from readers.llrp.parameters import tlv

__all__ = ["inventory_rospec"]

_ROSPEC, _BOUNDARY, _START_TRIGGER, _STOP_TRIGGER = 177, 178, 179, 182
_AISPEC, _AISPEC_STOP, _INVENTORY_SPEC = 183, 184, 186
_REPORT_SPEC, _CONTENT_SELECTOR = 237, 238
_NULL_TRIGGER = 0
_EPC_CLASS1_GEN2 = 1
_UPON_N_TAGS_OR_END_OF_ROSPEC = 2
# TagReportContentSelector flags, most significant bit first: ROSpecID, SpecIndex,
# InventoryParameterSpecID, AntennaID, ChannelIndex, PeakRSSI, FirstSeenTimestamp,
# LastSeenTimestamp, TagSeenCount, AccessSpecID, then 6 reserved bits.
_ENABLE_ANTENNA_ID = 1 << 12
_ENABLE_PEAK_RSSI = 1 << 10
_ENABLE_FIRST_SEEN = 1 << 9
_ENABLE_TAG_SEEN_COUNT = 1 << 7


def inventory_rospec(rospec_id: int) -> bytes:
    """The ROSpec parameter (TLV) to send in ADD_ROSPEC.

    >>> inventory_rospec(1)[:10].hex()  # type 177, length 65, ROSpecID 1, priority 0, Disabled
    '00b10041000000010000'
    """
    if not 1 <= rospec_id <= 0xFFFFFFFF:
        raise ValueError(f"ROSpecID must be 1 to 2^32-1 (0 means 'all'), got {rospec_id}")
    boundary = tlv(_BOUNDARY, tlv(_START_TRIGGER, bytes([_NULL_TRIGGER]))
                   + tlv(_STOP_TRIGGER, struct.pack("!BI", _NULL_TRIGGER, 0)))
    antennas = struct.pack("!HH", 1, 0)  # AntennaCount 1, AntennaID 0 = all antennas
    aispec = tlv(_AISPEC, antennas
                 + tlv(_AISPEC_STOP, struct.pack("!BI", _NULL_TRIGGER, 0))
                 + tlv(_INVENTORY_SPEC, struct.pack("!HB", 1, _EPC_CLASS1_GEN2)))
    selector = (_ENABLE_ANTENNA_ID | _ENABLE_PEAK_RSSI | _ENABLE_FIRST_SEEN
                | _ENABLE_TAG_SEEN_COUNT)
    report = tlv(_REPORT_SPEC, struct.pack("!BH", _UPON_N_TAGS_OR_END_OF_ROSPEC, 1)
                 + tlv(_CONTENT_SELECTOR, struct.pack("!H", selector)))
    # Priority 0 (highest), CurrentState 0 (Disabled: ENABLE_ROSPEC makes it Inactive).
    return tlv(_ROSPEC, struct.pack("!IBB", rospec_id, 0, 0) + boundary + aispec + report)
