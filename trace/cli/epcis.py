"""``tracemark epcis``: check EPCIS 2.0 documents and print their Event Hash IDs.

A thin shell over :mod:`trace.domain.epcis`. ``hash`` lets an invalid document's
``EpcisValidationError`` reach the CLI's root, which prints it as one ``error: …`` line
and exits 1; ``validate`` exists to list problems, so it prints every one (one per line,
``event N /pointer: message``) and exits 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trace.domain.epcis import parse_document
from trace.errors import EpcisValidationError, InvalidInput

app = typer.Typer(help="GS1 EPCIS 2.0 documents.", no_args_is_help=True)

DocumentFile = Annotated[Path, typer.Argument(help="An EPCISDocument (JSON-LD file).")]


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read EPCIS document {str(file)!r}: {exc.strerror or exc}") from exc


@app.command("hash")
def hash_command(file: DocumentFile) -> None:
    """Print the CBV 2.0 Event Hash ID of every event, one per line, in document order."""
    document = parse_document(_read(file))
    for event in document.events:
        typer.echo(event.hash_id)


@app.command("validate")
def validate_command(file: DocumentFile) -> None:
    """Check a document against the EPCIS 2.0 schema, the CBV and the identifier rules."""
    data = _read(file)
    try:
        document = parse_document(data)
    except EpcisValidationError as exc:
        for problem in exc.errors:
            typer.echo(str(problem))
        typer.echo(f"invalid: {len(exc.errors)} problem{'s' if len(exc.errors) != 1 else ''}", err=True)
        raise typer.Exit(code=1) from exc
    count = len(document.events)
    typer.echo(f"ok: {count} event{'s' if count != 1 else ''}")
