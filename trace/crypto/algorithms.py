"""The signature algorithms Tracemark accepts: an allowlist, not a menu.

A published key names its algorithm; a verifier that honoured whatever a document names
could be steered to a weak or confused algorithm. Only entries of ``ALLOWED_ALGORITHMS``
are accepted; everything else is refused with the list of what would have been.

Today the table holds Ed25519 alone (deterministic, 32-byte keys, 64-byte signatures:
small enough that a signature and a key hint fit in the 90 characters of AI 8030).

References: RFC 8032 §5.1 (Ed25519); RFC 8037 §2 and §3.1 (OKP keys, JWS "EdDSA").
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from trace.errors import SignatureError


@dataclass(frozen=True)
class SignatureAlgorithm:
    """One allowed signature algorithm and how it is named in a JWK (RFC 8037)."""

    alg: str
    """JWS ``alg`` name (RFC 8037 §3.1)."""
    kty: str
    """JWK key type (RFC 8037 §2)."""
    crv: str
    """JWK curve (RFC 8037 §2); under ``alg`` "EdDSA" it is what fixes the algorithm."""
    public_key_length: int
    signature_length: int


ED25519 = SignatureAlgorithm(alg="EdDSA", kty="OKP", crv="Ed25519", public_key_length=32, signature_length=64)

ALLOWED_ALGORITHMS: Mapping[str, SignatureAlgorithm] = MappingProxyType({ED25519.crv: ED25519})
"""Allowed algorithms by JWK ``crv``."""


def signature_algorithm(*, kty: object, crv: object, alg: object = None) -> SignatureAlgorithm:
    """Return the allowed algorithm a JWK names, or raise ``SignatureError``.

    ``alg`` is optional in a JWK (RFC 7517 §4.4); when present it must agree.

    >>> signature_algorithm(kty="OKP", crv="Ed25519", alg="EdDSA").crv
    'Ed25519'
    """
    found = ALLOWED_ALGORITHMS.get(crv) if isinstance(crv, str) else None
    if found is None or kty != found.kty or (alg is not None and alg != found.alg):
        allowed = ", ".join(f"kty={a.kty} crv={a.crv} alg={a.alg}" for a in ALLOWED_ALGORITHMS.values())
        raise SignatureError(
            f"signature algorithm kty={kty!r} crv={crv!r} alg={alg!r} is not allowed; expected one of: {allowed}"
        )
    return found
