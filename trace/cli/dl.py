"""``tracemark dl``: inspect GS1 Digital Link URIs.

A thin shell over :class:`trace.identifiers.DigitalLink`: parse, print JSON, and turn an
invalid URI into one ``error: …`` line on stderr with exit code 2.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from trace.errors import IdentifierError
from trace.identifiers import DigitalLink, application_identifier

app = typer.Typer(help="GS1 Digital Link URIs.", no_args_is_help=True)

# Exit code for input the command cannot accept (as click does for usage errors).
EXIT_INVALID_INPUT = 2


@app.callback()
def _group() -> None:
    # Keeps ``parse`` a named sub-command even while it is the only one.
    pass


@app.command("parse")
def parse(
    uri: Annotated[str, typer.Argument(help="A GS1 Digital Link URI, e.g. https://id.gs1.org/01/09520123456788.")],
) -> None:
    """Validate a GS1 Digital Link URI and print its canonical form and GS1 data as JSON."""
    try:
        link = DigitalLink.parse(uri)
    except IdentifierError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=EXIT_INVALID_INPUT) from exc
    key_ai, key_value = link.primary
    document = {
        "uri": link.as_uri(),
        "element_string": link.element_string(),
        "primary_key": {"ai": key_ai, "value": key_value},
        "ais": [
            {"ai": ai, "name": application_identifier(ai).title, "value": value}
            for ai, value in link.ais
        ],
        "signature": link.signature,
    }
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
