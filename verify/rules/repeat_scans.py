"""Consumer verifications of one item: a few are normal, too many mean copies of its code.

Only consumer scans count: retail staff and inspectors (authenticated) never use up the
consumer's first verification. Up to ``max_consumer_verifications`` the answer is "verified
before" with when and where the first one was; beyond it, "possible copy" and an alert.
"""

from __future__ import annotations

from trace.domain.risk import ScanContext
from trace.domain.scan import AuditGroup, Flag, Judgement, Pass, PriorScan, ScanVerdict

RULE = "repeat_scans"


def scan_evidence(scan: PriorScan) -> dict[str, object]:
    return {"verified_at": scan.verified_at.isoformat(), "region": scan.place.region,
            "latitude": scan.place.latitude, "longitude": scan.place.longitude, "audit_group": scan.audit_group.value}


def check(context: ScanContext) -> Judgement:
    prior = context.consumer_scans
    counted = context.consumer_count + (1 if context.audit_group is AuditGroup.CONSUMER else 0)
    limit = context.policy.max_consumer_verifications
    if counted > limit:
        return Flag(RULE, ScanVerdict.POSSIBLE_COPY,
                    f"{counted} consumer verifications, more than the {limit} one item gets",
                    evidence={"count": counted, "threshold": limit, "scans": [scan_evidence(s) for s in prior[-10:]]},
                    alert="copy" if context.audit_group is AuditGroup.CONSUMER else None)
    if prior:
        first = prior[0]
        return Flag(RULE, ScanVerdict.VERIFIED_BEFORE,
                    f"verified {context.consumer_count} time(s) before, first on {first.verified_at.isoformat()}"
                    f" in {first.place.region or 'an unknown region'}",
                    evidence={"count": context.consumer_count, "first": scan_evidence(first)})
    return Pass(RULE)
