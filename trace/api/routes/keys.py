"""A brand's signing keys: list, rotate, revoke."""

from __future__ import annotations

from fastapi import APIRouter

from trace.api.deps import KeyAdmin, KeyRingsDep, Reader, RuntimeDep, check_brand
from trace.api.schemas import KeyOut
from trace.services import signing_keys

router = APIRouter(prefix="/api/v1/brands/{brand}/keys", tags=["keys"])


@router.get("", response_model=list[KeyOut])
def list_keys(brand: str, runtime: RuntimeDep, principal: Reader) -> list[KeyOut]:
    check_brand(principal, brand)
    return [KeyOut.model_validate(k) for k in signing_keys.list_keys(runtime.db, brand)]


@router.post("/rotate", response_model=KeyOut)
def rotate(brand: str, runtime: RuntimeDep, rings: KeyRingsDep, principal: KeyAdmin) -> KeyOut:
    check_brand(principal, brand)
    key = signing_keys.rotate_key(runtime.db, runtime.key_store, brand)
    rings.invalidate()
    return KeyOut.model_validate(key)


@router.post("/{kid}/revoke", response_model=KeyOut)
def revoke(brand: str, kid: str, runtime: RuntimeDep, rings: KeyRingsDep, principal: KeyAdmin) -> KeyOut:
    check_brand(principal, brand)
    key = signing_keys.revoke_key(runtime.db, runtime.key_store, brand, kid)
    rings.invalidate()
    return KeyOut.model_validate(key)
