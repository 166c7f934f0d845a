"""Beyond EPCIS: one object's current state, its history through containers, its contents; dwell times."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter

from trace.api.deps import Reader, RuntimeDep, check_brand
from trace.domain.access import Principal
from trace.errors import InvalidInput
from trace.services import dwell, tracing

router = APIRouter(prefix="/api/v1", tags=["traceability"])


def _brand(principal: Principal, brand: str | None) -> str:
    chosen = brand or principal.brand
    if chosen is None:
        raise InvalidInput("which brand? pass ?brand=… or use an API key bound to a brand")
    check_brand(principal, chosen)
    return chosen


def _tree(node: tracing.ContentsNode) -> dict[str, Any]:
    return {**asdict(node.object), "contents": [_tree(child) for child in node.children]}


@router.get("/units/{identifier:path}/history")
def unit_history(identifier: str, runtime: RuntimeDep, principal: Reader, brand: str | None = None) -> list[dict]:
    """Every event of the object, and of the containers it travelled in while it was inside."""
    return [asdict(e) for e in tracing.history(runtime.db, _brand(principal, brand), identifier)]


@router.get("/units/{identifier:path}/contents")
def unit_contents(identifier: str, runtime: RuntimeDep, principal: Reader, brand: str | None = None) -> dict:
    """What the object contains, recursively (pallet → cases → items)."""
    return _tree(tracing.contents(runtime.db, _brand(principal, brand), identifier))


@router.get("/units/{identifier:path}")
def unit_state(identifier: str, runtime: RuntimeDep, principal: Reader, brand: str | None = None) -> dict:
    """Current state: last business step, disposition, location, custodian, container."""
    return asdict(tracing.current_state(runtime.db, _brand(principal, brand), identifier))


@router.get("/dwell")
def dwell_times(runtime: RuntimeDep, principal: Reader, brand: str | None = None, gtin: str | None = None,
                lot: str | None = None, location: str | None = None) -> list[dict]:
    """Time between business steps and at each location, for a product, lot or location."""
    return [asdict(s) for s in dwell.dwell_times(runtime.db, _brand(principal, brand), gtin=gtin, lot=lot,
                                                  location=location)]
