"""Publishing checkpoints on a schedule: every brand whose ledger grew gets a new signed head."""

from __future__ import annotations

import logging
import threading

from trace.crypto import KeyStore
from trace.db.database import Database
from trace.errors import TraceError
from trace.services import ledger

log = logging.getLogger(__name__)


def publish_all(db: Database, key_store: KeyStore) -> dict[str, str]:
    """Sequence and checkpoint every brand's ledger; returns the latest note per brand."""
    return {brand: ledger.publish_checkpoint(db, key_store, brand) for brand in ledger.brands_with_ledgers(db)}


class CheckpointPublisher:
    """A daemon thread calling :func:`publish_all` every ``interval`` seconds until stopped."""

    def __init__(self, db: Database, key_store: KeyStore, *, interval: float) -> None:
        self._db = db
        self._key_store = key_store
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="checkpoint-publisher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                publish_all(self._db, self._key_store)
            except TraceError:
                log.exception("scheduled checkpoint publication failed; retrying next interval")
