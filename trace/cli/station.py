"""``tracemark station``: run a reading station, or forward its offline buffer now.

A thin shell over :mod:`readers.station`: load the station file, open the source, run,
print a summary. Notices (each recorded event, refused reads, server rejections) go to
stderr; the summary goes to stdout. A bad station file or source is a ``TraceError``
that the CLI's ``main`` prints as one ``error: …`` line.

The partner API key is read from the environment variable the station file names
(``api_key_env``), never from the file or the command line.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated

import typer

from readers.sources import SOURCE_HELP, open_source
from readers.station import StationSummary, flush_station, load_station_config, run_station
from trace.cli.output import say
from trace.errors import InvalidInput

app = typer.Typer(help="Reading stations: scanners, cameras, NFC and RFID readers to EPCIS events.",
                  no_args_is_help=True)

StationFile = Annotated[Path, typer.Argument(help="The station file (TOML or JSON).")]


@app.command("run")
def run_command(
    station_file: StationFile,
    source: Annotated[str, typer.Option("--source", help=f"Where reads come from: {SOURCE_HELP}.")] = "stdin",
    once: Annotated[bool, typer.Option("--once", help="Read what is there (one tap, one report) and stop.")] = False,
) -> None:
    """Turn what the station reads into EPCIS events, buffer them, post them to the server."""
    config = load_station_config(station_file)
    stop = threading.Event()
    refused_at_source: list[str] = []

    def refuse(text: str, error: InvalidInput) -> None:
        refused_at_source.append(text)
        say(f"refused: {error}")

    readings = open_source(source, once=once, commands=config.commands, stop=stop, on_invalid=refuse)
    in_main_thread = threading.current_thread() is threading.main_thread()
    # A service stop (SIGTERM) ends the run cleanly: last batch buffered, one last forward.
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set()) if in_main_thread else None
    try:
        summary = run_station(config, readings, notify=say, stop=stop)
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
    typer.echo(f"station {config.name}: {summary.reads} read, {summary.events} event(s) recorded,"
               f" {summary.refused + len(refused_at_source)} refused; {_delivery(summary)}")


@app.command("flush")
def flush_command(station_file: StationFile) -> None:
    """Forward the station's buffered events now; exit 1 if some are still pending."""
    config = load_station_config(station_file)
    summary = flush_station(config, notify=say)
    typer.echo(f"station {config.name}: {_delivery(summary)}")
    if summary.buffer.pending:
        say(f"{summary.buffer.pending} event(s) still pending: {summary.forwarding.stopped or 'not sent'}")
        raise typer.Exit(code=1)


def _delivery(summary: StationSummary) -> str:
    report, counts = summary.forwarding, summary.buffer
    return (f"forwarded {report.sent} ({report.duplicates} already captured), rejected"
            f" {len(report.rejected)}; buffer: {counts.pending} pending, {counts.sent} sent,"
            f" {counts.rejected} rejected")
