"""A unit whose last disposition says it no longer exists as a sellable item.

A destroyed or decommissioned item scanned by a consumer means its code lives on somewhere
else (a label taken off a destroyed item, a copy): the answer is "unknown" and the brand
gets an alert.

References: CBV 2.0 §7.2 (dispositions destroyed, disposed, inactive; bizStep decommissioning).
"""

from __future__ import annotations

from trace.domain.risk import ScanContext, cbv_word
from trace.domain.scan import Flag, Judgement, Pass, ScanVerdict

RULE = "decommissioned"
GONE = frozenset({"destroyed", "disposed", "inactive"})
GONE_STEPS = frozenset({"decommissioning", "destroying"})


def check(context: ScanContext) -> Judgement:
    state = context.state
    if state is None:
        return Pass(RULE)
    disposition, step = cbv_word(state.disposition), cbv_word(state.biz_step)
    if disposition in GONE or step in GONE_STEPS:
        return Flag(RULE, ScanVerdict.UNKNOWN,
                    f"the unit was taken out of circulation (bizStep {step}, disposition {disposition})",
                    evidence={"biz_step": step, "disposition": disposition}, alert="decommissioned_scan")
    return Pass(RULE)
