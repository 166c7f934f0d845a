"""A brand's products and lots with their codes: how many were minted, in which state, recalled.

What the console's products and lots pages show. Everything is scoped to one brand: another
brand's GTIN or lot is unknown (NotFound), as in the API. Per-product and per-lot totals come
from the mint jobs (one row per batch, cheap at any scale); the per-state breakdown of one lot
counts its unit rows through the ``unit.lot_id`` index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from trace.db.catalog import Brand, Lot, Product
from trace.db.database import Database
from trace.db.events import EpcState
from trace.db.units import MintJob, Unit
from trace.domain.catalog import LotInfo, ProductInfo
from trace.domain.units import UnitState
from trace.errors import NotFound
from trace.identifiers import Gtin
from trace.services import catalog
from trace.services.lookups import brand_by_slug, lot_of


@dataclass(frozen=True, slots=True)
class ProductCodes:
    product: ProductInfo
    lots: int
    codes: int
    """Codes minted for the product (every lot, every mint job)."""


@dataclass(frozen=True, slots=True)
class LotCodes:
    lot: LotInfo
    codes: int
    """Codes minted for the lot (sum of its mint jobs)."""
    mint_jobs: int
    status: str
    """``expired`` once past its expiry date, else ``current``."""


@dataclass(frozen=True, slots=True)
class LotDetail:
    summary: LotCodes
    by_state: dict[str, int]
    """Code state (commissioned, reserved in a line's pool, voided) → codes; every state present."""
    recalled: int
    """Items of the lot whose current disposition is ``recalled`` (not yet returned)."""


def lot_status(lot: LotInfo, today: date) -> str:
    return "expired" if lot.expires_on is not None and lot.expires_on < today else "current"


def _product(session: Session, brand: Brand, gtin: str) -> Product:
    gtin14 = Gtin.parse(gtin).value
    product = session.scalar(select(Product).where(Product.gtin == gtin14, Product.brand_id == brand.id))
    if product is None:
        raise NotFound(f"unknown product: brand {brand.slug!r} has no product with GTIN {gtin14}")
    return product


def products(db: Database, brand: str) -> list[ProductCodes]:
    """The brand's products by GTIN, each with its number of lots and of codes minted."""
    with db.reading() as session:
        owner = brand_by_slug(session, brand)
        lots = select(Lot.product_id, func.count().label("n")).group_by(Lot.product_id).subquery()
        codes = (select(Lot.product_id, func.sum(MintJob.count).label("n")).join(MintJob, MintJob.lot_id == Lot.id)
                 .group_by(Lot.product_id).subquery())
        rows = session.execute(select(Product, func.coalesce(lots.c.n, 0), func.coalesce(codes.c.n, 0))
                               .outerjoin(lots, lots.c.product_id == Product.id)
                               .outerjoin(codes, codes.c.product_id == Product.id)
                               .where(Product.brand_id == owner.id).order_by(Product.gtin))
        return [ProductCodes(product=catalog.product_info(owner.slug, p), lots=n_lots, codes=int(n_codes))
                for p, n_lots, n_codes in rows]


def lots(db: Database, brand: str, gtin: str, *, today: date) -> tuple[ProductInfo, list[LotCodes]]:
    """One of the brand's products and its lots (oldest first), each with its codes and status."""
    with db.reading() as session:
        owner = brand_by_slug(session, brand)
        product = _product(session, owner, gtin)
        codes = (select(MintJob.lot_id, func.sum(MintJob.count).label("n"), func.count().label("jobs"))
                 .group_by(MintJob.lot_id).subquery())
        rows = session.execute(select(Lot, func.coalesce(codes.c.n, 0), func.coalesce(codes.c.jobs, 0))
                               .outerjoin(codes, codes.c.lot_id == Lot.id).where(Lot.product_id == product.id)
                               .order_by(Lot.produced_on, Lot.lot_number))
        found = []
        for lot, n_codes, jobs in rows:
            info = catalog.lot_info(owner.slug, product.gtin, lot)
            found.append(LotCodes(lot=info, codes=int(n_codes), mint_jobs=jobs, status=lot_status(info, today)))
        return catalog.product_info(owner.slug, product), found


def lot_detail(db: Database, brand: str, gtin: str, lot: str, *, today: date) -> LotDetail:
    """One lot of the brand: its codes by state and how many of its items are recalled now."""
    with db.reading() as session:
        owner = brand_by_slug(session, brand)
        product = _product(session, owner, gtin)
        row = lot_of(session, product, lot)
        info = catalog.lot_info(owner.slug, product.gtin, row)
        codes, jobs = session.execute(select(func.coalesce(func.sum(MintJob.count), 0), func.count())
                                      .where(MintJob.lot_id == row.id)).one()
        by_state = {state.value: 0 for state in UnitState}
        for state, count in session.execute(select(Unit.state, func.count()).where(Unit.lot_id == row.id)
                                            .group_by(Unit.state)):
            by_state[state] = count
        recalled = session.scalar(
            select(func.count()).select_from(Unit)
            .join(EpcState, and_(EpcState.brand_id == Unit.brand_id,
                                 EpcState.epc_key == "01" + Unit.gtin + "21" + Unit.serial))
            .where(Unit.lot_id == row.id, EpcState.disposition == "recalled"))
    summary = LotCodes(lot=info, codes=int(codes), mint_jobs=jobs, status=lot_status(info, today))
    return LotDetail(summary=summary, by_state=by_state, recalled=recalled or 0)
