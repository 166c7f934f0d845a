"""Recall exports: the affected units as a CSV, and a PDF summary for regulators.

CSV columns follow the FDA FSMA 204 "sortable spreadsheet" (21 CFR 1.1455(c)(3)(ii))
where they apply, then Tracemark's own:

- Traceability Lot Code ← the item's lot number (``unit`` → ``lot``); empty for cases and
  pallets (an SSCC carries no lot);
- Product Description ← the product name of the item's GTIN; "logistic unit (case|pallet)";
- Quantity ← 1 (one row per identified unit); Unit of Measure ← ``each``, ``case``, ``pallet``;
- Location Description ← the unit's location (bizLocation, else readPoint) when the recall started;
- Date ← the day the recall started (the event these rows describe: the recall of the unit).

The EPCIS export of the recall events is :func:`trace.services.recall_events.epcis_document`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from sqlalchemy import select

from trace.db.catalog import Lot, Product
from trace.db.database import Database
from trace.db.recalls import RecallUnit
from trace.db.units import Unit
from trace.services import recall

COLUMNS = ("Traceability Lot Code", "Product Description", "Quantity", "Unit of Measure", "Location Description",
           "Date", "Identifier", "Kind", "Status at start", "Custodian at start", "Progress", "Recovered at")


def csv_lines(db: Database, brand: str, recall_id: int) -> Iterator[str]:
    """The affected-unit CSV, one line at a time (large recalls stream)."""
    summary = recall.get(db, brand, recall_id)
    day = summary.started_at.date().isoformat() if summary.started_at else ""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    yield _take(out)
    with db.reading() as session:
        items = {f"01{gtin}21{serial}": (lot, name) for gtin, serial, lot, name in session.execute(
            select(Unit.gtin, Unit.serial, Lot.lot_number, Product.name).join(Lot, Lot.id == Unit.lot_id)
            .join(Product, Product.id == Lot.product_id)
            .join(RecallUnit, RecallUnit.epc_key == "01" + Unit.gtin + "21" + Unit.serial)
            .where(RecallUnit.recall_id == recall_id))}
    offset = 0
    while True:
        page = recall.units(db, brand, recall_id, limit=10_000, offset=offset)
        if not page:
            return
        for unit in page:
            lot, name = items.get(unit.key, ("", f"logistic unit ({unit.kind})" if unit.kind != "item" else ""))
            writer.writerow((lot, name, 1, "each" if unit.kind == "item" else unit.kind, unit.location_at_start or "",
                             day, unit.uri, unit.kind, unit.status_at_start, unit.custodian_at_start or "",
                             unit.state, unit.recovered_at.isoformat() if unit.recovered_at else ""))
        yield _take(out)
        offset += len(page)


def _take(buffer: io.StringIO) -> str:
    value = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return value


def summary_pdf(db: Database, brand: str, recall_id: int) -> bytes:
    """A one-to-two page summary: what, why, when, who, how many where, recovered so far."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    summary = recall.get(db, brand, recall_id)
    progress = recall.progress(db, brand, recall_id)
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    facts = [["Reference", summary.reference], ["Status", summary.status], ["Reason", summary.reason],
             ["Started", f"{summary.started_at:%Y-%m-%d %H:%M} UTC by {summary.created_by}" if summary.started_at else ""],
             ["Closed", f"{summary.closed_at:%Y-%m-%d %H:%M} UTC by {summary.closed_by}" if summary.closed_at else "—"],
             ["Criteria", Paragraph(", ".join(f"{k}: {v}" for k, v in summary.criteria.items() if v), styles["Normal"])],
             ["Affected units", f"{progress.total:,} (excluded as corrections: {progress.excluded:,})"],
             ["Recovered / outstanding", f"{progress.recovered:,} / {progress.outstanding:,}"]]
    rows = [["Location at start", "Units", "Recovered", "Outstanding"]] + [
        [Paragraph(p.location or "(never scanned)", styles["Normal"]), f"{p.total:,}", f"{p.recovered:,}",
         f"{p.outstanding:,}"] for p in progress.by_location[:40]]
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    story = [Paragraph(f"Recall {summary.reference} — summary for regulators", styles["Title"]),
             Table(facts, colWidths=[130, 350], style=grid), Spacer(1, 12),
             Paragraph("Affected units by location", styles["Heading2"]),
             Table(rows, colWidths=[260, 70, 70, 80], style=grid)]
    SimpleDocTemplate(buffer, pagesize=A4, title=f"Recall {summary.reference}").build(story)
    return buffer.getvalue()
