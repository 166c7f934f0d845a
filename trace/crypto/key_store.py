"""Where private signing keys live: an interface, an encrypted file store, a loud dev store.

``FileKeyStore`` keeps one file per key, ``<kid>.pem``: an encrypted PKCS#8 PEM block
(RFC 5958, PBES2 of RFC 8018) preceded by two lines of explanatory text, which PEM
readers skip (RFC 7468 §2)::

    Tracemark signing key <kid>
    Tracemark-Key-Encryption: scrypt log2-n=17 r=8 p=1 salt=<16 bytes, base64url>
    -----BEGIN ENCRYPTED PRIVATE KEY-----

Why the scrypt line: cryptography 50 encrypts PKCS#8 only with its "best available"
scheme, PBKDF2-HMAC-SHA256 at 2,048 iterations with AES-256-CBC, and offers no knob for
PKCS#8 (``encryption_builder`` serves OpenSSH, which needs the ``bcrypt`` package, and
PKCS#12). 2,048 PBKDF2 rounds make a weak passphrase cheap to guess from a stolen file,
so the PKCS#8 password is not the passphrase but ``scrypt(passphrase, salt)`` (RFC 7914;
N = 2^17, r = 8, p = 1: 128 MiB and about half a second per save or load, done once per
key, not per code). The parameters and the salt are in the file, so they can grow later.
To open a file with OpenSSL, derive that 32-byte password first.

Files are written mode 0600 in a 0700 directory, atomically (temporary file, fsync,
``os.replace``): a crash leaves the old key or the new one, never half a key. Errors name
the kid, never the passphrase.

Key material that must live in a database row (a brand's SUN master key) is sealed by the
same store: :meth:`FileKeyStore.seal_secret` / :meth:`FileKeyStore.open_secret`, same
passphrase, same scrypt work factor (``trace.crypto.sealed_secret``).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import warnings
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    PrivateFormat,
    load_pem_private_key,
)

from trace.crypto.base64url import b64url_decode, b64url_encode
from trace.crypto.key_id import is_key_id
from trace.crypto.sealed_secret import open_secret, seal_secret
from trace.crypto.signing_key import BrandSigningKey
from trace.errors import ConfigurationError, KeyStoreError
from trace.types import KeyId

DEVELOPMENT_PASSPHRASE = b"tracemark-development-only"
"""The published passphrase of ``DevelopmentKeyStore``; settings refuse it in production."""

_SCRYPT_LOG2_N = 17
_SCRYPT_R = 8
_SCRYPT_P = 1
_SALT_BYTES = 16
_MAX_SCRYPT_LOG2_N = 20  # 1 GiB at r=8: a damaged header must not exhaust memory
_ENCRYPTION_LINE = re.compile(
    rb"^Tracemark-Key-Encryption: scrypt log2-n=(\d{1,2}) r=(\d{1,2}) p=(\d) salt=([A-Za-z0-9_-]{22})$",
    re.MULTILINE,
)


class KeyStore(Protocol):
    """Keeps brands' private signing keys; implementations are chosen by configuration."""

    def save(self, key: BrandSigningKey) -> None:
        """Store ``key`` under its kid; raise ``KeyStoreError`` if it cannot be stored."""
        ...

    def load(self, kid: KeyId) -> BrandSigningKey:
        """Return the key ``kid``; raise ``KeyStoreError`` if it is missing or cannot be decrypted."""
        ...

    def seal_secret(self, label: str, secret: bytes) -> str:
        """A sealed token of ``secret`` (key material kept in a database row), bound to ``label``."""
        ...

    def open_secret(self, label: str, token: str) -> bytes:
        """The secret in ``token``; raise ``KeyStoreError`` if it was sealed otherwise or altered."""
        ...


