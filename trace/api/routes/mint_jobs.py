"""Mint jobs over HTTP: a line PC asks for N signed codes of a lot."""

from __future__ import annotations

import csv
import io

from fastapi import APIRouter, Response, status

from codegen.mint_job import MintRequest, mint
from trace.api.deps import Minter, RuntimeDep, check_brand
from trace.api.schemas import MintedCodeOut, MintJobIn, MintJobOut
from trace.services.minting import mint_context

router = APIRouter(prefix="/api/v1/mint-jobs", tags=["minting"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=MintJobOut,
             responses={201: {"content": {"text/csv": {}, "application/zpl": {}}}})
def create_mint_job(body: MintJobIn, runtime: RuntimeDep, principal: Minter) -> Response | MintJobOut:
    """Mint ``count`` codes; the answer is JSON, or the CSV/ZPL file itself."""
    check_brand(principal, mint_context(runtime.db, gtin=body.gtin, lot=body.lot).brand)
    buffer = io.StringIO()
    output_format = "csv" if body.format == "json" else body.format
    summary = mint(runtime.db, runtime.key_store,
                   MintRequest(gtin=body.gtin, lot=body.lot, count=body.count, output_format=output_format,
                               out=None, requested_by=f"api:{principal.key_prefix}"),
                   stdout=buffer)
    if body.format == "csv":
        return Response(buffer.getvalue(), status_code=201, media_type="text/csv",
                        headers={"X-Mint-Job": str(summary.job_id)})
    if body.format == "zpl":
        return Response(buffer.getvalue(), status_code=201, media_type="application/zpl",
                        headers={"X-Mint-Job": str(summary.job_id)})
    codes = [MintedCodeOut(serial=row["serial"], url=row["url"]) for row in csv.DictReader(io.StringIO(buffer.getvalue()))]
    return MintJobOut(job_id=summary.job_id, brand=summary.brand, gtin=summary.gtin, lot=summary.lot,
                      count=summary.count, kid=summary.kid, codes=codes)
