"""A brand's signing key (private, kept in a key store) and its public half.

``BrandSigningKey`` signs; ``PublicKey`` is what everyone else holds: the raw key, its
kid and its status. ``PublicKey.verify`` returns ``None`` or raises ``SignatureError``;
there is no boolean to forget to check.

Status follows the key's life: ``active`` (signs new codes), ``retired`` (signs nothing
new, but its codes still verify: rotation must not void printed labels), ``revoked``
(compromised or withdrawn: its codes are refused; see ``verify_code``).

References: RFC 8032 §5.1 (Ed25519).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from trace.crypto.algorithms import ED25519
from trace.crypto.key_id import key_id
from trace.errors import SignatureError
from trace.types import KeyId

KeyStatus = Literal["active", "retired", "revoked"]
KEY_STATUSES: frozenset[str] = frozenset({"active", "retired", "revoked"})


def _raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class BrandSigningKey:
    """A brand's Ed25519 private key and its kid. Build with ``generate`` or ``from_private_key``."""

    kid: KeyId
    private_key: Ed25519PrivateKey = field(repr=False)
    _public_raw: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.private_key, Ed25519PrivateKey):
            raise TypeError(f"private_key is {type(self.private_key).__name__}; expected Ed25519PrivateKey")
        public_raw = _raw_public(self.private_key.public_key())
        if key_id(public_raw) != self.kid:
            raise ValueError(f"kid {self.kid!r} does not belong to this key; its kid is {key_id(public_raw)!r}")
        object.__setattr__(self, "_public_raw", public_raw)

    @classmethod
    def generate(cls) -> BrandSigningKey:
        """Return a fresh key from the operating system's random source."""
        return cls.from_private_key(Ed25519PrivateKey.generate())

    @classmethod
    def from_private_key(cls, private_key: Ed25519PrivateKey) -> BrandSigningKey:
        """Wrap an existing private key, deriving its kid."""
        return cls(kid=key_id(_raw_public(private_key.public_key())), private_key=private_key)

    @property
    def public_raw(self) -> bytes:
        """The raw 32-byte public key (RFC 8032 §5.1.5)."""
        return self._public_raw

    def public_key(self, *, status: KeyStatus = "active") -> PublicKey:
        """Return the public half, to publish or to verify with."""
        return PublicKey(kid=self.kid, raw=self._public_raw, status=status)

    def sign(self, message: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of ``message`` (deterministic, RFC 8032 §5.1.6)."""
        return self.private_key.sign(message)


@dataclass(frozen=True)
class PublicKey:
    """A published Ed25519 public key: kid, raw 32 bytes and status.

    Construction checks that the kid is the one derived from ``raw``, so a ``PublicKey``
    can never carry a borrowed name.
    """

    kid: KeyId
    raw: bytes = field(repr=False)
    status: KeyStatus = "active"
    _key: Ed25519PublicKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.raw) != ED25519.public_key_length:
            raise ValueError(f"public key {self.kid!r} has {len(self.raw)} bytes; expected {ED25519.public_key_length}")
        if self.status not in KEY_STATUSES:
            raise ValueError(f"key {self.kid!r} has status {self.status!r}; expected one of {sorted(KEY_STATUSES)}")
        if key_id(self.raw) != self.kid:
            raise ValueError(f"kid {self.kid!r} does not match its key material; key_id(raw) is {key_id(self.raw)!r}")
        object.__setattr__(self, "_key", Ed25519PublicKey.from_public_bytes(self.raw))

    def verify(self, signature: bytes, message: bytes) -> None:
        """Return if ``signature`` is this key's signature of ``message``; else raise ``SignatureError``.

        The status is not consulted here: deciding what a revoked key's valid signature
        means is the caller's job (``verify_code`` refuses it).
        """
        try:
            self._key.verify(signature, message)
        except InvalidSignature as exc:
            raise SignatureError(f"Ed25519 signature does not verify under key {self.kid}") from exc
