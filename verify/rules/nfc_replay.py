"""An NTAG 424 SUN tap whose read counter did not go up: a replayed URL or a cloned tag.

The tag increments SDMReadCtr on every read; :func:`verify.sun.check_counter` refuses a
counter not higher than the last accepted one for the UID.

References: NXP AN12196 §4.4 (SDMReadCtr).
"""

from __future__ import annotations

from trace.domain.risk import ScanContext
from trace.domain.scan import Flag, Judgement, Pass, ScanVerdict
from trace.errors import SignatureError
from verify.sun import check_counter

RULE = "nfc_replay"


def check(context: ScanContext) -> Judgement:
    sun = context.sun
    if sun is None:
        return Pass(RULE)
    evidence = {"uid": sun.uid.hex().upper(), "read_counter": sun.read_counter, "last_seen": sun.last_seen}
    if not sun.bound_to_unit:
        return Flag(RULE, ScanVerdict.POSSIBLE_COPY, f"NFC tag {evidence['uid']} is bound to another unit",
                    evidence=evidence, alert="nfc_replay")
    try:
        check_counter(sun.uid, sun.read_counter, sun.last_seen)
    except SignatureError as exc:
        return Flag(RULE, ScanVerdict.POSSIBLE_COPY, str(exc), evidence=evidence, alert="nfc_replay")
    return Pass(RULE)
