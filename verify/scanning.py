"""The judging half of a consumer scan, wired for ``trace.services.consumer_scan.scan``.

The scan service sits below ``verify/`` and so cannot import it; the composition root (API,
CLI, tests) builds :class:`ScanJudges` here from the in-memory key ring, the risk engine and,
the NTAG 424 SUN check with each brand's master keys (``verify.brand_sun``).
"""

from __future__ import annotations

from collections.abc import Callable

from trace.domain.risk import RiskPolicy, SignedCode
from trace.errors import SignatureError
from trace.identifiers import DigitalLink
from trace.services.consumer_scan import ScanJudges
from verify.keyring import KeyRing
from verify.risk_engine import RiskEngine
from verify.signature import check_signature
from verify.sun import FileKey, check_sun_url

_SUN_PARAMETERS = ("e=", "picc_data=")


def signature_judge(ring: Callable[[], KeyRing]) -> Callable[[DigitalLink], SignedCode]:
    """Check AI 8030 against the current ring; revoked keys count as forged (DESIGN.md §7)."""

    def judge(link: DigitalLink) -> SignedCode:
        check = check_signature(link, ring())
        if check.key_status == "revoked":
            raise SignatureError(f"signature made with revoked key {check.kid}")
        assert link.gtin is not None and link.serial is not None  # check_signature requires both
        return SignedCode(brand=check.brand, kid=check.kid, key_status=check.key_status, gtin=link.gtin.value,
                          lot=link.lot or "", serial=link.serial)

    return judge


def sun_judge(meta_key: bytes, file_key: FileKey) -> Callable[[str, str], tuple[bytes, int] | None]:
    """(UID, counter) of a SUN tap in the URL, None when it carries no SUN parameters.

    The same keys for every brand (a fixed deployment, tests); the public route uses each
    brand's own master keys: ``verify.brand_sun.brand_sun_judge``.
    """

    def judge(url: str, brand: str) -> tuple[bytes, int] | None:
        query = url.partition("?")[2]
        if not any(part.startswith(_SUN_PARAMETERS) for part in query.split("&")):
            return None
        message = check_sun_url(url, meta_key=meta_key, file_key=file_key)
        return message.uid, message.read_counter

    return judge


def judges(ring: Callable[[], KeyRing], *, engine: RiskEngine | None = None,
           sun: Callable[[str, str], tuple[bytes, int] | None] | None = None,
           default_policy: RiskPolicy = RiskPolicy()) -> ScanJudges:
    """The judges of the app: brands' stored risk policies (``trace.services.risk_policies``)
    come with each scan's facts; ``default_policy`` applies where none is stored."""
    engine = engine or RiskEngine()
    return ScanJudges(signature=signature_judge(ring), risk=engine.judge, sun=sun, default_policy=default_policy)
