"""A consumer scan of a unit that has not left the brand's warehouse yet.

Goods reach consumers through shipping; a consumer holding an item whose last known step is
still inside the factory (commissioning, packing, storing) holds either a copy of its code or
stock that leaked out. "Released" means: the unit (or a container it travelled in) shipped,
was received, stocked or sold — seen as a bizStep or disposition of its current state, or a
sales region set on shipment. A unit with no EPCIS event at all (minted only) counts as
released when ``RiskPolicy.genuine_without_events`` is on (the default): many brands never
send logistics events. Staff and inspectors may scan anywhere.

References: CBV 2.0 §7.1 (bizSteps), §7.2 (dispositions).
"""

from __future__ import annotations

from trace.domain.risk import ScanContext, cbv_word
from trace.domain.scan import AuditGroup, Flag, Judgement, Pass, ScanVerdict

RULE = "not_released"
RELEASED_STEPS = frozenset({"shipping", "departing", "receiving", "arriving", "accepting", "stocking",
                            "retail_selling", "dispensing", "holding", "installing"})
RELEASED_DISPOSITIONS = frozenset({"in_transit", "retail_sold", "sellable_accessible", "dispensed"})


def check(context: ScanContext) -> Judgement:
    if context.audit_group is not AuditGroup.CONSUMER or not context.policy.require_shipped or context.unit is None:
        return Pass(RULE)
    state = context.state
    if state is None:
        if context.policy.genuine_without_events:
            return Pass(RULE)
        return Flag(RULE, ScanVerdict.NOT_RELEASED, "no shipment of this unit was ever recorded",
                    evidence={"biz_step": None}, alert="not_released")
    step, disposition = cbv_word(state.biz_step), cbv_word(state.disposition)
    if step in RELEASED_STEPS or disposition in RELEASED_DISPOSITIONS or state.intended_region:
        return Pass(RULE)
    return Flag(RULE, ScanVerdict.NOT_RELEASED,
                f"scanned by a consumer while still at {state.location or 'the brand'} (bizStep {step})",
                evidence={"biz_step": step, "disposition": disposition, "location": state.location},
                alert="not_released")
