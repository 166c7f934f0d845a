"""Key ids: a short name for a public signing key, derived from the key itself.

A kid is ``base64url(SHA-256(b"tracemark-kid-v1\\x00" || public key)[:12])``: 16
characters, the same wherever it is computed, so nobody has to be trusted to assign it.
The domain-separation prefix keeps it from colliding with any other hash of the same key.
96 bits are plenty for a name; authenticity comes from the signature, never from the kid.

The *hint* is the kid's first 4 characters, which are exactly the digest's first 3 bytes.
The hint travels inside every code (AI 8030 has room for 3 bytes next to a 64-byte
signature: 67 bytes are exactly 90 base64url characters, the AI's maximum); the full kid
travels in the brand's published keys. A verifier picks the published keys whose kid
starts with the hint and tries each, so a hint shared by two keys costs one more
verification, never a wrong answer.
"""

from __future__ import annotations

import hashlib
import re

from trace.crypto.base64url import b64url_encode
from trace.types import KeyId

KID_LENGTH = 16
"""Characters in a kid (12 digest bytes)."""

HINT_LENGTH = 4
"""Characters in a key hint (3 digest bytes, aligned to whole base64url groups)."""

HINT_BYTES = 3
"""Bytes of the key hint as carried in AI 8030."""

_KID_DOMAIN = b"tracemark-kid-v1\x00"
_KID_DIGEST_BYTES = 12
_PUBLIC_KEY_LENGTH = 32
_KID_PATTERN = re.compile(r"[A-Za-z0-9_-]{16}")


def key_id(public_key_raw: bytes) -> KeyId:
    """Return the kid of a raw 32-byte Ed25519 public key.

    >>> key_id(bytes(32))
    'Pz6aG2wRKoQ8QftP'
    """
    if len(public_key_raw) != _PUBLIC_KEY_LENGTH:
        raise ValueError(f"public key has {len(public_key_raw)} bytes; expected {_PUBLIC_KEY_LENGTH}")
    digest = hashlib.sha256(_KID_DOMAIN + public_key_raw).digest()
    return KeyId(b64url_encode(digest[:_KID_DIGEST_BYTES]))


def key_hint(kid: KeyId) -> str:
    """Return the hint of ``kid``: its first 4 characters (the digest's first 3 bytes).

    >>> key_hint(KeyId("Pz6aG2wRKoQ8QftP"))
    'Pz6a'
    """
    if not is_key_id(kid):
        raise ValueError(f"kid {kid!r} is not a key id; expected {KID_LENGTH} base64url characters")
    return kid[:HINT_LENGTH]


def is_key_id(value: object) -> bool:
    """Tell whether ``value`` is spelled like a kid (16 base64url characters).

    Callers use it before a kid from outside names a file or a database row.
    """
    return isinstance(value, str) and _KID_PATTERN.fullmatch(value) is not None
