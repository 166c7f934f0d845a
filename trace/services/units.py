"""Reading units back: what a verifier or a brand user asks about one code."""

from __future__ import annotations

from sqlalchemy import func, select

from trace.db.database import Database
from trace.db.models import Brand, Lot, MintJob, Product, Unit
from trace.domain.units import UnitRecord, UnitState
from trace.errors import NotFound


def find_unit(db: Database, gtin14: str, serial: str) -> UnitRecord | None:
    """The unit minted as (GTIN, serial), or None when it was never minted."""
    with db.reading() as session:
        row = session.execute(
            select(Unit, Lot, Product.name, Brand.slug)
            .join(Lot, Lot.id == Unit.lot_id)
            .join(Product, Product.id == Lot.product_id)
            .join(Brand, Brand.id == Unit.brand_id)
            .where(Unit.gtin == gtin14, Unit.serial == serial)
        ).first()
        if row is None:
            return None
        unit, lot, product_name, brand = row
        return UnitRecord(
            brand=brand, gtin=unit.gtin, serial=unit.serial, lot=lot.lot_number, kid=unit.kid,
            state=UnitState(unit.state), product_name=product_name, produced_on=lot.produced_on,
            expires_on=lot.expires_on, minted_at=unit.created_at,
        )


def count_units(db: Database, *, gtin14: str | None = None, lot: str | None = None) -> int:
    with db.reading() as session:
        query = select(func.count()).select_from(Unit)
        if gtin14 is not None:
            query = query.where(Unit.gtin == gtin14)
        if lot is not None:
            query = query.join(Lot, Lot.id == Unit.lot_id).where(Lot.lot_number == lot)
        return session.scalar(query) or 0


def count_mint_jobs(db: Database) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(MintJob)) or 0


def first_serial_of_lot(db: Database, gtin14: str, lot: str) -> str:
    """The serial of the first unit minted in a lot (for samples and smoke checks)."""
    with db.reading() as session:
        serial = session.scalar(
            select(Unit.serial).join(Lot, Lot.id == Unit.lot_id)
            .where(Unit.gtin == gtin14, Lot.lot_number == lot).order_by(Unit.id).limit(1)
        )
    if serial is None:
        raise NotFound(f"lot {lot!r} of GTIN {gtin14} has no minted units")
    return serial


def serials_of_lot(db: Database, gtin14: str, lot: str, *, limit: int) -> list[str]:
    """Serials of the first ``limit`` units minted in a lot, in minting order."""
    with db.reading() as session:
        return list(session.scalars(
            select(Unit.serial).join(Lot, Lot.id == Unit.lot_id)
            .where(Unit.gtin == gtin14, Lot.lot_number == lot).order_by(Unit.id).limit(limit)
        ))
