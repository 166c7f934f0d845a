"""base64url without padding, decoded strictly.

The alphabet is RFC 4648 §5 (``A–Z a–z 0–9 - _``); padding is dropped as JOSE does
(RFC 7515 §2). Decoding is strict on purpose: the standard library ignores the unused
low bits of the last character, so several strings would decode to the same bytes. A
signature carried in a code must have exactly one spelling, or changing a character
would leave it valid.

References: RFC 4648 §5 and §3.5 (canonical encoding); RFC 7515 §2 (base64url without padding).
"""

from __future__ import annotations

import base64
import binascii
import re

_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")


def b64url_encode(data: bytes) -> str:
    """Encode ``data`` as base64url without padding.

    >>> b64url_encode(b"\\xfb\\xff")
    '-_8'
    """
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode unpadded base64url, accepting only the one canonical spelling of the bytes.

    Raises ``ValueError`` naming the problem: padding, a character outside the
    alphabet, a length no byte string encodes to, or non-zero unused bits in the last
    character.

    >>> b64url_decode("-_8")
    b'\\xfb\\xff'
    """
    if "=" in text:
        raise ValueError(f"base64url value {text!r} carries '=' padding; expected none")
    if _ALPHABET.fullmatch(text) is None:
        bad = next(ch for ch in text if _ALPHABET.fullmatch(ch) is None)
        raise ValueError(f"base64url value {text!r} contains {bad!r}; expected only A-Z a-z 0-9 - _")
    if len(text) % 4 == 1:
        raise ValueError(f"base64url value {text!r} has {len(text)} characters; no byte string has that length")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as exc:  # pragma: no cover - excluded by the checks above
        raise ValueError(f"base64url value {text!r} does not decode: {exc}") from exc
    if b64url_encode(data) != text:
        raise ValueError(f"base64url value {text!r} is not canonical: its last character has unused bits set")
    return data
