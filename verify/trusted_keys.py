"""A key ring kept in memory and refreshed from the database now and then.

Verification must not cost a key query per scan; keys change rarely (rotation, revocation)
and every process drops its ring after ``ttl_seconds`` or when told that keys changed.
"""

from __future__ import annotations

import threading
import time

from trace.db.database import Database
from trace.services.signing_keys import published_keys
from verify.keyring import KeyRing


class KeyRingCache:
    def __init__(self, db: Database, *, ttl_seconds: float = 30.0) -> None:
        self._db = db
        self._ttl = ttl_seconds
        self._lock = threading.Lock()
        self._ring: KeyRing | None = None
        self._loaded_at = 0.0

    def ring(self) -> KeyRing:
        now = time.monotonic()
        ring = self._ring
        if ring is not None and now - self._loaded_at < self._ttl:
            return ring
        with self._lock:
            if self._ring is None or time.monotonic() - self._loaded_at >= self._ttl:
                self._ring = KeyRing.from_brand_keys(published_keys(self._db))
                self._loaded_at = time.monotonic()
            return self._ring

    def invalidate(self) -> None:
        with self._lock:
            self._ring = None