class FileKeyStore:
    """Private keys as passphrase-encrypted PKCS#8 files, one per kid, in ``directory``."""

    def __init__(self, directory: Path, passphrase: bytes, *, scrypt_log2_n: int = _SCRYPT_LOG2_N) -> None:
        """``scrypt_log2_n`` sets the work factor of new files (lower only in tests: 2^17 is
        the OWASP-recommended minimum for interactive logins and costs ~0.4 s per save/load)."""
        if not 10 <= scrypt_log2_n <= _MAX_SCRYPT_LOG2_N:
            raise ValueError(f"scrypt_log2_n must be within 10..{_MAX_SCRYPT_LOG2_N}")
        if not isinstance(passphrase, bytes):
            raise TypeError(f"passphrase is {type(passphrase).__name__}; expected bytes")
        if not passphrase:
            raise ConfigurationError(f"key store {directory}: the passphrase is empty; expected a secret passphrase")
        self._directory = Path(directory)
        self._passphrase = passphrase
        self._log2_n = scrypt_log2_n

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self._directory)!r})"

    @property
    def directory(self) -> Path:
        """The folder holding the key files."""
        return self._directory

    def save(self, key: BrandSigningKey) -> None:
        """Encrypt ``key`` and write it atomically to ``<kid>.pem`` (mode 0600)."""
        salt = os.urandom(_SALT_BYTES)
        password = _stretch(self._passphrase, salt, self._log2_n, _SCRYPT_R, _SCRYPT_P)
        pem = key.private_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(password))
        header = (
            f"Tracemark signing key {key.kid}\n"
            f"Tracemark-Key-Encryption: scrypt log2-n={self._log2_n} r={_SCRYPT_R} p={_SCRYPT_P} "
            f"salt={b64url_encode(salt)}\n"
        )
        try:
            self._ensure_directory()
            _write_atomically(self._path(key.kid), header.encode("ascii") + pem)
        except OSError as exc:
            raise KeyStoreError(f"private key {key.kid} cannot be stored in {self._directory}: {exc.strerror}") from exc

    def load(self, kid: KeyId) -> BrandSigningKey:
        """Read and decrypt the key ``kid``."""
        if not is_key_id(kid):
            raise KeyStoreError(f"{kid!r} is not a key id; expected 16 base64url characters")
        path = self._path(kid)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise KeyStoreError(f"no private key {kid} in key store {self._directory}") from exc
        except OSError as exc:
            raise KeyStoreError(f"private key {kid} cannot be read from {path}: {exc.strerror}") from exc
        match = _ENCRYPTION_LINE.search(data)
        if match is None:
            raise KeyStoreError(f"private key file {path} has no valid Tracemark-Key-Encryption line")
        log2_n, r, p = (int(group) for group in match.group(1, 2, 3))
        if not (1 <= log2_n <= _MAX_SCRYPT_LOG2_N and 1 <= r <= 8 and p >= 1):
            raise KeyStoreError(f"private key file {path} has out-of-range scrypt parameters {match.group(0)!r}")
        password = _stretch(self._passphrase, b64url_decode(match.group(4).decode("ascii")), log2_n, r, p)
        try:
            private_key = load_pem_private_key(data, password)
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            raise KeyStoreError(f"private key {kid} cannot be decrypted: wrong passphrase or damaged file") from exc
        if not isinstance(private_key, Ed25519PrivateKey):
            raise KeyStoreError(f"private key {kid} is {type(private_key).__name__}; expected an Ed25519 key")
        key = BrandSigningKey.from_private_key(private_key)
        if key.kid != kid:
            raise KeyStoreError(f"private key file {path} holds key {key.kid}; expected key {kid}")
        return key

    def seal_secret(self, label: str, secret: bytes) -> str:
        """Seal ``secret`` under this store's passphrase (scrypt, AES-256-GCM, ``label`` bound)."""
        return seal_secret(self._passphrase, secret, label=label, scrypt_log2_n=self._log2_n)

    def open_secret(self, label: str, token: str) -> bytes:
        """Open a token sealed by :meth:`seal_secret` for ``label``."""
        return open_secret(self._passphrase, token, label=label)

    def _path(self, kid: str) -> Path:
        return self._directory / f"{kid}.pem"

    def _ensure_directory(self) -> None:
        if not self._directory.is_dir():
            self._directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(self._directory, 0o700)


class DevelopmentKeyWarning(UserWarning):
    """Keys are kept with the published development passphrase: they are not protected."""


class DevelopmentKeyStore(FileKeyStore):
    """A ``FileKeyStore`` with the published ``DEVELOPMENT_PASSPHRASE``; warns when created."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory, DEVELOPMENT_PASSPHRASE)
        warnings.warn(
            f"DevelopmentKeyStore({str(directory)!r}): private signing keys are encrypted with the published "
            "development passphrase and are not protected; configure a FileKeyStore passphrase outside development",
            DevelopmentKeyWarning,
            stacklevel=2,
        )


def _stretch(passphrase: bytes, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p).derive(passphrase)


def _write_atomically(path: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    directory_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory_fd)
    finally:
        os.close(directory_fd)
