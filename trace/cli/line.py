"""`tracemark line …`: the production line's checks of what it printed."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from codegen.line_verify import compare, seen_in_images, sent_from_print_log, sent_from_zpl
from codegen.pool_file import PoolFile
from trace.cli.output import say
from trace.cli.runtime_access import runtime
from trace.errors import InvalidInput
from trace.services import pools

app = typer.Typer(help="The production line: print-and-verify.", no_args_is_help=True)


@app.command("verify")
def verify_command(
    source: Path = typer.Option(..., "--source", help="Folder of camera images (PNG, JPEG, BMP, GIF, TIFF)."),
    sent: Path = typer.Option(..., "--sent", help="What was sent to print: a ZPL job or a pool print log (.jsonl)."),
    pool_path: Path | None = typer.Option(None, "--pool", help="The pool file (needed for a print log and --void)."),
    void: bool = typer.Option(False, "--void", help="Void the pool's missing and mismatched codes."),
) -> None:
    """Compare the codes the camera saw with the codes sent to print; print a JSON report."""
    pool = PoolFile.load(pool_path) if pool_path is not None else None
    if sent.suffix == ".jsonl":
        if pool is None:
            raise InvalidInput(f"cannot read print log {sent} without its pool: expected --pool pool.json")
        sent_codes = sent_from_print_log(sent, pool)
    else:
        try:
            sent_codes = sent_from_zpl(sent.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"cannot read ZPL job {sent}: {exc}") from exc
    if void and pool is None:
        raise InvalidInput("cannot --void without --pool: expected the pool file the labels came from")
    seen, unreadable = seen_in_images(source)
    report = compare(sent_codes, seen, unreadable)
    voided: list[str] = []
    if void and report.rejected_serials:
        assert pool is not None
        voided = list(pools.void(runtime().db, pool.pool_id, report.rejected_serials).voided)
    typer.echo(json.dumps({"matched": len(report.matched), "mismatched": list(report.mismatched),
                           "missing": list(report.missing), "unknown": list(report.unknown),
                           "unreadable": list(report.unreadable), "voided": voided}, indent=2))
    say(f"{len(report.matched)} matched, {len(report.mismatched)} mismatched, {len(report.missing)} missing,"
        f" {len(report.unknown)} unknown, {len(report.unreadable)} unreadable images")
