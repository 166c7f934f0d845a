"""Private key stores: encrypted files, atomic writes, tight permissions, a loud dev store."""

from __future__ import annotations

import base64
import stat
import warnings
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import trace.crypto.key_store as key_store_module
from trace.crypto import (
    DEVELOPMENT_PASSPHRASE,
    BrandSigningKey,
    DevelopmentKeyStore,
    DevelopmentKeyWarning,
    FileKeyStore,
    KeyStore,
)
from trace.errors import ConfigurationError, KeyStoreError
from trace.types import KeyId

RFC8032_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
PASSPHRASE = b"correct horse battery staple"


@pytest.fixture
def key() -> BrandSigningKey:
    return BrandSigningKey.from_private_key(Ed25519PrivateKey.from_private_bytes(RFC8032_SECRET))


@pytest.fixture
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lower the scrypt cost for speed; the parameters travel in the file, so loading still reads them."""
    monkeypatch.setattr(key_store_module, "_SCRYPT_LOG2_N", 10)


def test_a_saved_key_loads_back_with_the_default_cost(tmp_path: Path, key: BrandSigningKey) -> None:
    store: KeyStore = FileKeyStore(tmp_path / "keys", PASSPHRASE)
    store.save(key)
    loaded = store.load(key.kid)
    assert loaded.kid == key.kid
    assert loaded.sign(b"message") == key.sign(b"message")
    text = (tmp_path / "keys" / "Zi7aLFjF2vTyEcQ5.pem").read_text()
    assert text.startswith("Tracemark signing key Zi7aLFjF2vTyEcQ5\n")
    assert "Tracemark-Key-Encryption: scrypt log2-n=17 r=8 p=1 salt=" in text


@pytest.mark.usefixtures("cheap_kdf")
def test_the_file_is_encrypted_pkcs8_without_the_key_in_any_spelling(tmp_path: Path, key: BrandSigningKey) -> None:
    FileKeyStore(tmp_path, PASSPHRASE).save(key)
    data = (tmp_path / f"{key.kid}.pem").read_bytes()
    assert b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in data
    assert b"-----BEGIN PRIVATE KEY-----" not in data
    for spelling in (
        RFC8032_SECRET,
        RFC8032_SECRET.hex().encode(),
        base64.b64encode(RFC8032_SECRET),
        base64.b64encode(RFC8032_SECRET).rstrip(b"="),
        base64.urlsafe_b64encode(RFC8032_SECRET).rstrip(b"="),
    ):
        assert spelling not in data
    assert PASSPHRASE not in data


@pytest.mark.usefixtures("cheap_kdf")
def test_the_file_is_0600_and_a_created_directory_0700(tmp_path: Path, key: BrandSigningKey) -> None:
    directory = tmp_path / "deep" / "keys"
    FileKeyStore(directory, PASSPHRASE).save(key)
    assert stat.S_IMODE((directory / f"{key.kid}.pem").stat().st_mode) == 0o600
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700


@pytest.mark.usefixtures("cheap_kdf")
def test_saving_leaves_exactly_one_file_per_key_and_can_be_repeated(tmp_path: Path, key: BrandSigningKey) -> None:
    store = FileKeyStore(tmp_path, PASSPHRASE)
    other = BrandSigningKey.generate()
    store.save(key)
    store.save(key)
    store.save(other)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([f"{key.kid}.pem", f"{other.kid}.pem"])
    assert store.load(other.kid).kid == other.kid


@pytest.mark.usefixtures("cheap_kdf")
def test_a_wrong_passphrase_names_the_kid_and_not_the_passphrase(tmp_path: Path, key: BrandSigningKey) -> None:
    FileKeyStore(tmp_path, PASSPHRASE).save(key)
    with pytest.raises(KeyStoreError) as caught:
        FileKeyStore(tmp_path, b"wrong passphrase").load(key.kid)
    message = str(caught.value)
    assert message == "private key Zi7aLFjF2vTyEcQ5 cannot be decrypted: wrong passphrase or damaged file"
    assert "wrong passphrase" in message and "correct horse" not in message


def test_a_missing_key_names_the_kid(tmp_path: Path) -> None:
    with pytest.raises(KeyStoreError, match="no private key Zi7aLFjF2vTyEcQ5 in key store"):
        FileKeyStore(tmp_path, PASSPHRASE).load(KeyId("Zi7aLFjF2vTyEcQ5"))


@pytest.mark.parametrize("kid", ["../../etc/passwd", "Zi7a", "Zi7aLFjF2vTyEc/5", ""])
def test_a_kid_that_is_not_a_kid_never_reaches_the_file_system(tmp_path: Path, kid: str) -> None:
    with pytest.raises(KeyStoreError, match="is not a key id"):
        FileKeyStore(tmp_path, PASSPHRASE).load(KeyId(kid))


@pytest.mark.usefixtures("cheap_kdf")
def test_a_file_holding_another_key_is_refused(tmp_path: Path, key: BrandSigningKey) -> None:
    store = FileKeyStore(tmp_path, PASSPHRASE)
    store.save(key)
    (tmp_path / f"{key.kid}.pem").rename(tmp_path / "Pz6aG2wRKoQ8QftP.pem")
    with pytest.raises(KeyStoreError, match="holds key Zi7aLFjF2vTyEcQ5; expected key Pz6aG2wRKoQ8QftP"):
        store.load(KeyId("Pz6aG2wRKoQ8QftP"))


@pytest.mark.usefixtures("cheap_kdf")
def test_a_file_without_the_encryption_line_is_refused(tmp_path: Path, key: BrandSigningKey) -> None:
    store = FileKeyStore(tmp_path, PASSPHRASE)
    store.save(key)
    path = tmp_path / f"{key.kid}.pem"
    path.write_bytes(b"".join(line for line in path.read_bytes().splitlines(True) if b"Encryption" not in line))
    with pytest.raises(KeyStoreError, match="has no valid Tracemark-Key-Encryption line"):
        store.load(key.kid)


def test_an_empty_passphrase_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="the passphrase is empty"):
        FileKeyStore(tmp_path, b"")


def test_the_repr_does_not_show_the_passphrase(tmp_path: Path) -> None:
    assert "correct" not in repr(FileKeyStore(tmp_path, PASSPHRASE))


@pytest.mark.usefixtures("cheap_kdf")
def test_the_development_store_warns_once_and_uses_the_published_passphrase(
    tmp_path: Path, key: BrandSigningKey
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        store = DevelopmentKeyStore(tmp_path)
    assert [w.category for w in caught] == [DevelopmentKeyWarning]
    assert "not protected" in str(caught[0].message)
    assert issubclass(DevelopmentKeyWarning, UserWarning)
    assert DEVELOPMENT_PASSPHRASE == b"tracemark-development-only"
    store.save(key)
    assert FileKeyStore(tmp_path, DEVELOPMENT_PASSPHRASE).load(key.kid).kid == key.kid
