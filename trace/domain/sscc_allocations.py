"""SSCC serial references handed out to a brand: the ledger entry that makes each range final.

An SSCC must never be issued twice within one year of shipping, and GS1 advises never reusing
one at all. Tracemark keeps no table of SSCCs (a ``unit`` row needs a lot and a mint job,
which a mixed pallet does not have); instead every allocation appends one ``sscc-allocation``
entry to the brand's ledger naming the range it took. The entry's ``ref`` is the allocation
key, ``sscc:<company prefix>:<extension digit>:<first>-<last>`` with fixed-width references,
so the next free reference is one past the highest ``last`` recorded for that prefix and
extension digit, and two allocations that raced for the same first reference collide on the
ledger's unique ``(brand_id, ref)`` instead of issuing the same SSCCs.

References: GS1 General Specifications §2.2.1 (SSCC) and §4.3 (SSCC non-reuse).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

KIND = "sscc-allocation"


@dataclass(frozen=True, slots=True)
class SsccAllocationRecord:
    """One range of serial references ``first``..``last`` (inclusive) taken by a brand."""

    brand: str
    company_prefix: str
    extension_digit: int
    first: int
    last: int
    requested_by: str
    created_at: datetime

    @property
    def width(self) -> int:
        """Digits of the serial reference: 16 minus the length of the company prefix."""
        return 16 - len(self.company_prefix)

    @property
    def ref(self) -> str:
        """The allocation key (see the module docstring).

        >>> import datetime
        >>> SsccAllocationRecord("acme", "9506000", 0, 1, 10, "cli", datetime.datetime(2026, 1, 1)).ref
        'sscc:9506000:0:000000001-000000010'
        """
        return f"{ref_prefix(self.company_prefix, self.extension_digit)}{self.first:0{self.width}d}-" \
               f"{self.last:0{self.width}d}"

    def canonical_bytes(self) -> bytes:
        lines = ("tracemark/sscc-allocation/v1", f"brand={self.brand}", f"company_prefix={self.company_prefix}",
                 f"extension={self.extension_digit}", f"first={self.first}", f"last={self.last}",
                 f"count={self.last - self.first + 1}", f"by={self.requested_by}",
                 f"time={self.created_at.isoformat(timespec='microseconds')}")
        return ("\n".join(lines) + "\n").encode("utf-8")


def ref_prefix(company_prefix: str, extension_digit: int) -> str:
    """The part of every allocation key shared by one company prefix and extension digit."""
    return f"sscc:{company_prefix}:{extension_digit}:"


def last_reference(ref: str) -> int:
    """The last serial reference an allocation key covers.

    >>> last_reference("sscc:9506000:0:000000001-000000010")
    10
    """
    return int(ref.rpartition("-")[2])
