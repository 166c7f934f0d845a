"""A validly signed code the brand has no commissioned unit for: signed but never made."""

from __future__ import annotations

from trace.domain.risk import ScanContext
from trace.domain.scan import Flag, Judgement, Pass, ScanVerdict
from trace.domain.units import UnitState

RULE = "never_commissioned"


def check(context: ScanContext) -> Judgement:
    unit = context.unit
    if unit is None:
        # A valid signature on a code that was never minted means the signing key made codes
        # outside the mint flow: a leaked key, or a test code in the wild. The brand must know.
        return Flag(RULE, ScanVerdict.UNKNOWN, "the signature is valid but no such unit was ever minted",
                    evidence={"kid": context.signature.kid}, alert="unknown_code")
    if unit.state is not UnitState.COMMISSIONED:
        return Flag(RULE, ScanVerdict.UNKNOWN, f"the unit is {unit.state.value}, not commissioned")
    return Pass(RULE)
