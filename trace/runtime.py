"""The one place settings become live objects: database, key store. Used by API and CLI."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from trace.crypto import DEVELOPMENT_PASSPHRASE, DevelopmentKeyStore, FileKeyStore, KeyStore
from trace.db.database import Database
from trace.settings import Settings


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    db: Database
    key_store: KeyStore


def build_key_store(settings: Settings) -> KeyStore:
    """The file key store with the configured passphrase; the loud development one otherwise."""
    passphrase = settings.key_passphrase_bytes()
    if passphrase == DEVELOPMENT_PASSPHRASE:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore" if settings.is_development else "default")
            return DevelopmentKeyStore(settings.key_dir)
    return FileKeyStore(settings.key_dir, passphrase)


def build_runtime(settings: Settings) -> Runtime:
    return Runtime(settings=settings, db=Database.from_url(settings.database_url), key_store=build_key_store(settings))
