"""Loading rows by their public names, with NotFound errors that say what was asked for."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trace.db.models import Brand, Lot, Product
from trace.errors import NotFound


def brand_by_slug(session: Session, slug: str) -> Brand:
    """A brand by its slug, or by its display name (what people type on the command line)."""
    brand = session.scalar(select(Brand).where(Brand.slug == slug))
    if brand is None:
        brand = session.scalar(select(Brand).where(func.lower(Brand.name) == slug.strip().lower()))
    if brand is None:
        raise NotFound(f"unknown brand {slug!r}")
    return brand


def product_by_gtin(session: Session, gtin14: str) -> Product:
    product = session.scalar(select(Product).where(Product.gtin == gtin14))
    if product is None:
        raise NotFound(f"unknown product: no product with GTIN {gtin14}")
    return product


def lot_of(session: Session, product: Product, lot_number: str) -> Lot:
    lot = session.scalar(select(Lot).where(Lot.product_id == product.id, Lot.lot_number == lot_number))
    if lot is None:
        raise NotFound(f"unknown lot {lot_number!r} for GTIN {product.gtin}")
    return lot
