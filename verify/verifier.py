"""From a presented URL to a verdict: parse, check the signature, then look the unit up."""

from __future__ import annotations

from collections.abc import Callable

from trace.domain.units import UnitRecord, UnitState
from trace.errors import IdentifierError, SignatureError
from trace.identifiers import DigitalLink
from verify.keyring import KeyRing
from verify.signature import check_signature
from verify.verdict import Verdict, VerdictStatus

UnitLookup = Callable[[str, str], UnitRecord | None]


def parse_code(url: str) -> DigitalLink:
    """Parse a presented code; IdentifierError (a clear 4xx) when it is not a Digital Link."""
    if len(url) > 2048:
        raise IdentifierError(f"invalid code: URL of {len(url)} characters is longer than 2048")
    return DigitalLink.parse(url)


def verify_url(url: str, ring: KeyRing, lookup: UnitLookup | None) -> Verdict:
    """Judge one code. ``lookup=None`` checks the signature only (offline verification).

    The signature is checked first, against keys in memory: a forged code never reaches
    the database.
    """
    link = parse_code(url)
    gtin = link.gtin.value if link.gtin is not None else None
    base = {"url": url, "gtin": gtin, "lot": link.lot, "serial": link.serial}
    try:
        check = check_signature(link, ring)
    except SignatureError as exc:
        return Verdict(status=VerdictStatus.FORGED, reason=str(exc), **base)
    signed = {**base, "brand": check.brand, "kid": check.kid, "key_status": check.key_status}
    if lookup is None:
        return Verdict(status=VerdictStatus.SIGNATURE_VALID,
                       reason="signature valid for this brand, GTIN, lot and serial (offline check)", **signed)
    unit = lookup(gtin or "", link.serial or "")
    if unit is None or unit.brand != check.brand or unit.lot != (link.lot or ""):
        return Verdict(status=VerdictStatus.UNKNOWN,
                       reason="the signature is valid but no such unit was ever minted", **signed)
    details = {**signed, "product": unit.product_name, "produced_on": unit.produced_on, "expires_on": unit.expires_on}
    if unit.state is not UnitState.COMMISSIONED:
        return Verdict(status=VerdictStatus.UNKNOWN, reason=f"the unit is {unit.state.value}, not commissioned", **details)
    return Verdict(status=VerdictStatus.GENUINE,
                   reason="signature valid and the unit was minted and commissioned by the brand", **details)
