"""Brands: register (platform admin), list, read."""

from __future__ import annotations

from fastapi import APIRouter, status

from trace.api.deps import BrandAdmin, Reader, RuntimeDep, check_brand
from trace.api.schemas import BrandIn, BrandOut
from trace.services import brands

router = APIRouter(prefix="/api/v1/brands", tags=["brands"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=BrandOut)
def create_brand(body: BrandIn, runtime: RuntimeDep, principal: BrandAdmin) -> BrandOut:
    if principal.brand is not None:
        from trace.errors import PermissionDenied

        raise PermissionDenied("forbidden: only a platform admin key (not bound to a brand) may register brands")
    info = brands.add_brand(runtime.db, runtime.key_store, name=body.name, domain=body.domain, slug=body.slug)
    return BrandOut.model_validate(info)


@router.get("", response_model=list[BrandOut])
def list_brands(runtime: RuntimeDep, principal: Reader) -> list[BrandOut]:
    return [BrandOut.model_validate(b) for b in brands.list_brands(runtime.db) if principal.sees_brand(b.slug)]


@router.get("/{brand}", response_model=BrandOut)
def get_brand(brand: str, runtime: RuntimeDep, principal: Reader) -> BrandOut:
    check_brand(principal, brand)
    return BrandOut.model_validate(brands.get_brand(runtime.db, brand))
