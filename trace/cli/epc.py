"""``tracemark epc``: encode EPCs for RFID tags and decode what a reader reports.

A thin shell over :mod:`trace.identifiers.epc`. Invalid input raises ``IdentifierError``,
which the CLI's main turns into one ``error: …`` line on stderr and exit status 1.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from trace.identifiers.epc import decode as decode_epc
from trace.identifiers.epc import encode as encode_epc

app = typer.Typer(help="EPC Tag Data Standard (RFID).", no_args_is_help=True)


@app.command("encode")
def encode(
    uri: Annotated[str, typer.Argument(
        help="EPC pure identity URI (urn:epc:id:…), tag URI (urn:epc:tag:…)"
        " or GS1 Digital Link URI."
    )],
    scheme: Annotated[str | None, typer.Option(
        help="Binary scheme, e.g. sgtin-96, sgtin-198, sscc-96, sgln-96 (a tag URI names its own)."
    )] = None,
    filter_value: Annotated[int | None, typer.Option(
        "--filter", help="Filter value 0-7 (a tag URI carries its own)."
    )] = None,
    company_prefix_length: Annotated[int | None, typer.Option(
        help="Digits of the GS1 Company Prefix (6-12); required for a Digital Link."
    )] = None,
) -> None:
    """Print the EPC binary encoding as upper-case hex, one line."""
    typer.echo(encode_epc(
        uri, scheme=scheme, filter=filter_value, company_prefix_length=company_prefix_length
    ))


@app.command("decode")
def decode(
    hex_text: Annotated[str, typer.Argument(
        metavar="HEX", help="EPC bank contents as hex; trailing zero padding is accepted."
    )],
) -> None:
    """Print the scheme, tag URI, pure identity URI, GS1 Digital Link and filter as JSON."""
    decoded = decode_epc(hex_text)
    document = {
        "scheme": decoded.scheme,
        "tag_uri": decoded.tag_uri,
        "pure_identity": decoded.pure_identity,
        "digital_link": decoded.digital_link,
        "filter": decoded.filter,
    }
    typer.echo(json.dumps(document, indent=2))
