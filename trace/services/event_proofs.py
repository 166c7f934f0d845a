"""Ledger proofs of a unit's events, checked on the server against the latest signed checkpoint.

For the console's unit lookup: the brand's latest checkpoint is opened with the ledger's
verifier key (its signature is checked), then for each event its inclusion proof at the
checkpoint's size is fetched (:func:`trace.services.ledger.inclusion`) and verified with the
pure core (:func:`trace.ledger.verify_inclusion`). The leaf hash verified is not the stored
one: it is recomputed from the event row as shown (its CBV 2.0 pre-hash string, the way
capture built the entry), so a row edited after capture no longer verifies.

The item's birth is proven the same way: its mint job's commissioning entry
(``commission:<job>``) is rebuilt from the stored job and its units' serials
(:func:`trace.services.minting.commissioning_record`), so a unit added to or removed from
the job afterwards no longer verifies.

An event captured after the checkpoint is ``pending`` (not yet in a signed tree head), not
a failure; anything that does not verify is ``failed`` with the reason.

References: RFC 9162 §2.1.3.2 (inclusion proof verification); C2SP tlog-checkpoint, signed-note.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from trace.db.database import Database
from trace.db.units import Unit
from trace.domain.epcis import parse_identifier
from trace.errors import Conflict, IdentifierError, InvalidInput, LedgerError, NotFound
from trace.ledger import Checkpoint, hash_leaf, open_note, verify_inclusion
from trace.services import ledger
from trace.services.capture import stored_event_entry
from trace.services.lookups import brand_by_slug
from trace.services.minting import commission_entry

VERIFIED, PENDING, FAILED = "verified", "pending", "failed"


@dataclass(frozen=True, slots=True)
class SignedCheckpoint:
    """The latest checkpoint whose signature verified under the brand's ledger key."""

    origin: str
    size: int
    root_hash: bytes

    @property
    def root_base64(self) -> str:
        """The root as the checkpoint note writes it (standard base64)."""
        return base64.b64encode(self.root_hash).decode("ascii")


@dataclass(frozen=True, slots=True)
class EventProof:
    hash_id: str
    ref: str
    """The ledger entry reference (``epcis:<Event Hash ID>``), as the public proof endpoint takes it."""
    outcome: str
    """``verified``, ``pending`` (not in the signed checkpoint yet) or ``failed``."""
    leaf_index: int | None = None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class EventProofs:
    checkpoint: SignedCheckpoint | None
    """None when the brand has published no checkpoint yet, or its signature does not verify."""
    checkpoint_problem: str | None
    proofs: tuple[EventProof, ...]

    def of(self, hash_id: str) -> EventProof | None:
        """The proof of the event with this Event Hash ID (None if it was not asked for)."""
        return next((p for p in self.proofs if p.hash_id == hash_id), None)


def signed_checkpoint(db: Database, brand: str) -> SignedCheckpoint:
    """The brand's latest checkpoint, its signature checked; NotFound before the first one,
    a ledger error (NoteError, CheckpointError) if it does not verify."""
    text = open_note(ledger.latest_checkpoint(db, brand), ledger.verifier_key(db, brand))
    parsed = Checkpoint.parse(text)
    return SignedCheckpoint(origin=parsed.origin, size=parsed.size, root_hash=bytes(parsed.root_hash))


def event_proofs(db: Database, brand: str, hash_ids: Iterable[str]) -> EventProofs:
    """Inclusion of each event (by Event Hash ID) in the latest signed checkpoint, verified here."""
    wanted = list(dict.fromkeys(hash_ids))
    return _proofs(db, brand, [(h, f"epcis:{h}", stored_event_entry) for h in wanted])


def commission_proof(db: Database, brand: str, identifier: str) -> EventProofs | None:
    """Inclusion of the commissioning entry of the mint job that made this item (an SGTIN
    of ``brand``), verified here; None for anything else (containers, other brands' items,
    identifiers that are not a serialised item). ``hash_id`` of the proof is the entry ref."""
    try:
        key = parse_identifier(identifier.strip()).key
    except IdentifierError:
        key = identifier.strip()
    if not (key.startswith("01") and key[16:18] == "21"):
        return None
    with db.reading() as session:
        brand_id = brand_by_slug(session, brand).id
        job_id = session.scalar(select(Unit.mint_job_id).where(
            Unit.gtin == key[2:16], Unit.serial == key[18:], Unit.brand_id == brand_id))
    if job_id is None:
        return None
    ref = f"commission:{job_id}"
    return _proofs(db, brand, [(ref, ref, commission_entry)])


Rebuild = Callable[[Session, str], bytes]


def _proofs(db: Database, brand: str, wanted: list[tuple[str, str, Rebuild]]) -> EventProofs:
    try:
        checkpoint = signed_checkpoint(db, brand)
    except NotFound:
        return EventProofs(None, None, tuple(EventProof(h, ref, PENDING) for h, ref, _ in wanted))
    except LedgerError as exc:
        problem = f"the latest checkpoint does not verify: {exc}"
        return EventProofs(None, problem, tuple(EventProof(h, ref, FAILED, problem=problem) for h, ref, _ in wanted))
    return EventProofs(checkpoint, None, tuple(_prove(db, brand, h, ref, rebuild, checkpoint)
                                               for h, ref, rebuild in wanted))


def _prove(db: Database, brand: str, hash_id: str, ref: str, rebuild: Rebuild,
           checkpoint: SignedCheckpoint) -> EventProof:
    try:
        proof = ledger.inclusion(db, brand, ref, size=checkpoint.size)
    except (Conflict, InvalidInput):  # not sequenced yet, or sequenced after the checkpoint
        return EventProof(hash_id, ref, PENDING)
    except NotFound as exc:
        return EventProof(hash_id, ref, FAILED, problem=str(exc))
    with db.reading() as session:
        entry = rebuild(session, ref)
    try:
        verify_inclusion(leaf_hash=hash_leaf(entry), index=proof.leaf_index, size=checkpoint.size,
                         proof=proof.proof, root=checkpoint.root_hash)
    except LedgerError as exc:
        problem = f"leaf {proof.leaf_index} does not verify against checkpoint {checkpoint.size}: {exc}"
        return EventProof(hash_id, ref, FAILED, leaf_index=proof.leaf_index, problem=problem)
    return EventProof(hash_id, ref, VERIFIED, leaf_index=proof.leaf_index)
