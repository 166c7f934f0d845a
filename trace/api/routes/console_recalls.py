"""Console recall pages: list, new (with a live preview), start, progress, close, exports.

The new-recall form takes every criterion the recall service combines (product + lots, line
+ window, material lots, identifiers typed or imported from a CSV upload; see
:mod:`trace.api.console_recall_form`); a form that does not parse is shown again with the
reason, and nothing is recorded.

A viewer previews and reads; only an admin starts or closes. Exports are the API's exports
(:mod:`trace.services.recall_exports`, :func:`trace.services.recall_events.epcis_document`)
served with the staff session instead of an API key.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from trace.api.console_chart import stacked
from trace.api.console_recall_form import MAX_CSV_BYTES, CsvUpload, RecallForm
from trace.api.console_session import ConsoleRoute, Staff, StaffForm, Text, render
from trace.api.deps import RuntimeDep
from trace.db.base import utc_now
from trace.domain.access import Permission
from trace.errors import InvalidInput, NotFound
from trace.services import recall, recall_events, recall_exports, recall_timeline
from trace.services.recall import PROGRESS_STATES
from trace.services.recall_scope import STATUSES

router = APIRouter(prefix="/console/recalls", tags=["console"], route_class=ConsoleRoute, include_in_schema=False)
UNITS_SHOWN = 500


LongText = Annotated[str, Form(max_length=1_000_000)]
"""A list field (identifiers, lots, return points): up to about 12,000 identifiers."""
CsvFile = Annotated[UploadFile | None, File(description="CSV: one identifier per row")]


def recall_form(gtin: Text = "", lots: Text = "", line: Text = "", produced_from: Text = "", produced_to: Text = "",
                material_lots: LongText = "", identifiers: LongText = "", imported: LongText = "",
                imported_from: Text = "", return_points: LongText = "", reason: Text = "",
                reference: Text = "") -> RecallForm:
    return RecallForm(gtin=gtin, lots=lots, line=line, produced_from=produced_from, produced_to=produced_to,
                      material_lots=material_lots, identifiers=identifiers, imported=imported,
                      imported_from=imported_from, return_points=return_points, reason=reason, reference=reference)


FormFields = Annotated[RecallForm, Depends(recall_form)]


def _upload(csv_file: UploadFile | None) -> CsvUpload | None:
    if csv_file is None or not csv_file.filename:
        return None  # the file input left empty
    return CsvUpload(name=csv_file.filename, content=csv_file.file.read(MAX_CSV_BYTES + 1))


@router.get("", response_class=HTMLResponse)
def recalls_page(request: Request, console: Staff, runtime: RuntimeDep) -> Response:
    return render(request, "recalls.html", console=console, recalls=recall.list_recalls(runtime.db, console.member.brand))


@router.get("/new", response_class=HTMLResponse)
def new_recall_page(request: Request, console: Staff, gtin: str = "", lots: str = "") -> Response:
    return render(request, "recall_new.html", console=console, form=RecallForm(gtin=gtin, lots=lots), preview=None)


@router.post("/preview", response_class=HTMLResponse)
def preview_recall(request: Request, console: StaffForm, runtime: RuntimeDep, form: FormFields,
                   csv_file: CsvFile = None) -> Response:
    try:
        form = form.with_upload(_upload(csv_file))
        found = recall.preview(runtime.db, console.member.brand, form.criteria())
    except (InvalidInput, NotFound) as exc:
        return render(request, "recall_new.html", http_status=400, console=console, form=form, preview=None,
                      error=str(exc))
    return render(request, "recall_new.html", console=console, form=form, preview=found)


@router.post("")
def start_recall(request: Request, console: StaffForm, runtime: RuntimeDep, form: FormFields,
                 csv_file: CsvFile = None) -> Response:
    console.require(Permission.MANAGE_BRANDS)
    try:
        form = form.with_upload(_upload(csv_file))
        criteria = form.criteria()
        if not form.reason.strip():
            raise InvalidInput("a recall needs a reason: expected a non-empty reason")
        started = recall.start(runtime.db, console.member.brand, criteria, reason=form.reason.strip(),
                               by=console.member.actor, reference=form.reference.strip() or None)
    except (InvalidInput, NotFound) as exc:  # nothing was recorded: the form again, with the reason
        return render(request, "recall_new.html", http_status=400, console=console, form=form, preview=None,
                      error=str(exc))
    return RedirectResponse(f"/console/recalls/{started.id}", status_code=303)


@router.get("/{recall_id}", response_class=HTMLResponse)
def recall_page(request: Request, recall_id: int, console: Staff, runtime: RuntimeDep, status: str | None = None,
                location: str | None = None) -> Response:
    brand = console.member.brand
    summary = recall.get(runtime.db, brand, recall_id)
    progress = recall.progress(runtime.db, brand, recall_id)
    points = recall_timeline.timeline(summary, progress, today=utc_now().date())
    chart = stacked([(p.day.strftime("%d %b"), p.recovered, p.outstanding) for p in points])
    units = recall.units(runtime.db, brand, recall_id, status=status or None, location=location or None,
                         limit=UNITS_SHOWN)
    return render(request, "recall.html", console=console, recall=summary, progress=progress, chart=chart,
                  units=units, limit=UNITS_SHOWN, statuses=PROGRESS_STATES + STATUSES, status=status,
                  location=location)


@router.post("/{recall_id}/close")
def close_recall(recall_id: int, console: StaffForm, runtime: RuntimeDep) -> Response:
    console.require(Permission.MANAGE_BRANDS)
    recall.close(runtime.db, console.member.brand, recall_id, by=console.member.actor)
    return RedirectResponse(f"/console/recalls/{recall_id}", status_code=303)


@router.get("/{recall_id}/export.csv")
def export_csv(recall_id: int, console: Staff, runtime: RuntimeDep) -> Response:
    recall.get(runtime.db, console.member.brand, recall_id)  # 404 before streaming starts
    return StreamingResponse(recall_exports.csv_lines(runtime.db, console.member.brand, recall_id),
                             media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="recall-{recall_id}.csv"',
                                      "Cache-Control": "no-store"})


@router.get("/{recall_id}/export.jsonld")
def export_epcis(recall_id: int, console: Staff, runtime: RuntimeDep) -> Response:
    document = recall_events.epcis_document(runtime.db, console.member.brand, recall_id)
    return Response(json.dumps(document), media_type="application/ld+json",
                    headers={"Content-Disposition": f'attachment; filename="recall-{recall_id}.jsonld"',
                             "Cache-Control": "no-store"})


@router.get("/{recall_id}/summary.pdf")
def export_pdf(recall_id: int, console: Staff, runtime: RuntimeDep) -> Response:
    return Response(recall_exports.summary_pdf(runtime.db, console.member.brand, recall_id),
                    media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="recall-{recall_id}.pdf"',
                             "Cache-Control": "no-store"})
