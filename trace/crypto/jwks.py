"""A brand's published keys, as a JWKS-style JSON document.

This is what a brand serves at its well-known URL and what an offline verifier
downloads: every key the brand ever signed with, each with its status, because a
verifier must learn about retirements (old codes stay valid) and revocations (codes are
refused). The shape is a JSON Web Key Set (RFC 7517 §5) with OKP/Ed25519 keys (RFC 8037
§2), plus a top-level ``brand`` and a per-key ``status``::

    {"brand": "acme",
     "keys": [{"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig",
               "kid": "<16 chars>", "x": "<base64url raw key>", "status": "active"}]}

Parsing trusts nothing: the algorithm must be on the allowlist, ``x`` must be canonical
base64url of 32 bytes, and the kid must be the one derived from ``x`` (a document cannot
give a key someone else's name). Any problem raises ``SignatureError``: keys that cannot
be trusted leave nothing to verify against.

References: RFC 7517 §4, §5 (JWK, JWK Set); RFC 8037 §2 (OKP keys).
"""

from __future__ import annotations

from typing import Any, Sequence

from trace.crypto.algorithms import ED25519, signature_algorithm
from trace.crypto.base64url import b64url_decode, b64url_encode
from trace.crypto.key_id import key_id
from trace.crypto.signing_key import KEY_STATUSES, PublicKey
from trace.errors import SignatureError
from trace.types import KeyId


def published_keys_document(brand: str, keys: Sequence[PublicKey]) -> dict[str, Any]:
    """Return the published-keys document of ``brand`` (JSON-serialisable)."""
    return {
        "brand": brand,
        "keys": [
            {
                "kty": ED25519.kty,
                "crv": ED25519.crv,
                "alg": ED25519.alg,
                "use": "sig",
                "kid": key.kid,
                "x": b64url_encode(key.raw),
                "status": key.status,
            }
            for key in keys
        ],
    }


def parse_published_keys(doc: dict[str, Any]) -> tuple[str, list[PublicKey]]:
    """Return ``(brand, keys)`` from a published-keys document, checking every key.

    Raises ``SignatureError`` naming the brand, the key's position and kid, what was
    expected and what was found.
    """
    if not isinstance(doc, dict):
        raise SignatureError(f"published keys document is {type(doc).__name__}; expected a JSON object")
    brand = doc.get("brand")
    if not isinstance(brand, str) or not brand:
        raise SignatureError(f"published keys document has brand {brand!r}; expected a non-empty string")
    entries = doc.get("keys")
    if not isinstance(entries, list):
        raise SignatureError(f"published keys of brand {brand!r} have 'keys' {type(entries).__name__}; expected a list")
    keys: list[PublicKey] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries):
        where = f"published keys of brand {brand!r}, key #{position}"
        key = _parse_key(entry, where)
        if key.kid in seen:
            raise SignatureError(f"{where}: kid {key.kid!r} appears twice; expected each key once")
        seen.add(key.kid)
        keys.append(key)
    return brand, keys


def _parse_key(entry: object, where: str) -> PublicKey:
    if not isinstance(entry, dict):
        raise SignatureError(f"{where} is {type(entry).__name__}; expected a JSON object")
    where = f"{where} (kid {entry.get('kid')!r})"
    try:
        algorithm = signature_algorithm(kty=entry.get("kty"), crv=entry.get("crv"), alg=entry.get("alg"))
    except SignatureError as exc:
        raise SignatureError(f"{where}: {exc}") from exc
    use = entry.get("use", "sig")
    if use != "sig":
        raise SignatureError(f"{where}: 'use' is {use!r}; expected 'sig'")
    x = entry.get("x")
    if not isinstance(x, str):
        raise SignatureError(f"{where}: 'x' is {type(x).__name__}; expected a base64url string")
    try:
        raw = b64url_decode(x)
    except ValueError as exc:
        raise SignatureError(f"{where}: 'x' is not valid: {exc}") from exc
    if len(raw) != algorithm.public_key_length:
        raise SignatureError(f"{where}: 'x' holds {len(raw)} bytes; expected {algorithm.public_key_length}")
    kid = entry.get("kid")
    derived = key_id(raw)
    if kid != derived:
        raise SignatureError(f"{where}: kid does not match the key material; expected {derived!r} (key_id of 'x')")
    status = entry.get("status")
    if status not in KEY_STATUSES:
        raise SignatureError(f"{where}: status is {status!r}; expected one of {sorted(KEY_STATUSES)}")
    return PublicKey(kid=KeyId(derived), raw=raw, status=status)
