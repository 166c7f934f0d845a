"""The answer to "is this code genuine?", as a value every interface renders."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from enum import Enum


class VerdictStatus(str, Enum):
    GENUINE = "genuine"                  # signature valid, unit minted and commissioned
    FORGED = "forged"                    # signature invalid, or by an unknown or revoked key
    UNKNOWN = "unknown"                  # signature valid, but no such unit was ever minted
    SIGNATURE_VALID = "signature_valid"  # offline check only: the database was not consulted


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a verification concluded, with the facts that were checked."""

    status: VerdictStatus
    reason: str
    url: str
    gtin: str | None = None
    lot: str | None = None
    serial: str | None = None
    brand: str | None = None
    kid: str | None = None
    key_status: str | None = None
    product: str | None = None
    produced_on: date | None = None
    expires_on: date | None = None

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["verdict"] = self.status.value
        del data["status"]
        for name in ("produced_on", "expires_on"):
            if data[name] is not None:
                data[name] = data[name].isoformat()
        return data
