"""A scan outside the sales region the unit shipped to (grey-market diversion).

The intended region is set when the unit (or a container holding it) ships to a distributor
mapped to a region (sales channels); the scan's region comes from a trusted proxy header or
the browser's consented location. Either one unknown: nothing to compare, no flag.
"""

from __future__ import annotations

from trace.domain.risk import ScanContext
from trace.domain.scan import Flag, Judgement, Pass, ScanVerdict
from verify.geo import within

RULE = "diversion"


def check(context: ScanContext) -> Judgement:
    market = context.state.intended_region if context.state is not None else None
    region = context.place.region
    if not market or not region or within(region, market):
        return Pass(RULE)
    return Flag(RULE, ScanVerdict.OUTSIDE_MARKET, f"scanned in {region}, outside its sales region {market}",
                evidence={"region": region, "intended_region": market, "verified_at": context.now.isoformat(),
                          "audit_group": context.audit_group.value}, alert="diversion")
