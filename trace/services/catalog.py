"""Products (GTINs) and their lots."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from trace.db.database import Database
from trace.db.models import Brand, Lot, Product
from trace.domain.catalog import LotInfo, ProductInfo
from trace.errors import Conflict, InvalidInput, NotFound
from trace.identifiers import Gtin
from trace.services.lookups import brand_by_slug, lot_of, product_by_gtin

_LOT_CHARS = frozenset("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")


def product_info(brand: str, p: Product) -> ProductInfo:
    return ProductInfo(brand=brand, gtin=p.gtin, name=p.name, description=p.description, image_url=p.image_url)


def lot_info(brand: str, gtin: str, lot: Lot) -> LotInfo:
    return LotInfo(brand=brand, gtin=gtin, lot=lot.lot_number, produced_on=lot.produced_on,
                   expires_on=lot.expires_on, line=lot.line, site=lot.site)


def add_product(db: Database, *, brand: str, gtin: str, name: str, description: str = "",
                image_url: str | None = None) -> ProductInfo:
    """Register a trade item; the GTIN's check digit is verified and stored as GTIN-14."""
    gtin14 = Gtin.parse(gtin).value
    if not name.strip():
        raise InvalidInput("invalid product name: it is empty")
    with db.transaction() as session:
        owner = brand_by_slug(session, brand)
        if session.scalar(select(Product.id).where(Product.gtin == gtin14)) is not None:
            raise Conflict(f"product with GTIN {gtin14} already exists")
        product = Product(brand_id=owner.id, gtin=gtin14, name=name.strip(), description=description, image_url=image_url)
        session.add(product)
        session.flush()
        return product_info(owner.slug, product)


def validate_lot_number(lot: str) -> str:
    """AI 10: 1–20 characters of GS1 CSET 82 (GS1 General Specifications §3.2, Figure 7.11-1)."""
    if not 1 <= len(lot) <= 20:
        raise InvalidInput(f"invalid lot {lot!r}: expected 1 to 20 characters, found {len(lot)}")
    bad = sorted(set(lot) - _LOT_CHARS)
    if bad:
        raise InvalidInput(f"invalid lot {lot!r}: character {bad[0]!r} is not allowed in AI 10 (GS1 CSET 82)")
    return lot


def add_lot(db: Database, *, gtin: str, lot: str, produced_on: date, expires_on: date | None = None,
            line: str | None = None, site: str | None = None, brand: str | None = None) -> LotInfo:
    """Register a lot of a product; with ``brand``, another brand's GTIN is an unknown product."""
    gtin14 = Gtin.parse(gtin).value
    validate_lot_number(lot)
    if expires_on is not None and expires_on < produced_on:
        raise InvalidInput(f"invalid lot {lot!r}: expires {expires_on} before it is produced {produced_on}")
    with db.transaction() as session:
        product = product_by_gtin(session, gtin14)
        if brand is not None and product.brand_id != brand_by_slug(session, brand).id:
            raise NotFound(f"unknown product: brand {brand!r} has no product with GTIN {gtin14}")
        if session.scalar(select(Lot.id).where(Lot.product_id == product.id, Lot.lot_number == lot)) is not None:
            raise Conflict(f"lot {lot!r} already exists for GTIN {gtin14}")
        row = Lot(product_id=product.id, lot_number=lot, produced_on=produced_on, expires_on=expires_on, line=line, site=site)
        session.add(row)
        session.flush()
        brand = session.get(Brand, product.brand_id)
        return lot_info(brand.slug, gtin14, row)


def list_products(db: Database, brand: str) -> list[ProductInfo]:
    with db.reading() as session:
        owner = brand_by_slug(session, brand)
        rows = session.scalars(select(Product).where(Product.brand_id == owner.id).order_by(Product.gtin))
        return [product_info(owner.slug, p) for p in rows]


def list_lots(db: Database, gtin: str) -> list[LotInfo]:
    gtin14 = Gtin.parse(gtin).value
    with db.reading() as session:
        product = product_by_gtin(session, gtin14)
        brand = session.get(Brand, product.brand_id)
        rows = session.scalars(select(Lot).where(Lot.product_id == product.id).order_by(Lot.produced_on, Lot.lot_number))
        return [lot_info(brand.slug, gtin14, lot) for lot in rows]


def get_lot(db: Database, gtin: str, lot: str) -> LotInfo:
    gtin14 = Gtin.parse(gtin).value
    with db.reading() as session:
        product = product_by_gtin(session, gtin14)
        brand = session.get(Brand, product.brand_id)
        return lot_info(brand.slug, gtin14, lot_of(session, product, lot))


def get_product(db: Database, gtin: str) -> ProductInfo:
    gtin14 = Gtin.parse(gtin).value
    with db.reading() as session:
        product = product_by_gtin(session, gtin14)
        return product_info(session.get(Brand, product.brand_id).slug, product)
