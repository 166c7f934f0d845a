"""Products and lots of a brand."""

from __future__ import annotations

from fastapi import APIRouter, status

from trace.api.deps import CatalogAdmin, Reader, RuntimeDep, check_brand
from trace.api.schemas import LotIn, LotOut, ProductIn, ProductOut
from trace.errors import NotFound
from trace.runtime import Runtime
from trace.services import catalog

router = APIRouter(prefix="/api/v1/brands/{brand}/products", tags=["products and lots"])


def _product_of_brand(runtime: Runtime, brand: str, gtin: str) -> None:
    """Another brand's GTIN is reported as unknown, not as forbidden: brands are isolated."""
    if catalog.get_product(runtime.db, gtin).brand != brand:
        raise NotFound(f"unknown product: brand {brand!r} has no product with GTIN {gtin}")


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ProductOut)
def create_product(brand: str, body: ProductIn, runtime: RuntimeDep, principal: CatalogAdmin) -> ProductOut:
    check_brand(principal, brand)
    info = catalog.add_product(runtime.db, brand=brand, gtin=body.gtin, name=body.name,
                               description=body.description, image_url=body.image_url)
    return ProductOut.model_validate(info)


@router.get("", response_model=list[ProductOut])
def list_products(brand: str, runtime: RuntimeDep, principal: Reader) -> list[ProductOut]:
    check_brand(principal, brand)
    return [ProductOut.model_validate(p) for p in catalog.list_products(runtime.db, brand)]


@router.post("/{gtin}/lots", status_code=status.HTTP_201_CREATED, response_model=LotOut)
def create_lot(brand: str, gtin: str, body: LotIn, runtime: RuntimeDep, principal: CatalogAdmin) -> LotOut:
    check_brand(principal, brand)
    _product_of_brand(runtime, brand, gtin)
    info = catalog.add_lot(runtime.db, gtin=gtin, lot=body.lot, produced_on=body.produced_on,
                           expires_on=body.expires_on, line=body.line, site=body.site)
    return LotOut.model_validate(info)


@router.get("/{gtin}/lots", response_model=list[LotOut])
def list_lots(brand: str, gtin: str, runtime: RuntimeDep, principal: Reader) -> list[LotOut]:
    check_brand(principal, brand)
    _product_of_brand(runtime, brand, gtin)
    return [LotOut.model_validate(lot) for lot in catalog.list_lots(runtime.db, gtin)]
