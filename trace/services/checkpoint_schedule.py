"""Publishing checkpoints on a schedule: every brand whose ledger grew gets a new signed head."""

from __future__ import annotations

from trace.crypto import KeyStore
from trace.db.database import Database
from trace.services import ledger
from trace.services.periodic import Periodic


def publish_all(db: Database, key_store: KeyStore) -> dict[str, str]:
    """Sequence and checkpoint every brand's ledger; returns the latest note per brand."""
    return {brand: ledger.publish_checkpoint(db, key_store, brand) for brand in ledger.brands_with_ledgers(db)}


def checkpoint_publisher(db: Database, key_store: KeyStore, *, interval: float) -> Periodic:
    """:func:`publish_all` every ``interval`` seconds in a daemon thread (started by the API)."""
    return Periodic("checkpoint-publisher", lambda: publish_all(db, key_store), interval=interval)
