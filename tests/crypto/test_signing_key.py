"""Brand signing keys, public keys and the algorithm allowlist."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from trace.crypto import ALLOWED_ALGORITHMS, ED25519, BrandSigningKey, PublicKey, key_id, signature_algorithm
from trace.errors import SignatureError
from trace.types import KeyId

RFC8032_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
# RFC 8032 §7.1, TEST 1: the signature of the empty message.
RFC8032_EMPTY_SIGNATURE = bytes.fromhex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
    "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
)


@pytest.fixture
def key() -> BrandSigningKey:
    return BrandSigningKey.from_private_key(Ed25519PrivateKey.from_private_bytes(RFC8032_SECRET))


def test_a_key_signs_like_rfc_8032(key: BrandSigningKey) -> None:
    assert key.kid == "Zi7aLFjF2vTyEcQ5"
    assert key.public_raw == RFC8032_PUBLIC
    assert key.sign(b"") == RFC8032_EMPTY_SIGNATURE


def test_the_public_half_verifies_and_returns_none(key: BrandSigningKey) -> None:
    public = key.public_key()
    assert public == PublicKey(kid=key.kid, raw=RFC8032_PUBLIC, status="active")
    public.verify(key.sign(b"message"), b"message")  # returns None; raising is the only failure


def test_a_wrong_signature_raises_signature_error_from_invalid_signature(key: BrandSigningKey) -> None:
    public = key.public_key()
    with pytest.raises(SignatureError, match="does not verify under key Zi7aLFjF2vTyEcQ5") as caught:
        public.verify(key.sign(b"message"), b"messagf")
    assert isinstance(caught.value.__cause__, InvalidSignature)


def test_generated_keys_are_distinct_and_named_by_their_public_key() -> None:
    first, second = BrandSigningKey.generate(), BrandSigningKey.generate()
    assert first.kid != second.kid
    assert first.kid == key_id(first.public_raw)


def test_a_signing_key_refuses_a_kid_that_is_not_its_own(key: BrandSigningKey) -> None:
    with pytest.raises(ValueError, match="does not belong to this key"):
        BrandSigningKey(kid=KeyId("AAAAAAAAAAAAAAAA"), private_key=key.private_key)


def test_the_repr_of_a_signing_key_shows_no_key_material(key: BrandSigningKey) -> None:
    assert repr(key) == "BrandSigningKey(kid='Zi7aLFjF2vTyEcQ5')"


def test_a_public_key_refuses_a_borrowed_kid() -> None:
    with pytest.raises(ValueError, match="does not match its key material"):
        PublicKey(kid=KeyId("AAAAAAAAAAAAAAAA"), raw=RFC8032_PUBLIC)


def test_a_public_key_refuses_an_unknown_status() -> None:
    with pytest.raises(ValueError, match="status 'lost'"):
        PublicKey(kid=key_id(RFC8032_PUBLIC), raw=RFC8032_PUBLIC, status="lost")  # type: ignore[arg-type]


def test_a_public_key_refuses_a_short_key() -> None:
    with pytest.raises(ValueError, match="has 31 bytes; expected 32"):
        PublicKey(kid=key_id(RFC8032_PUBLIC), raw=RFC8032_PUBLIC[:31])


def test_ed25519_is_the_only_allowed_algorithm() -> None:
    assert dict(ALLOWED_ALGORITHMS) == {"Ed25519": ED25519}
    assert signature_algorithm(kty="OKP", crv="Ed25519", alg="EdDSA") is ED25519
    assert signature_algorithm(kty="OKP", crv="Ed25519") is ED25519


@pytest.mark.parametrize(
    ("kty", "crv", "alg"),
    [("OKP", "Ed448", "EdDSA"), ("EC", "P-256", "ES256"), ("EC", "Ed25519", "EdDSA"), ("OKP", "Ed25519", "none"),
     ("OKP", None, "EdDSA")],
    ids=["ed448", "p256", "wrong-kty", "alg-none", "missing-crv"],
)
def test_other_algorithms_are_refused_by_name(kty: object, crv: object, alg: object) -> None:
    with pytest.raises(SignatureError, match=r"is not allowed; expected one of: kty=OKP crv=Ed25519 alg=EdDSA"):
        signature_algorithm(kty=kty, crv=crv, alg=alg)
