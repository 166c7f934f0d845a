"""The verdict engine: run the configured rules, combine their flags into one verdict.

The most serious flag wins (``trace.domain.scan.SEVERITY``); no flag at all is "genuine".
An empty rule set is a configuration error, never a pass: a verifier that checks nothing
must not tell anyone their item is genuine.
"""

from __future__ import annotations

from collections.abc import Iterable

from trace.domain.risk import Judged, ScanContext
from trace.domain.scan import SEVERITY, Flag, ScanVerdict
from trace.errors import ConfigurationError
from verify.rules import DEFAULT_RULES, Rule

_RANK = {verdict: index for index, verdict in enumerate(SEVERITY)}


def combine(flags: Iterable[Flag]) -> Judged:
    """One verdict from many flags: the most serious (``SEVERITY``) wins; none is genuine."""
    ordered = tuple(sorted(flags, key=lambda f: _RANK[f.verdict], reverse=True))
    return Judged(verdict=ordered[0].verdict if ordered else ScanVerdict.GENUINE, flags=ordered)


class RiskEngine:
    """Runs a fixed set of rules; build one per configuration and share it (it holds no state)."""

    def __init__(self, rules: Iterable[Rule] = DEFAULT_RULES) -> None:
        self.rules = tuple(rules)
        if not self.rules:
            raise ConfigurationError("the risk engine has no rules: an empty rule set would pass every scan")

    def judge(self, context: ScanContext) -> Judged:
        return combine(j for rule in self.rules if isinstance(j := rule(context), Flag))
