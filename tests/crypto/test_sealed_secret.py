"""Key material sealed under the key-store passphrase: opens only with that passphrase and label."""

from __future__ import annotations

import pytest

from trace.crypto import FileKeyStore
from trace.crypto.sealed_secret import open_secret, seal_secret
from trace.errors import KeyStoreError

PASSPHRASE = b"test passphrase"
SECRET = bytes.fromhex("00112233445566778899AABBCCDDEEFF")
LABEL = "sun-master-key/acme/1"


def _sealed() -> str:
    return seal_secret(PASSPHRASE, SECRET, label=LABEL, scrypt_log2_n=10)


def test_round_trip_and_never_in_clear() -> None:
    token = _sealed()
    assert open_secret(PASSPHRASE, token, label=LABEL) == SECRET
    assert SECRET.hex() not in token.lower() and SECRET.hex().upper() not in token
    assert token != _sealed()  # fresh salt and nonce every time


def test_the_key_store_seals_with_its_own_passphrase(tmp_path) -> None:
    store = FileKeyStore(tmp_path, PASSPHRASE, scrypt_log2_n=11)
    token = store.seal_secret(LABEL, SECRET)
    assert token.startswith("tmseal1 scrypt log2-n=11 r=8 p=1 salt=")
    assert open_secret(PASSPHRASE, token, label=LABEL) == SECRET
    other = FileKeyStore(tmp_path, b"another passphrase", scrypt_log2_n=11)
    with pytest.raises(KeyStoreError, match="^sealed sun-master-key/acme/1 cannot be opened: wrong key-store"):
        other.open_secret(LABEL, token)


def test_another_label_does_not_open() -> None:
    with pytest.raises(KeyStoreError, match="cannot be opened"):
        open_secret(PASSPHRASE, _sealed(), label="sun-master-key/other/1")


@pytest.mark.parametrize("field", ["salt", "nonce", "ciphertext"])
def test_one_altered_character_does_not_open(field: str) -> None:
    token = _sealed()
    head, _, ciphertext = token.rpartition(" ")
    if field == "ciphertext":
        mutated = head + " " + ("B" if ciphertext[0] != "B" else "C") + ciphertext[1:]
    else:
        start = token.index(f"{field}=") + len(field) + 1
        mutated = token[:start] + ("B" if token[start] != "B" else "C") + token[start + 1:]
    with pytest.raises(KeyStoreError, match="cannot be opened"):
        open_secret(PASSPHRASE, mutated, label=LABEL)


@pytest.mark.parametrize(("token", "message"), [
    ("", "is not a tmseal1 token"),
    ("00112233445566778899AABBCCDDEEFF", "is not a tmseal1 token"),
    ("tmseal1 scrypt log2-n=30 r=8 p=1 salt=AAAAAAAAAAAAAAAAAAAAAA nonce=AAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAAA",
     "out-of-range scrypt parameters log2-n=30 r=8 p=1"),
])
def test_malformed_tokens_are_refused(token: str, message: str) -> None:
    with pytest.raises(KeyStoreError, match=message):
        open_secret(PASSPHRASE, token, label=LABEL)
