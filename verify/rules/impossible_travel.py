"""Two consumer verifications farther apart than anyone could travel in the time between them.

The item cannot be in Shanghai and in Paris an hour apart: two items carry the same code.
Positions come from rounded coordinates when the browser shared them, else from the centroid
of the scan's region (``verify.geo.CENTROIDS``); scans without either are skipped. Distances
below ``travel_min_distance_km`` are ignored (coarse places, GPS noise).
"""

from __future__ import annotations

from trace.domain.risk import ScanContext
from trace.domain.scan import AuditGroup, Flag, Judgement, Pass, ScanVerdict
from verify.geo import haversine_km, position
from verify.rules.repeat_scans import scan_evidence

RULE = "impossible_travel"
_MIN_HOURS = 1 / 3600  # two scans in the same second: treat as one second apart


def check(context: ScanContext) -> Judgement:
    if context.audit_group is not AuditGroup.CONSUMER:
        return Pass(RULE)
    here = position(context.place)
    if here is None:
        return Pass(RULE)
    previous = next(((s, p) for s in reversed(context.consumer_scans) if (p := position(s.place)) is not None), None)
    if previous is None:
        return Pass(RULE)
    scan, there = previous
    distance = haversine_km(here, there)
    if distance < context.policy.travel_min_distance_km:
        return Pass(RULE)
    hours = max((context.now - scan.verified_at).total_seconds() / 3600, _MIN_HOURS)
    speed = distance / hours
    if speed <= context.policy.travel_speed_kmh:
        return Pass(RULE)
    return Flag(RULE, ScanVerdict.POSSIBLE_COPY,
                f"{distance:.0f} km from the previous verification in {hours:.2f} h ({speed:.0f} km/h,"
                f" more than {context.policy.travel_speed_kmh:.0f} km/h)",
                evidence={"distance_km": round(distance, 1), "hours": round(hours, 3), "speed_kmh": round(speed),
                          "previous": scan_evidence(scan), "current": {"verified_at": context.now.isoformat(),
                                                                       "region": context.place.region}},
                alert="copy")
