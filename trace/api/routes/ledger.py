"""Public ledger endpoints: checkpoints, the checkpoint key, inclusion and consistency proofs."""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel

from trace.api.deps import KeyAdmin, RuntimeDep, check_brand
from trace.api.public_guard import guard_public
from trace.services import ledger

router = APIRouter(prefix="/ledger/{brand}", tags=["ledger"])


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class InclusionOut(BaseModel):
    brand: str
    event: str
    leaf_index: int
    tree_size: int
    entry: str
    leaf_hash: str
    root_hash: str
    proof: list[str]


class ConsistencyOut(BaseModel):
    brand: str
    old_size: int
    new_size: int
    old_root: str
    new_root: str
    proof: list[str]


@router.get("/checkpoint", response_class=PlainTextResponse, summary="Latest signed checkpoint (C2SP signed note)")
def checkpoint(brand: str, request: Request, runtime: RuntimeDep) -> PlainTextResponse:
    guard_public(request)
    return PlainTextResponse(ledger.latest_checkpoint(runtime.db, brand), headers={"Cache-Control": "no-cache"})


@router.post("/checkpoint", response_class=PlainTextResponse, summary="Sequence pending entries and publish now")
def publish(brand: str, runtime: RuntimeDep, principal: KeyAdmin) -> PlainTextResponse:
    check_brand(principal, brand)
    return PlainTextResponse(ledger.publish_checkpoint(runtime.db, runtime.key_store, brand))


@router.get("/key", response_class=PlainTextResponse, summary="The checkpoint verifier key (C2SP vkey)")
def key(brand: str, request: Request, runtime: RuntimeDep) -> PlainTextResponse:
    guard_public(request)
    return PlainTextResponse(ledger.verifier_key(runtime.db, brand) + "\n")


@router.get("/proof/inclusion", response_model=InclusionOut)
def inclusion(brand: str, request: Request, runtime: RuntimeDep,
              event: Annotated[str, Query(min_length=1, max_length=200, description="Ledger reference of the event")],
              size: Annotated[int | None, Query(ge=1, description="Tree size (default: current)")] = None) -> InclusionOut:
    guard_public(request)
    proof = ledger.inclusion(runtime.db, brand, event, size=size)
    return InclusionOut(brand=proof.brand, event=proof.ref, leaf_index=proof.leaf_index, tree_size=proof.tree_size,
                        entry=b64(proof.entry), leaf_hash=b64(proof.leaf_hash),
                        root_hash=b64(proof.root_hash), proof=[b64(p) for p in proof.proof])


@router.get("/proof/consistency", response_model=ConsistencyOut)
def consistency(brand: str, request: Request, runtime: RuntimeDep,
                from_size: Annotated[int, Query(alias="from", ge=1)],
                to_size: Annotated[int | None, Query(alias="to", ge=1)] = None) -> ConsistencyOut:
    guard_public(request)
    proof = ledger.consistency(runtime.db, brand, from_size, to_size)
    return ConsistencyOut(brand=proof.brand, old_size=proof.old_size, new_size=proof.new_size,
                          old_root=b64(proof.old_root), new_root=b64(proof.new_root), proof=[b64(p) for p in proof.proof])
