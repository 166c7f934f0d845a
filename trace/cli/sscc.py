"""`tracemark sscc …`: SSCCs for case and pallet labels."""

from __future__ import annotations

from pathlib import Path

import typer

from codegen.sscc_labels import labels_of
from codegen.sscc_output import check_output, write_labels
from trace.cli.output import say
from trace.cli.runtime_access import runtime
from trace.errors import InvalidInput
from trace.services import sscc

app = typer.Typer(help="SSCCs for cases and pallets: allocated once, labelled in GS1-128, QR and EPC.",
                  no_args_is_help=True)


@app.command("mint")
def mint_command(
    brand: str = typer.Option(..., "--brand", help="Brand slug."),
    count: int = typer.Option(..., "--count", help="How many SSCCs (labels)."),
    extension: int = typer.Option(0, "--extension", help="SSCC extension digit, 0 to 9."),
    fmt: str = typer.Option("zpl", "--format", help="zpl, pdf, csv or png."),
    out: Path | None = typer.Option(None, "--out", help="Output file (png: a directory or .zip); default stdout."),
    level: str = typer.Option("case", "--level", help="case (EPC filter 2) or pallet (EPC filter 6)."),
    company_prefix: str | None = typer.Option(None, "--company-prefix",
                                              help="GS1 Company Prefix (default: the one the brand's GTINs share)."),
) -> None:
    """Allocate COUNT new SSCCs for BRAND and write their labels."""
    if level not in ("case", "pallet"):
        raise InvalidInput(f"invalid level {level!r}: expected case or pallet")
    check_output(fmt, out)
    allocation = sscc.allocate(runtime().db, brand, count=count, extension_digit=extension,
                               company_prefix=company_prefix)
    written = write_labels(fmt, labels_of(allocation, level=level), out)  # type: ignore[arg-type]
    say(f"allocated {written} SSCCs {allocation.ssccs[0]}..{allocation.ssccs[-1]} for {allocation.brand!r}"
        f" (ledger {allocation.ledger_ref}) -> {out or 'stdout'}")
