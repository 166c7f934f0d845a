"""`tracemark pool …`: reserve codes for a line, print offline, report back once online."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from codegen.code_pool import PoolRequest, reserve
from codegen.pool_file import PoolFile, append_log, log_path, next_batch, read_log
from codegen.printer import send_job
from trace.cli.output import say
from trace.cli.runtime_access import runtime
from trace.domain.code_pools import Reconciliation
from trace.errors import InvalidInput
from trace.identifiers import DigitalLink
from trace.services import pools

app = typer.Typer(help="Code pools: codes reserved for a line, printed offline, reported back.", no_args_is_help=True)


@app.command("reserve")
def reserve_command(
    line: str = typer.Option(..., "--line", help="The production line the codes are for."),
    gtin: str = typer.Option(..., "--gtin"),
    lot: str = typer.Option(..., "--lot"),
    count: int = typer.Option(..., "--count"),
    out: Path = typer.Option(..., "--out", help="Pool file to write (JSON), for the line PC."),
    low_water_mark: int = typer.Option(0, "--low-water-mark", help="Alert when fewer unprinted codes remain."),
) -> None:
    """Reserve COUNT signed codes for LINE and write the pool file."""
    rt = runtime()
    pool = reserve(rt.db, rt.key_store, PoolRequest(line=line, gtin=gtin, lot=lot, count=count, out=out,
                                                     low_water_mark=low_water_mark))
    say(f"reserved {len(pool.codes):,} codes in pool {pool.pool_id} for line {line} -> {out}")


@app.command("print")
def print_command(
    pool_path: Path = typer.Option(..., "--pool", help="The pool file from `tracemark pool reserve`."),
    count: int = typer.Option(..., "--count", help="How many new labels to print."),
    printer: str | None = typer.Option(None, "--printer", help="tcp://HOST[:PORT] of the label printer."),
    out: Path | None = typer.Option(None, "--out", help="Write the ZPL job to this file instead."),
    reprint: list[int] = typer.Option([], "--reprint", help="Re-print this already printed label first (repeatable)."),
) -> None:
    """Print the next COUNT labels from the local pool file: no server, no database."""
    if (printer is None) == (out is None):
        raise InvalidInput("give exactly one of --printer or --out")
    pool = PoolFile.load(pool_path)
    log = log_path(pool_path)
    batch = next_batch(pool, read_log(log), count, reprint=reprint)
    if printer is not None:
        report = send_job(printer, batch.zpl.encode("utf-8"))
        sent = f"{report.labels} labels, {report.bytes:,} bytes to {report.printer} in {report.attempts} attempt(s)"
    else:
        assert out is not None
        with out.open("a", encoding="utf-8") as target:
            target.write(batch.zpl)
        sent = f"{len(batch.labels)} labels to {out}"
    append_log(log, batch)
    first, last = batch.labels[0].sequence, batch.labels[-1].sequence
    say(f"printed {sent} (labels {first}-{last}); {batch.unprinted_after} unprinted codes left; log {log}")
    if batch.low:
        print(f"warning: pool {pool.pool_id} running low: {batch.unprinted_after} unprinted codes left "
              f"(low-water mark {pool.low_water_mark})", file=sys.stderr)


def _serials(path: Path | None) -> list[str]:
    if path is None:
        return []
    serials = []
    for line in path.read_text(encoding="utf-8").split():
        serials.append(DigitalLink.parse(line).serial if line.startswith(("https://", "http://")) else line)
    return serials


def _show(result: Reconciliation) -> None:
    typer.echo(json.dumps({"pool": result.pool_id, "commissioned": len(result.commissioned),
                           "voided": list(result.voided), "gaps": list(result.gaps),
                           "anomalies": list(result.anomalies), "remaining": result.remaining, "low": result.low}))


@app.command("commission")
def commission_command(
    pool_path: Path = typer.Option(..., "--pool"),
    printed: Path | None = typer.Option(None, "--printed", help="Print log (default: the one beside the pool)."),
    verified: Path = typer.Option(..., "--verified", help="Serials or URLs the camera verified, one per line."),
    rejected: Path | None = typer.Option(None, "--rejected", help="Serials or URLs rejected on the line."),
) -> None:
    """Commission printed-and-verified codes, void the rejects, report gaps and double prints."""
    pool = PoolFile.load(pool_path)
    log = read_log(printed or log_path(pool_path))
    result = pools.commission(runtime().db, pool.pool_id, printed=log, verified=_serials(verified),
                              rejected=_serials(rejected))
    _show(result)


@app.command("void")
def void_command(
    pool_path: Path = typer.Option(..., "--pool"),
    serials: Path = typer.Option(..., "--serials", help="Serials or URLs to void, one per line."),
) -> None:
    """Void reserved codes of the pool (rejected or damaged labels)."""
    _show(pools.void(runtime().db, PoolFile.load(pool_path).pool_id, _serials(serials)))


@app.command("low-water")
def low_water_command(
    pool_path: Path = typer.Option(..., "--pool"),
    mark: int = typer.Option(..., "--mark", help="Alert when fewer unprinted codes remain."),
) -> None:
    """Set the pool's low-water mark."""
    pools.set_low_water_mark(runtime().db, PoolFile.load(pool_path).pool_id, mark)
