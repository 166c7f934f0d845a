"""Key ids and hints, and the strict base64url they are spelled in."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from trace.crypto import is_key_id, key_hint, key_id
from trace.crypto.base64url import b64url_decode, b64url_encode
from trace.types import KeyId

# RFC 8032 §7.1, TEST 1: a published Ed25519 key pair.
RFC8032_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
RFC8032_KID = "Zi7aLFjF2vTyEcQ5"


def test_the_rfc_8032_secret_gives_the_rfc_8032_public_key() -> None:
    public = Ed25519PrivateKey.from_private_bytes(RFC8032_SECRET).public_key()
    assert public.public_bytes(Encoding.Raw, PublicFormat.Raw) == RFC8032_PUBLIC


def test_key_id_of_the_rfc_8032_key_is_pinned() -> None:
    assert key_id(RFC8032_PUBLIC) == RFC8032_KID


def test_key_id_is_the_domain_separated_truncated_sha256() -> None:
    digest = hashlib.sha256(b"tracemark-kid-v1\x00" + RFC8032_PUBLIC).digest()
    assert key_id(RFC8032_PUBLIC) == base64.urlsafe_b64encode(digest[:12]).decode()
    assert len(key_id(RFC8032_PUBLIC)) == 16


def test_key_id_of_the_all_zero_key_is_pinned() -> None:
    assert key_id(bytes(32)) == "Pz6aG2wRKoQ8QftP"


def test_key_hint_is_the_first_four_characters_which_are_the_first_three_digest_bytes() -> None:
    digest = hashlib.sha256(b"tracemark-kid-v1\x00" + RFC8032_PUBLIC).digest()
    assert key_hint(KeyId(RFC8032_KID)) == "Zi7a"
    assert b64url_decode(key_hint(KeyId(RFC8032_KID))) == digest[:3]


@pytest.mark.parametrize("length", [0, 31, 33, 64])
def test_key_id_refuses_a_public_key_of_the_wrong_length(length: int) -> None:
    with pytest.raises(ValueError, match=f"has {length} bytes; expected 32"):
        key_id(bytes(length))


@pytest.mark.parametrize("bad", ["Zi7a", "Zi7aLFjF2vTyEcQ5x", "Zi7aLFjF2vTyEc/5", "Zi7aLFjF2vTyEc=5", ""])
def test_key_hint_refuses_what_is_not_a_kid(bad: str) -> None:
    assert not is_key_id(bad)
    with pytest.raises(ValueError, match="is not a key id"):
        key_hint(KeyId(bad))


def test_is_key_id_accepts_a_kid_and_refuses_non_strings() -> None:
    assert is_key_id(RFC8032_KID)
    assert not is_key_id(None)
    assert not is_key_id(RFC8032_KID.encode())


def test_b64url_round_trips_every_length_without_padding() -> None:
    for length in range(0, 70):
        data = bytes(range(length))
        text = b64url_encode(data)
        assert "=" not in text
        assert b64url_decode(text) == data


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("-_8=", "padding"),
        ("+/8", r"contains '\+'"),
        ("-_8 ", "contains ' '"),
        ("-_8-_", "no byte string has that length"),
        ("-_9", "not canonical"),  # '9' sets unused low bits; '8' is the one spelling of b"\xfb\xff"
    ],
    ids=["padding", "standard-alphabet", "space", "impossible-length", "non-canonical-last-char"],
)
def test_b64url_decode_refuses_every_non_canonical_spelling(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        b64url_decode(text)
