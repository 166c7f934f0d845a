"""Risk rules: each module has ``check(context) -> Pass | Flag`` and a ``RULE`` name.

``DEFAULT_RULES`` is the set the scan service runs unless a brand configures another.
"""

from __future__ import annotations

from collections.abc import Callable

from trace.domain.risk import ScanContext
from trace.domain.scan import Judgement
from verify.rules import (
    decommissioned,
    diversion,
    expired,
    impossible_travel,
    never_commissioned,
    nfc_replay,
    not_released,
    recalled,
    repeat_scans,
)

Rule = Callable[[ScanContext], Judgement]

DEFAULT_RULES: tuple[Rule, ...] = (
    never_commissioned.check, decommissioned.check, recalled.check, expired.check, not_released.check,
    repeat_scans.check, impossible_travel.check, diversion.check, nfc_replay.check,
)
