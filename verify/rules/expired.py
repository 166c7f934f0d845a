"""A unit of a lot whose expiry date has passed (the day of expiry still counts as good)."""

from __future__ import annotations

from trace.domain.risk import ScanContext
from trace.domain.scan import Flag, Judgement, Pass, ScanVerdict

RULE = "expired"


def check(context: ScanContext) -> Judgement:
    unit = context.unit
    if not context.policy.check_expiry or unit is None or unit.expires_on is None:
        return Pass(RULE)
    today = context.now.date()
    if unit.expires_on < today:
        return Flag(RULE, ScanVerdict.EXPIRED, f"the lot expired on {unit.expires_on.isoformat()}",
                    evidence={"expires_on": unit.expires_on.isoformat(), "scanned_on": today.isoformat()})
    return Pass(RULE)
