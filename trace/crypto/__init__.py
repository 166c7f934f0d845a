"""trace.crypto: brand signing keys, the signed code message and its AI 8030 form,
published keys (JWKS) and private key stores. Pure: imports only ``cryptography``,
``trace.errors`` and ``trace.types``.
"""

from trace.crypto.algorithms import ALLOWED_ALGORITHMS, ED25519, SignatureAlgorithm, signature_algorithm
from trace.crypto.code_signature import (
    AI8030_LENGTH,
    code_message,
    decode_ai8030,
    encode_ai8030,
    sign_code,
    verify_code,
)
from trace.crypto.jwks import parse_published_keys, published_keys_document
from trace.crypto.key_id import is_key_id, key_hint, key_id
from trace.crypto.key_store import (
    DEVELOPMENT_PASSPHRASE,
    DevelopmentKeyStore,
    DevelopmentKeyWarning,
    FileKeyStore,
    KeyStore,
)
from trace.crypto.signing_key import KEY_STATUSES, BrandSigningKey, KeyStatus, PublicKey

__all__ = [
    "AI8030_LENGTH",
    "ALLOWED_ALGORITHMS",
    "DEVELOPMENT_PASSPHRASE",
    "ED25519",
    "KEY_STATUSES",
    "BrandSigningKey",
    "DevelopmentKeyStore",
    "DevelopmentKeyWarning",
    "FileKeyStore",
    "KeyStatus",
    "KeyStore",
    "PublicKey",
    "SignatureAlgorithm",
    "code_message",
    "decode_ai8030",
    "encode_ai8030",
    "is_key_id",
    "key_hint",
    "key_id",
    "parse_published_keys",
    "published_keys_document",
    "sign_code",
    "signature_algorithm",
    "verify_code",
]
