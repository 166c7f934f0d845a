"""Storing minted units and their commissioning record.

Codegen draws serials, signs and renders; this module owns what is written: the mint job
(the commissioning record of the batch) and one unit row per code, all inside the caller's
transaction so a failed job leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from sqlalchemy.orm import Session

from trace.db.base import utc_now
from trace.db.database import Database
from trace.db.ledger_store import NewEntry
from trace.db.models import Brand, Lot, MintJob, Product, Unit
from trace.db.unit_store import UnitBatch, insert_new_units
from trace.domain.ledger_entries import CommissioningRecord, serials_digest
from trace.domain.units import MintContext, UnitState
from trace.errors import NotFound
from trace.identifiers import Gtin
from trace.services import ledger
from trace.services.lookups import lot_of, product_by_gtin
from trace.services.signing_keys import active_key_id


def mint_context(db: Database, *, gtin: str, lot: str) -> MintContext:
    """Everything a mint job needs, checked before the first code is signed."""
    gtin14 = Gtin.parse(gtin).value
    with db.reading() as session:
        product = product_by_gtin(session, gtin14)
        lot_row = lot_of(session, product, lot)
        brand = session.get(Brand, product.brand_id)
        return MintContext(
            brand=brand.slug, brand_id=brand.id, domain=brand.domain, gtin=gtin14, lot=lot_row.lot_number,
            lot_id=lot_row.id, expires_on=lot_row.expires_on, kid=active_key_id(session, brand),
            company_prefix_length=brand.company_prefix_length,
        )


@dataclass(frozen=True, slots=True)
class OpenJob:
    id: int
    created_at: datetime


def open_job(session: Session, ctx: MintContext, *, count: int, output_format: str, requested_by: str) -> OpenJob:
    """Start the commissioning record of a batch; units refer to its id."""
    job = MintJob(brand_id=ctx.brand_id, lot_id=ctx.lot_id, kid=ctx.kid, count=count,
                  output_format=output_format, requested_by=requested_by, created_at=utc_now())
    session.add(job)
    session.flush()
    return OpenJob(id=job.id, created_at=job.created_at)


def close_job(session: Session, ctx: MintContext, job: OpenJob, serials: Sequence[str]) -> None:
    """Append the batch's commissioning record to the brand's ledger (same transaction)."""
    record = CommissioningRecord(brand=ctx.brand, job_id=job.id, gtin=ctx.gtin, lot=ctx.lot, kid=ctx.kid,
                                 count=len(serials), serials_sha256=serials_digest(serials), created_at=job.created_at)
    ledger.record(session, ctx.brand_id, [NewEntry(kind="commission", ref=record.ref, entry=record.canonical_bytes())])


def commissioning_record(session: Session, job_id: int) -> CommissioningRecord:
    """Rebuild a mint job's commissioning record from the stored job and units (for audits)."""
    job = session.get(MintJob, job_id)
    if job is None:
        raise NotFound(f"unknown mint job {job_id}")
    brand = session.get(Brand, job.brand_id)
    lot = session.get(Lot, job.lot_id)
    product = session.get(Product, lot.product_id)
    serials = session.scalars(select(Unit.serial).where(Unit.mint_job_id == job_id))
    serial_list = list(serials)
    return CommissioningRecord(brand=brand.slug, job_id=job.id, gtin=product.gtin, lot=lot.lot_number, kid=job.kid,
                               count=len(serial_list), serials_sha256=serials_digest(serial_list),
                               created_at=job.created_at)


def insert_units(session: Session, ctx: MintContext, job_id: int, serials: Sequence[str]) -> set[str]:
    """Insert one commissioned unit per serial; returns the serials that were already taken.

    The caller redraws the taken ones (a collision of 65-bit serials, or a serial repeated
    in ``serials``); nothing else needs to change, since the batch stays in one transaction.
    """
    if len(set(serials)) != len(serials):
        raise ValueError("serials passed to insert_units must be distinct")
    batch = UnitBatch(brand_id=ctx.brand_id, lot_id=ctx.lot_id, mint_job_id=job_id, gtin=ctx.gtin, kid=ctx.kid,
                      state=UnitState.COMMISSIONED.value, created_at=utc_now(), serials=serials)
    inserted = insert_new_units(session, batch)
    return set(serials) - inserted if len(inserted) != len(serials) else set()


def commission_entry(session: Session, ref: str) -> bytes:
    """The canonical bytes of a ``commission:<job>`` ledger entry, rebuilt from the stored
    job and its units (what the entry's leaf must hash)."""
    return commissioning_record(session, int(ref.split(":", 1)[1])).canonical_bytes()
