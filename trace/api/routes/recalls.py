"""Recalls: preview, start, list, progress, affected units, close, corrections, exports.

Viewers (any key that may read) see a brand's recalls; only admins start, correct or close
them. A recall of another brand is a 404, like a recall that does not exist.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from trace.api.deps import BrandAdmin, Reader, RuntimeDep, check_brand
from trace.domain.access import Principal
from trace.errors import InvalidInput
from trace.services import recall, recall_events, recall_exports
from trace.services.recall_criteria import RecallCriteria, identifiers_from_csv

router = APIRouter(prefix="/api/v1/recalls", tags=["recalls"])


class CriteriaIn(BaseModel):
    gtin: str | None = None
    lots: list[str] = []
    line: str | None = None
    produced_from: str | None = None
    produced_to: str | None = None
    material_lots: list[str] = []
    identifiers: list[str] = []
    identifiers_csv: str | None = Field(None, description="A CSV with one identifier per row (imported, checked whole).")
    return_points: list[str] = []

    def criteria(self) -> RecallCriteria:
        data = self.model_dump(include=set(CriteriaIn.model_fields) - {"identifiers_csv"})
        if self.identifiers_csv:
            data["identifiers"] = [*self.identifiers, *identifiers_from_csv(self.identifiers_csv)]
        return RecallCriteria.from_json(data)


class StartIn(CriteriaIn):
    reason: str
    reference: str | None = None


class ExcludeIn(BaseModel):
    identifier: str
    reason: str


def _brand(principal: Principal, brand: str | None) -> str:
    chosen = brand or principal.brand
    if chosen is None:
        raise InvalidInput("which brand? pass ?brand=… or use an API key bound to a brand")
    check_brand(principal, chosen)
    return chosen


@router.post("/preview")
def preview_recall(body: CriteriaIn, runtime: RuntimeDep, principal: Reader, brand: str | None = None) -> dict:
    """Counts by status, location and kind of what the criteria would recall; changes nothing."""
    return asdict(recall.preview(runtime.db, _brand(principal, brand), body.criteria()))


@router.post("", status_code=201)
def start_recall(body: StartIn, runtime: RuntimeDep, principal: BrandAdmin, brand: str | None = None) -> dict:
    """Start a recall: record it, mark every affected unit recalled, notify partners."""
    started = recall.start(runtime.db, _brand(principal, brand), body.criteria(), reason=body.reason,
                           by=f"apikey:{principal.key_prefix}", reference=body.reference)
    return asdict(started)


@router.get("")
def list_recalls(runtime: RuntimeDep, principal: Reader, brand: str | None = None) -> list[dict]:
    return [asdict(r) for r in recall.list_recalls(runtime.db, _brand(principal, brand))]


@router.get("/{recall_id}")
def get_recall(recall_id: int, runtime: RuntimeDep, principal: Reader, brand: str | None = None) -> dict[str, Any]:
    """The recall and its progress: recovered / outstanding by location and per day."""
    chosen = _brand(principal, brand)
    return {**asdict(recall.get(runtime.db, chosen, recall_id)),
            "progress": asdict(recall.progress(runtime.db, chosen, recall_id))}


@router.get("/{recall_id}/units")
def recall_units(recall_id: int, runtime: RuntimeDep, principal: Reader, brand: str | None = None,
                 status: str | None = None, location: str | None = None, limit: int = 1000,
                 offset: int = 0) -> list[dict]:
    """Affected units; ``status`` is a status at start or recovered/outstanding/excluded."""
    return [asdict(u) for u in recall.units(runtime.db, _brand(principal, brand), recall_id, status=status,
                                            location=location, limit=min(limit, 10_000), offset=offset)]


@router.post("/{recall_id}/close")
def close_recall(recall_id: int, runtime: RuntimeDep, principal: BrandAdmin, brand: str | None = None) -> dict:
    return asdict(recall.close(runtime.db, _brand(principal, brand), recall_id, by=f"apikey:{principal.key_prefix}"))


@router.post("/{recall_id}/exclusions", status_code=204)
def exclude_unit(recall_id: int, body: ExcludeIn, runtime: RuntimeDep, principal: BrandAdmin,
                 brand: str | None = None) -> Response:
    """Correct a unit wrongly included (EPCIS errorDeclaration + corrective events)."""
    recall_events.exclude(runtime.db, _brand(principal, brand), recall_id, body.identifier, reason=body.reason,
                          by=f"apikey:{principal.key_prefix}")
    return Response(status_code=204)


@router.get("/{recall_id}/export.csv")
def export_csv(recall_id: int, runtime: RuntimeDep, principal: Reader, brand: str | None = None) -> StreamingResponse:
    chosen = _brand(principal, brand)
    recall.get(runtime.db, chosen, recall_id)  # 404 before streaming starts
    return StreamingResponse(recall_exports.csv_lines(runtime.db, chosen, recall_id), media_type="text/csv",
                             headers={"Content-Disposition": f'attachment; filename="recall-{recall_id}.csv"'})


@router.get("/{recall_id}/export.jsonld")
def export_epcis(recall_id: int, runtime: RuntimeDep, principal: Reader, brand: str | None = None) -> Response:
    import json
    document = recall_events.epcis_document(runtime.db, _brand(principal, brand), recall_id)
    return Response(json.dumps(document), media_type="application/ld+json")


@router.get("/{recall_id}/summary.pdf")
def export_pdf(recall_id: int, runtime: RuntimeDep, principal: Reader, brand: str | None = None) -> Response:
    return Response(recall_exports.summary_pdf(runtime.db, _brand(principal, brand), recall_id),
                    media_type="application/pdf")
