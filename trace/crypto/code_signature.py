"""The signed one-item-one-code message and its AI 8030 form.

What is signed (``code_message``) is a UTF-8 text, one field per line, in fixed order::

    tracemark/code/v1\\n
    brand=<brand>\\n
    kid=<kid>\\n
    gtin=<GTIN-14>\\n
    lot=<lot, may be empty>\\n
    serial=<serial>\\n

The first line separates this message from anything else a brand key might sign. It is
unambiguous because names and order are fixed and no value may contain a line break:
every value must be printable (``str.isprintable``: no control characters, no Unicode
line or paragraph separators), so a line ends exactly where its value does. An ``=``
inside a value is harmless: only the first ``=`` of a line follows a name. Brand, kid,
GTIN and serial must be non-empty; the lot may be empty (codes without a lot).
The kid is signed so that a signature cannot be passed off under another key's name;
the brand is signed so that a code cannot be replayed under another brand.

AI 8030 carries ``base64url(hint || signature)`` without padding: 3 hint bytes (the
first 3 bytes of the kid digest, see ``key_id``) and the 64-byte Ed25519 signature,
67 bytes, exactly 90 characters, the most AI 8030 allows.

References: GS1 General Specifications, AI (8030) Digital Signature (up to 90
characters of GS1 CSET 64, the base64url set); GS1 Digital Signatures Technical
Implementation Guideline 1.0 (2024); GS1 Digital Link (``?8030=``); RFC 4648 §5;
RFC 8032 §5.1.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from typing import Sequence

from trace.crypto.algorithms import ED25519
from trace.crypto.base64url import b64url_decode
from trace.crypto.key_id import HINT_BYTES, HINT_LENGTH, is_key_id
from trace.crypto.signing_key import BrandSigningKey, PublicKey
from trace.errors import SignatureError
from trace.types import KeyId

AI8030_LENGTH = 90
"""Characters of an AI 8030 value: base64url of 3 hint bytes and a 64-byte signature."""

_DOMAIN = "tracemark/code/v1\n"
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


def code_message(*, brand: str, kid: KeyId, gtin14: str, lot: str, serial: str) -> bytes:
    """Return the canonical bytes signed for one code (layout in the module docstring).

    Raises ``ValueError`` if a value is empty where it may not be or is not printable.

    >>> code_message(brand="acme", kid=KeyId("Pz6aG2wRKoQ8QftP"), gtin14="09506000134352", lot="", serial="A1")
    b'tracemark/code/v1\\nbrand=acme\\nkid=Pz6aG2wRKoQ8QftP\\ngtin=09506000134352\\nlot=\\nserial=A1\\n'
    """
    return _message(_message_head(brand, kid), gtin14, lot, serial)


def encode_ai8030(kid: KeyId, signature: bytes) -> str:
    """Return the AI 8030 value carrying ``signature`` and the hint of ``kid``: 90 base64url characters."""
    if len(signature) != ED25519.signature_length:
        raise ValueError(f"signature has {len(signature)} bytes; expected {ED25519.signature_length}")
    return _encode(_hint_bytes(kid), signature)


def decode_ai8030(value: str) -> tuple[str, bytes]:
    """Split an AI 8030 value into the key hint (4 characters) and the 64-byte signature.

    Raises ``SignatureError`` naming what is wrong: padding, a character outside
    base64url, the length, or a non-canonical last character.
    """
    if "=" in value:
        raise SignatureError(f"AI 8030 value {value!r} carries '=' padding; expected unpadded base64url")
    if _BASE64URL.fullmatch(value) is None:
        bad = next(ch for ch in value if _BASE64URL.fullmatch(ch) is None)
        raise SignatureError(
            f"AI 8030 value {value!r} contains {bad!r}; expected only base64url characters A-Z a-z 0-9 - _"
        )
    if len(value) != AI8030_LENGTH:
        raise SignatureError(
            f"AI 8030 value {value!r} has {len(value)} characters; expected exactly {AI8030_LENGTH}"
        )
    try:
        data = b64url_decode(value)
    except ValueError as exc:
        raise SignatureError(f"AI 8030 value {value!r} is not canonical base64url: {exc}") from exc
    return value[:HINT_LENGTH], data[HINT_BYTES:]


def sign_code(key: BrandSigningKey, *, brand: str, gtin14: str, lot: str, serial: str) -> str:
    """Sign one code with ``key`` and return its AI 8030 value.

    Hot path (minting signs hundreds of thousands of codes): the message head for
    (brand, kid) and the hint bytes are cached; per call only the tail is built.
    """
    signature = key.private_key.sign(_message(_message_head(brand, key.kid), gtin14, lot, serial))
    return _encode(_hint_bytes(key.kid), signature)


def verify_code(keys: Sequence[PublicKey], value: str, *, brand: str, gtin14: str, lot: str, serial: str) -> PublicKey:
    """Verify an AI 8030 value against ``brand``'s published ``keys``; return the key that signed.

    Raises ``SignatureError`` if the value is malformed, no key has its hint ("made with
    an unknown key"), the signature matches no candidate, or it matches a revoked key
    (refused although mathematically valid: revocation must stop a leaked key's codes).
    Retired keys still verify. Fields that cannot be part of a signed message (a line
    break in a serial, say) are a mismatch too, never a ``ValueError``: they come from
    outside.
    """
    hint, signature = decode_ai8030(value)
    candidates = [key for key in keys if key.kid.startswith(hint)]
    if not candidates:
        raise SignatureError(
            f"AI 8030 signature for brand {brand!r} was made with an unknown key: "
            f"no published key id starts with hint {hint!r} ({len(keys)} keys published)"
        )
    for key in candidates:
        try:
            message = _message(_message_head(brand, key.kid), gtin14, lot, serial)
        except ValueError as exc:
            raise SignatureError(f"AI 8030 signature cannot match this code: {exc}") from exc
        try:
            key.verify(signature, message)
        except SignatureError:
            continue
        if key.status == "revoked":
            raise SignatureError(f"AI 8030 signature for brand {brand!r} was signed with revoked key {key.kid}")
        return key
    kids = ", ".join(key.kid for key in candidates)
    raise SignatureError(
        f"AI 8030 signature does not match brand {brand!r}, GTIN {gtin14!r}, lot {lot!r}, serial {serial!r} "
        f"under key {kids}"
    )


@lru_cache(maxsize=1024)
def _message_head(brand: str, kid: str) -> str:
    _check_field("brand", brand, may_be_empty=False)
    if not is_key_id(kid):
        raise ValueError(f"kid {kid!r} is not a key id; expected 16 base64url characters")
    return f"{_DOMAIN}brand={brand}\nkid={kid}\n"


def _message(head: str, gtin14: str, lot: str, serial: str) -> bytes:
    # One combined test on the hot path; the per-field checks only run to explain a failure.
    if not (gtin14 and serial and gtin14.isprintable() and lot.isprintable() and serial.isprintable()):
        _check_field("gtin", gtin14, may_be_empty=False)
        _check_field("lot", lot, may_be_empty=True)
        _check_field("serial", serial, may_be_empty=False)
    return f"{head}gtin={gtin14}\nlot={lot}\nserial={serial}\n".encode()


def _check_field(name: str, value: str, *, may_be_empty: bool) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} is {type(value).__name__}; expected str")
    if not value and not may_be_empty:
        raise ValueError(f"{name} is empty; expected a value")
    if not value.isprintable():
        bad = next(ch for ch in value if not ch.isprintable())
        raise ValueError(f"{name} {value!r} contains non-printable {bad!r}; expected printable characters only")


@lru_cache(maxsize=1024)
def _hint_bytes(kid: str) -> bytes:
    if not is_key_id(kid):
        raise ValueError(f"kid {kid!r} is not a key id; expected 16 base64url characters")
    return b64url_decode(kid[:HINT_LENGTH])


def _encode(hint: bytes, signature: bytes) -> str:
    # 67 bytes encode to 92 padded characters; the last 2 are always "==".
    return base64.urlsafe_b64encode(hint + signature)[:AI8030_LENGTH].decode("ascii")
