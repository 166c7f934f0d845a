"""SUN checking on the public scan path, with each brand's own master keys.

The scan service hands the judge the URL and the brand whose signature it carries; the judge
finds the brand's SUN master keys (active first, then retired: tags keep the keys they were
programmed with), derives the brand-wide SDMMetaReadKey and the tag's SDMFileReadKey as
``trace.crypto.ntag424.tag_keys`` does, and authenticates the tap with
:func:`verify.sun.check_sun_url`. The counter is judged later, against the stored one
(``verify.rules.nfc_replay``).

Master keys are sealed in the database; opening one costs a scrypt stretch, so each version
is opened once per process and kept in memory, while the list of versions is re-read every
``ttl_seconds`` (or at once after :meth:`BrandSunKeys.invalidate`, called on rotation).

References: NXP AN12196 Rev. 1.5 §4.4 (SUN); NXP AN10922 Rev. 1.2 §2.2 (diversification).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from trace.crypto import KeyStore
from trace.crypto.ntag424 import SDM_FILE_READ_KEY_NO, brand_meta_read_key, diversify_tag_key
from trace.db.database import Database
from trace.errors import SignatureError
from trace.services.sun_keys import SealedSunKey, sealed_sun_keys
from verify.sun import SunParameters, check_sun_url

_DEFAULT = SunParameters()
# Any one of them makes the URL a SUN tap to judge: a URL whose PICCData name was altered
# (``e=`` → ``d=``) but still carries the MAC must fail, not pass as a plain code.
SUN_PARAMETERS = tuple(f"{name}=" for name in (*_DEFAULT.picc, *_DEFAULT.mac, *_DEFAULT.enc))


@dataclass(frozen=True, slots=True)
class OpenSunKey:
    """One opened master key version, with its brand-wide SDMMetaReadKey derived once."""

    version: int
    master_key: bytes
    system_identifier: bytes
    meta_read_key: bytes

    def file_read_key(self, uid: bytes) -> bytes:
        """The tag's SDMFileReadKey (key 2), diversified from the master key with its UID."""
        return diversify_tag_key(self.master_key, uid, SDM_FILE_READ_KEY_NO, system_identifier=self.system_identifier)


class BrandSunKeys:
    """Each brand's opened SUN master keys, refreshed from the database now and then."""

    def __init__(self, db: Database, key_store: KeyStore, *, ttl_seconds: float = 30.0) -> None:
        self._db = db
        self._key_store = key_store
        self._ttl = ttl_seconds
        self._lock = threading.Lock()
        self._stored: dict[str, tuple[SealedSunKey, ...]] | None = None
        self._loaded_at = 0.0
        self._opened: dict[SealedSunKey, OpenSunKey] = {}

    def keys(self, brand: str) -> tuple[OpenSunKey, ...]:
        """The brand's versions, active first; empty when the brand has no SUN key."""
        stored = self._stored
        if stored is None or time.monotonic() - self._loaded_at >= self._ttl:
            with self._lock:
                if self._stored is None or time.monotonic() - self._loaded_at >= self._ttl:
                    self._stored = sealed_sun_keys(self._db)
                    self._loaded_at = time.monotonic()
                stored = self._stored
        return tuple(self._open(sealed) for sealed in stored.get(brand, ()))

    def _open(self, sealed: SealedSunKey) -> OpenSunKey:
        opened = self._opened.get(sealed)
        if opened is None:
            master = self._key_store.open_secret(sealed.label, sealed.sealed)
            opened = OpenSunKey(version=sealed.version, master_key=master, system_identifier=sealed.system_identifier,
                                meta_read_key=brand_meta_read_key(master, system_identifier=sealed.system_identifier))
            self._opened[sealed] = opened
        return opened

    def invalidate(self) -> None:
        with self._lock:
            self._stored = None


def brand_sun_judge(keys: Callable[[str], tuple[OpenSunKey, ...]]) -> Callable[[str, str], tuple[bytes, int] | None]:
    """(UID, counter) of an authentic SUN tap for the signing brand, None without SUN parameters.

    A URL that carries SUN parameters for a brand without a SUN key is not judged (None): the
    brand does not use NTAG 424 tags, and the signature already vouches for the code.

    Raises:
        SignatureError: no version of the brand's keys authenticates the tap (the first
            failure, the active key's, is reported).
    """

    def judge(url: str, brand: str) -> tuple[bytes, int] | None:
        query = url.partition("?")[2]
        if not any(part.startswith(SUN_PARAMETERS) for part in query.split("&")):
            return None
        first_error: SignatureError | None = None
        for key in keys(brand):
            try:
                message = check_sun_url(url, meta_key=key.meta_read_key, file_key=key.file_read_key)
            except SignatureError as exc:
                first_error = first_error or exc
                continue
            return message.uid, message.read_counter
        if first_error is not None:
            raise first_error
        return None

    return judge
