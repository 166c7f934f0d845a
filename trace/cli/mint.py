"""`tracemark mint`: signed codes for a lot, as CSV, ZPL, QR/DataMatrix images, PDF, EPC plans or NDEF."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from codegen.mint_job import FORMATS, MintRequest, mint
from trace.cli.output import say
from trace.cli.progress import progress_bar
from trace.cli.runtime_access import runtime
from trace.errors import InvalidInput


def mint_command(
    gtin: str = typer.Option(..., "--gtin", help="GTIN of a registered product."),
    lot: str = typer.Option(..., "--lot", help="A registered lot of that product."),
    count: int = typer.Option(..., "--count", help="How many codes to mint."),
    output_format: str = typer.Option("csv", "--format", help=f"One of: {', '.join(FORMATS)}."),
    out: Path | None = typer.Option(None, "--out", help="Output file (directory or .zip for svg/png). Default: stdout for csv/zpl."),
    serials: str | None = typer.Option(None, "--serials", help="random (65 bits) or numeric (38 bits, SGTIN-96). Default: numeric for epc."),
    nfc_chip: str = typer.Option("ntag215", "--nfc-chip", help="ndef: ntag213 (144 B), ntag215 (504 B) or ntag216 (888 B)."),
    user_memory_bits: int = typer.Option(2048, "--user-memory-bits", help="epc: RFID user memory assumed (2048: NXP UCODE 7xm-2k)."),
) -> None:
    """Mint COUNT signed one-item-one-code identifiers for a lot and write the carrier output."""
    if out is None and output_format in ("svg", "png", "pdf", "dm-svg", "dm-png"):
        raise InvalidInput(f"--out is required for --format {output_format}")
    rt = runtime()
    request = MintRequest(gtin=gtin, lot=lot, count=count, output_format=output_format, out=out, requested_by="cli",
                          serials=serials, nfc_chip=nfc_chip, user_memory_bits=user_memory_bits)
    with progress_bar(f"minting {output_format}", count) as advance:
        summary = mint(rt.db, rt.key_store, request, stdout=sys.stdout, progress=advance)
    target = str(out) if out is not None else "stdout"
    say(f"minted {summary.count:,} codes for GTIN {summary.gtin} lot {summary.lot} "
        f"(job {summary.job_id}, key {summary.kid}) -> {target}")
