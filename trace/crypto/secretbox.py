"""Secrets at rest and keyed hashes, both derived from the server secret.

One server secret (``TRACEMARK_SECRET_KEY``) serves several purposes; HKDF (RFC 5869) with a
distinct ``info`` label per purpose keeps them independent: a key that encrypts leads is
never the key that hashes them, so leaking one derived key exposes nothing else.

Encryption is Fernet (AES-128-CBC + HMAC-SHA256, authenticated, with a timestamp) from
``cryptography``; keyed hashes are HMAC-SHA256, so a stolen table cannot be reversed by
hashing a dictionary of e-mail addresses without the secret.

References: RFC 5869 (HKDF), RFC 2104 (HMAC), Fernet specification
(https://github.com/fernet/spec/blob/master/Spec.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from trace.errors import KeyStoreError

_SALT = b"tracemark secretbox v1"


def derive_key(secret: bytes, purpose: str, *, length: int = 32) -> bytes:
    """``length`` bytes for ``purpose`` from the server secret (HKDF-SHA256, RFC 5869)."""
    if not secret:
        raise ValueError("the server secret must not be empty")
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=_SALT, info=purpose.encode()).derive(secret)


def keyed_hash(secret: bytes, purpose: str, data: bytes) -> bytes:
    """HMAC-SHA256 of ``data`` under the key derived for ``purpose`` (32 bytes)."""
    return hmac.new(derive_key(secret, f"{purpose}/hash"), data, hashlib.sha256).digest()


class SecretBox:
    """Encrypts and decrypts small values for one purpose ("leads", "webhooks", …)."""

    def __init__(self, secret: bytes, purpose: str) -> None:
        self.purpose = purpose
        self._fernet = Fernet(base64.urlsafe_b64encode(derive_key(secret, f"{purpose}/encrypt")))

    def seal(self, plaintext: bytes) -> bytes:
        """The Fernet token for ``plaintext`` (ASCII bytes; authenticated, randomised)."""
        return self._fernet.encrypt(plaintext)

    def open(self, token: bytes) -> bytes:
        """The plaintext of ``token``.

        Raises:
            KeyStoreError: the token was not sealed by this box (other secret, other purpose, or altered).
        """
        try:
            return self._fernet.decrypt(token)
        except InvalidToken as exc:
            raise KeyStoreError(
                f"cannot open a sealed {self.purpose} value: it was sealed under another secret or altered"
            ) from exc
