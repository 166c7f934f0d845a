"""Small key material sealed under the key-store passphrase, for keeping it in a database row.

Signing keys live in the key store as encrypted files; some key material belongs next to the
rows that use it (a brand's NTAG 424 SUN master key, read by every API worker). It is stored
as a *sealed token*, never in clear, protected by the same passphrase and the same scrypt
stretching as the key store's files, so a database dump alone reveals nothing::

    tmseal1 scrypt log2-n=17 r=8 p=1 salt=<16 bytes> nonce=<12 bytes> <ciphertext and tag>

(values base64url without padding). The cipher is AES-256-GCM with the key
``scrypt(passphrase, salt)``; the *label* (e.g. ``sun-master-key/acme/1``) is the associated
data, so a token copied into another brand's row, or another version's, does not open.

References: RFC 7914 (scrypt); NIST SP 800-38D (GCM); RFC 4648 §5 (base64url).

>>> token = seal_secret(b"passphrase", b"k" * 16, label="demo/1", scrypt_log2_n=10)
>>> token.startswith("tmseal1 scrypt log2-n=10 r=8 p=1 salt=")
True
>>> open_secret(b"passphrase", token, label="demo/1")
b'kkkkkkkkkkkkkkkk'
"""

from __future__ import annotations

import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from trace.crypto.base64url import b64url_decode, b64url_encode
from trace.errors import KeyStoreError

SCRYPT_R = 8
SCRYPT_P = 1
MAX_SCRYPT_LOG2_N = 20  # 1 GiB at r=8: a damaged token must not exhaust memory
_SALT_BYTES = 16
_NONCE_BYTES = 12
_TOKEN = re.compile(
    r"tmseal1 scrypt log2-n=(\d{1,2}) r=(\d{1,2}) p=(\d) salt=([A-Za-z0-9_-]{22}) nonce=([A-Za-z0-9_-]{16})"
    r" ([A-Za-z0-9_-]{22,})"
)


def _key(passphrase: bytes, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p).derive(passphrase)


def seal_secret(passphrase: bytes, secret: bytes, *, label: str, scrypt_log2_n: int) -> str:
    """The sealed token of ``secret`` for ``label`` (randomised: two seals never match)."""
    if not passphrase:
        raise ValueError("the passphrase must not be empty")
    if not 10 <= scrypt_log2_n <= MAX_SCRYPT_LOG2_N:
        raise ValueError(f"scrypt_log2_n must be within 10..{MAX_SCRYPT_LOG2_N}, found {scrypt_log2_n}")
    salt, nonce = os.urandom(_SALT_BYTES), os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_key(passphrase, salt, scrypt_log2_n, SCRYPT_R, SCRYPT_P)).encrypt(nonce, secret, label.encode())
    return (f"tmseal1 scrypt log2-n={scrypt_log2_n} r={SCRYPT_R} p={SCRYPT_P} salt={b64url_encode(salt)}"
            f" nonce={b64url_encode(nonce)} {b64url_encode(sealed)}")


def open_secret(passphrase: bytes, token: str, *, label: str) -> bytes:
    """The secret inside ``token``, sealed for ``label``.

    Raises:
        KeyStoreError: the token is malformed, asks for out-of-range scrypt parameters, was
            sealed under another passphrase or label, or was altered. The message names the
            label, never the passphrase.
    """
    match = _TOKEN.fullmatch(token)
    if match is None:
        raise KeyStoreError(f"sealed {label} is not a tmseal1 token")
    log2_n, r, p = (int(group) for group in match.group(1, 2, 3))
    if not (10 <= log2_n <= MAX_SCRYPT_LOG2_N and 1 <= r <= 8 and p >= 1):
        raise KeyStoreError(f"sealed {label} has out-of-range scrypt parameters log2-n={log2_n} r={r} p={p}")
    try:
        salt, nonce, sealed = (b64url_decode(group) for group in match.group(4, 5, 6))
    except ValueError as exc:
        raise KeyStoreError(f"sealed {label} is not a tmseal1 token: {exc}") from exc
    try:
        return AESGCM(_key(passphrase, salt, log2_n, r, p)).decrypt(nonce, sealed, label.encode())
    except InvalidTag as exc:
        raise KeyStoreError(
            f"sealed {label} cannot be opened: wrong key-store passphrase, another label, or altered"
        ) from exc
