"""Code pools on the line: what was printed, and what a print log says went wrong.

A line prints from a pool of codes reserved in advance, in sequence order, without the
server. Its print log (one line per label fed to the printer) is what it reports back.
Two things in a log break the line's later work, because aggregation on the line pairs
"the N-th label" with "the N-th item":

- a label printed twice (a re-print after a roll change): every later label sits one item
  further down than its sequence number says;
- a label printed after a higher-numbered one (out of sequence).

References: DESIGN.md §5 flow 1 (pools), issue 5 (reconciliation).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class PrintedLabel:
    """One line of a print log: the pool sequence number and serial of a label sent to print."""

    sequence: int
    serial: str


def print_anomalies(log: Sequence[PrintedLabel]) -> tuple[str, ...]:
    """Every repeated or out-of-sequence print in ``log``, as sentences, in log order.

    >>> print_anomalies([PrintedLabel(1, "a"), PrintedLabel(2, "b"), PrintedLabel(2, "b"), PrintedLabel(3, "c")])
    ('label 2 printed twice',)
    >>> print_anomalies([PrintedLabel(1, "a"), PrintedLabel(3, "c"), PrintedLabel(2, "b")])
    ('label 2 printed out of sequence after label 3',)
    """
    seen: dict[int, int] = {}
    found: list[str] = []
    highest = 0
    for label in log:
        seen[label.sequence] = seen.get(label.sequence, 0) + 1
        if seen[label.sequence] > 1:
            times = {2: "twice", 3: "three times"}.get(seen[label.sequence], f"{seen[label.sequence]} times")
            found = [f for f in found if not f.startswith(f"label {label.sequence} printed ")
                     or "out of sequence" in f]
            found.append(f"label {label.sequence} printed {times}")
        elif label.sequence < highest:
            found.append(f"label {label.sequence} printed out of sequence after label {highest}")
        highest = max(highest, label.sequence)
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """What one report from the line did, and what it found wrong.

    ``gaps``: sequence numbers still reserved below the highest one printed (never reported
    printed: a label lost or skipped). ``remaining``: reserved codes after the highest one
    printed, still available to the line. ``low``: ``remaining`` is under the low-water mark.
    """

    pool_id: int
    commissioned: tuple[str, ...]
    voided: tuple[str, ...]
    gaps: tuple[int, ...]
    anomalies: tuple[str, ...]
    remaining: int
    low: bool


@dataclass(frozen=True, slots=True)
class PoolCommissionRecord:
    """Ledger entry of one pool report: the serials commissioned, bound by their hash."""

    brand: str
    pool_id: int
    gtin: str
    lot: str
    count: int
    serials_sha256: str
    created_at: datetime

    @property
    def ref(self) -> str:
        return f"pool-commission:{self.pool_id}:{self.serials_sha256[:16]}"

    def canonical_bytes(self) -> bytes:
        lines = ("tracemark/pool-commission/v1", f"brand={self.brand}", f"pool={self.pool_id}",
                 f"gtin={self.gtin}", f"lot={self.lot}", f"count={self.count}",
                 f"serials=sha256:{self.serials_sha256}", f"time={self.created_at.isoformat(timespec='microseconds')}")
        return ("\n".join(lines) + "\n").encode("utf-8")
