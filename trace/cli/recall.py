"""`tracemark recall preview|start|status|close|exclude|export`: a thin shell over trace.services.recall."""

from __future__ import annotations

import getpass
import json
from dataclasses import asdict
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from trace.cli.runtime_access import runtime
from trace.services import recall, recall_events, recall_exports
from trace.services.recall_criteria import RecallCriteria, identifiers_from_csv

app = typer.Typer(help="Recalls: blast radius, start, progress, close, exports.", no_args_is_help=True)

BRAND = typer.Option(..., "--brand")
JSON = typer.Option(False, "--json", help="Print JSON.")


def _criteria(gtin: str | None, lots: list[str], line: str | None, produced_from: str | None, produced_to: str | None,
              material: list[str], identifiers: list[str], csv_file: Path | None,
              return_points: list[str]) -> RecallCriteria:
    listed = [*identifiers, *(identifiers_from_csv(csv_file.read_text("utf-8")) if csv_file else ())]
    return RecallCriteria.from_json({"gtin": gtin, "lots": lots, "line": line, "produced_from": produced_from,
                                     "produced_to": produced_to, "material_lots": material, "identifiers": listed,
                                     "return_points": return_points})


def _print(data: object, as_json: bool, title: str) -> None:
    if as_json:
        typer.echo(json.dumps(data, default=str))
        return
    table = Table(title=title)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in (data.items() if isinstance(data, dict) else ()):
        if isinstance(value, dict):
            for inner, count in value.items():
                table.add_row(f"{key}: {inner or '(unknown)'}", f"{count:,}" if isinstance(count, int) else str(count))
        else:
            table.add_row(key, str(value))
    Console().print(table)


@app.command("preview")
def preview_command(brand: str = BRAND, gtin: str | None = typer.Option(None, "--gtin"),
                    lot: list[str] = typer.Option([], "--lot"), line: str | None = typer.Option(None, "--line"),
                    produced_from: str | None = typer.Option(None, "--from"),
                    produced_to: str | None = typer.Option(None, "--to"),
                    material: list[str] = typer.Option([], "--material", help="Supplier/material lot (LGTIN) or input."),
                    identifier: list[str] = typer.Option([], "--id", help="Item, case or pallet identifier."),
                    csv_file: Path | None = typer.Option(None, "--csv", help="CSV: one identifier per row."),
                    as_json: bool = JSON) -> None:
    """Counts by status, location and kind of what would be recalled; changes nothing."""
    criteria = _criteria(gtin, lot, line, produced_from, produced_to, material, identifier, csv_file, [])
    result = recall.preview(runtime().db, brand, criteria)
    _print(asdict(result), as_json, f"recall preview: {result.total:,} units ({result.seconds:.2f} s)")


@app.command("start")
def start_command(brand: str = BRAND, reason: str = typer.Option(..., "--reason"),
                  reference: str | None = typer.Option(None, "--reference"),
                  gtin: str | None = typer.Option(None, "--gtin"), lot: list[str] = typer.Option([], "--lot"),
                  line: str | None = typer.Option(None, "--line"),
                  produced_from: str | None = typer.Option(None, "--from"),
                  produced_to: str | None = typer.Option(None, "--to"),
                  material: list[str] = typer.Option([], "--material"),
                  identifier: list[str] = typer.Option([], "--id"),
                  csv_file: Path | None = typer.Option(None, "--csv"),
                  return_point: list[str] = typer.Option([], "--return-point", help="SGLN where returns are received."),
                  by: str = typer.Option(getpass.getuser(), "--by"), as_json: bool = JSON) -> None:
    """Start a recall: record it, mark every affected unit recalled, notify partners."""
    criteria = _criteria(gtin, lot, line, produced_from, produced_to, material, identifier, csv_file, return_point)
    started = recall.start(runtime().db, brand, criteria, reason=reason, by=by, reference=reference)
    _print(asdict(started), as_json, f"recall {started.reference} started (id {started.id})")


@app.command("status")
def status_command(recall_id: int = typer.Argument(...), brand: str = BRAND, as_json: bool = JSON) -> None:
    """A recall with its progress: recovered / outstanding by location and per day."""
    db = runtime().db
    summary, progress = recall.get(db, brand, recall_id), recall.progress(db, brand, recall_id)
    if as_json:
        typer.echo(json.dumps({**asdict(summary), "progress": asdict(progress)}, default=str))
        return
    console = Console()
    console.print(f"[bold]{summary.reference}[/bold] {summary.status}: {summary.reason}")
    console.print(f"{progress.recovered:,} recovered, {progress.outstanding:,} outstanding, "
                  f"{progress.excluded:,} excluded of {progress.total + progress.excluded:,}")
    table = Table(title="by location at start")
    for column in ("location", "units", "recovered", "outstanding"):
        table.add_column(column)
    for p in progress.by_location:
        table.add_row(p.location or "(unknown)", f"{p.total:,}", f"{p.recovered:,}", f"{p.outstanding:,}")
    console.print(table)


@app.command("close")
def close_command(recall_id: int = typer.Argument(...), brand: str = BRAND,
                  by: str = typer.Option(getpass.getuser(), "--by")) -> None:
    """Close an active recall (who and when are recorded; figures are frozen)."""
    closed = recall.close(runtime().db, brand, recall_id, by=by)
    typer.echo(f"recall {closed.reference} closed at {closed.closed_at:%Y-%m-%d %H:%M} UTC by {closed.closed_by}")


@app.command("exclude")
def exclude_command(recall_id: int = typer.Argument(...), identifier: str = typer.Argument(...), brand: str = BRAND,
                    reason: str = typer.Option(..., "--reason"),
                    by: str = typer.Option(getpass.getuser(), "--by")) -> None:
    """Correct a unit wrongly included (EPCIS errorDeclaration + corrective events)."""
    recall_events.exclude(runtime().db, brand, recall_id, identifier, reason=reason, by=by)
    typer.echo(f"{identifier} excluded from recall {recall_id}")


@app.command("export")
def export_command(recall_id: int = typer.Argument(...), brand: str = BRAND,
                   fmt: str = typer.Option("csv", "--format", help="csv, epcis or pdf."),
                   output: Path = typer.Option(..., "--output", "-o")) -> None:
    """Export the affected units (CSV, FSMA 204 columns), the recall events (EPCIS) or a PDF summary."""
    db = runtime().db
    if fmt == "csv":
        with output.open("w", encoding="utf-8", newline="") as out:
            out.writelines(recall_exports.csv_lines(db, brand, recall_id))
    elif fmt == "epcis":
        output.write_text(json.dumps(recall_events.epcis_document(db, brand, recall_id), indent=1), "utf-8")
    elif fmt == "pdf":
        output.write_bytes(recall_exports.summary_pdf(db, brand, recall_id))
    else:
        raise typer.BadParameter(f"unknown format {fmt!r}: expected csv, epcis or pdf")
    typer.echo(f"wrote {output}")
