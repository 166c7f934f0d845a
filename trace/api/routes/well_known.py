"""Published public keys: what an offline verifier downloads (JWKS-style JSON)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from trace.api.deps import RuntimeDep
from trace.api.public_guard import guard_public
from trace.crypto import published_keys_document
from trace.services.signing_keys import published_keys

router = APIRouter(tags=["public"])

KEYS_PATH = "/.well-known/tracemark/keys.json"


@router.get(KEYS_PATH)
def all_brand_keys(request: Request, runtime: RuntimeDep) -> JSONResponse:
    """Every brand's keys on this resolver: ``{"brands": [<published keys document>, …]}``."""
    guard_public(request)
    documents = [published_keys_document(brand, keys) for brand, keys in published_keys(runtime.db).items()]
    return JSONResponse({"brands": documents}, headers={"Cache-Control": "public, max-age=300"})


@router.get("/.well-known/tracemark/keys/{brand}.json")
def brand_keys(brand: str, request: Request, runtime: RuntimeDep) -> JSONResponse:
    guard_public(request)
    keys = published_keys(runtime.db, brand)[brand]
    return JSONResponse(published_keys_document(brand, keys), headers={"Cache-Control": "public, max-age=300"})
