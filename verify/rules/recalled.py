"""A unit whose disposition is ``recalled`` (set by the recall flow through EPCIS events).

References: CBV 2.0 §7.2 (disposition recalled).
"""

from __future__ import annotations

from trace.domain.risk import ScanContext, cbv_word
from trace.domain.scan import Flag, Judgement, Pass, ScanVerdict

RULE = "recalled"


def check(context: ScanContext) -> Judgement:
    state = context.state
    if state is not None and cbv_word(state.disposition) == "recalled":
        when = state.last_event_time.isoformat() if state.last_event_time else None
        return Flag(RULE, ScanVerdict.RECALLED, "the brand has recalled this unit", evidence={"recalled_at": when})
    return Pass(RULE)
