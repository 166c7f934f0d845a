"""The canonical bytes each kind of recorded event contributes to a brand's ledger.

An entry must be recomputable from the rows it describes (``tracemark ledger audit``
rebuilds every entry from its source and compares), and independent of any JSON
formatting. EPCIS events use their CBV 2.0 Event Hash ID pre-hash string; records that
are not EPCIS events use a small line-oriented form with a versioned header.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class CommissioningRecord:
    """A mint job: the batch of units it commissioned, bound by the hash of their serials."""

    brand: str
    job_id: int
    gtin: str
    lot: str
    kid: str
    count: int
    serials_sha256: str
    created_at: datetime

    @property
    def ref(self) -> str:
        return f"commission:{self.job_id}"

    def canonical_bytes(self) -> bytes:
        lines = (
            "tracemark/commission/v1",
            f"brand={self.brand}",
            f"job={self.job_id}",
            f"gtin={self.gtin}",
            f"lot={self.lot}",
            f"kid={self.kid}",
            f"count={self.count}",
            f"serials=sha256:{self.serials_sha256}",
            f"time={self.created_at.isoformat(timespec='microseconds')}",
        )
        return ("\n".join(lines) + "\n").encode("utf-8")


def serials_digest(serials: Iterable[str]) -> str:
    """SHA-256 over the sorted serials, one per line: the same set always gives the same digest."""
    digest = hashlib.sha256()
    for serial in sorted(serials):
        digest.update(serial.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()
