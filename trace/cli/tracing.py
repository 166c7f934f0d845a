"""`tracemark trace ID` (a readable timeline) and `tracemark dwell` (a dwell-time report)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from trace.cli.runtime_access import runtime
from trace.services import dwell, tracing


def _short(uri: str | None) -> str:
    if not uri:
        return ""
    return uri.rsplit(":", 1)[-1] if uri.startswith("urn:epcglobal:cbv:") else uri


def trace_command(identifier: str = typer.Argument(..., help="EPC URN, Digital Link or element string key."),
                  brand: str = typer.Option(..., "--brand")) -> None:
    """Print where an object is now, what it contains and its timeline (through its containers)."""
    db = runtime().db
    state = tracing.current_state(db, brand, identifier)
    console = Console()
    console.print(f"[bold]{state.uri}[/bold]")
    console.print(f"now: {_short(state.biz_step) or '-'} / {_short(state.disposition) or '-'} at "
                  f"{state.biz_location or state.read_point or 'unknown location'}"
                  + (f", inside {state.parent}" if state.parent else "")
                  + (f", custodian {state.custodian}" if state.custodian else ""))
    node = tracing.contents(db, brand, identifier)
    if node.children:
        count = _count(node) - 1
        console.print(f"contains {len(node.children)} object(s) directly, {count} in all")
    table = Table(title="timeline")
    for column in ("time (UTC)", "event", "step", "disposition", "where", "via"):
        table.add_column(column)
    for entry in tracing.history(db, brand, identifier):
        table.add_row(entry.event_time.strftime("%Y-%m-%d %H:%M:%S"),
                      f"{entry.event_type} {entry.action or ''}".strip() + (" (declared erroneous)" if entry.erroneous else ""),
                      _short(entry.biz_step), _short(entry.disposition), entry.biz_location or entry.read_point or "",
                      entry.via or "")
    console.print(table)


def _count(node: tracing.ContentsNode) -> int:
    return 1 + sum(_count(child) for child in node.children)


def dwell_command(brand: str = typer.Option(..., "--brand"), gtin: str | None = typer.Option(None, "--gtin"),
                  lot: str | None = typer.Option(None, "--lot"),
                  location: str | None = typer.Option(None, "--location")) -> None:
    """Dwell times between business steps and at locations."""
    table = Table(title="dwell times (hours)")
    for column in ("from step", "to step", "location", "objects", "mean", "median", "p90", "max"):
        table.add_column(column)
    for stat in dwell.dwell_times(runtime().db, brand, gtin=gtin, lot=lot, location=location):
        table.add_row(_short(stat.from_step), _short(stat.to_step), stat.location or "", str(stat.count),
                      *(f"{v / 3600:.1f}" for v in (stat.mean_s, stat.median_s, stat.p90_s, stat.max_s)))
    Console().print(table)
