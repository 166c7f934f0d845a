"""`tracemark print`: send a ZPL file to a networked label printer (raw TCP 9100)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from codegen.printer import send_job
from trace.errors import InvalidInput


def print_command(
    file: Path = typer.Argument(..., help="ZPL file to print as one job."),
    printer: str = typer.Option(..., "--printer", help="tcp://HOST[:PORT] (port 9100 by default)."),
    attempts: int = typer.Option(5, "--attempts", help="Connection attempts before giving up."),
) -> None:
    """Send FILE to the printer in one connection and report what was sent (JSON)."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {file}: {exc.strerror}") from exc
    report = send_job(printer, data, attempts=attempts)
    typer.echo(json.dumps({"printer": report.printer, "labels": report.labels, "bytes": report.bytes,
                           "attempts": report.attempts}))
