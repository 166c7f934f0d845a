"""Offline signature check of a code: the Digital Link and the brand's published keys only."""

from __future__ import annotations

from dataclasses import dataclass

from trace.crypto import decode_ai8030, verify_code
from trace.errors import SignatureError
from trace.identifiers import DigitalLink
from verify.keyring import KeyRing


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    brand: str
    kid: str
    key_status: str


def check_signature(link: DigitalLink, ring: KeyRing) -> SignatureCheck:
    """Verify AI 8030 of ``link`` against the keys in ``ring``.

    Raises:
        SignatureError: no signature, unknown key, revoked key, or a signature that does not
            match the brand, key, GTIN, lot and serial it claims.

    References: GS1 General Specifications §3.9.x (AI 8030 digital signature).
    """
    if link.signature is None:
        raise SignatureError(f"code {link.as_uri()!r} carries no signature (AI 8030)")
    gtin = link.gtin
    if gtin is None or link.serial is None:
        raise SignatureError("a signed code must be a serialised GTIN (AI 01 with AI 21)")
    hint, _ = decode_ai8030(link.signature)
    candidates = ring.candidates(hint)
    if not candidates:
        raise SignatureError(f"signature made with an unknown key (hint {hint!r})")
    last_error: SignatureError | None = None
    for trusted in candidates:
        try:
            key = verify_code([trusted.key], link.signature, brand=trusted.brand, gtin14=gtin.value,
                              lot=link.lot or "", serial=link.serial)
        except SignatureError as exc:
            last_error = exc
            continue
        return SignatureCheck(brand=trusted.brand, kid=key.kid, key_status=key.status)
    assert last_error is not None
    raise last_error
