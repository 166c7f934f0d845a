"""Storing minted units and their commissioning record.

Codegen draws serials, signs and renders; this module owns what is written: the mint job
(the commissioning record of the batch) and one unit row per code, all inside the caller's
transaction so a failed job leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from trace.db.base import utc_now
from trace.db.database import Database
from trace.db.models import Brand, MintJob
from trace.db.unit_store import UnitBatch, insert_new_units
from trace.domain.units import MintContext, UnitState
from trace.identifiers import Gtin
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
        )


def open_job(session: Session, ctx: MintContext, *, count: int, output_format: str, requested_by: str) -> int:
    """Record the commissioning of a batch; returns the job id units refer to."""
    job = MintJob(brand_id=ctx.brand_id, lot_id=ctx.lot_id, kid=ctx.kid, count=count,
                  output_format=output_format, requested_by=requested_by)
    session.add(job)
    session.flush()
    return job.id


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
