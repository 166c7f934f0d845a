"""`tracemark bench …`: measured figures next to a baseline from the same run."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer
from rich.console import Console
from rich.table import Table

from codegen.bench_mint import bench_mint

app = typer.Typer(help="Benchmarks: figures next to a baseline measured in the same run.", no_args_is_help=True)


@app.command("mint")
def mint_bench(
    count: int = typer.Option(200_000, "--count", help="Codes to mint."),
    database_url: str | None = typer.Option(
        None, "--database-url", help="Database to mint into (default: a fresh SQLite file in a temp dir)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
) -> None:
    """Mint and sign codes into the database (CSV out) vs the raw Ed25519 signing rate."""
    result = bench_mint(database_url=database_url, count=count)
    figures = {**asdict(result), "ratio": result.ratio, "target_ratio": 0.5}
    if as_json:
        typer.echo(json.dumps(figures))
        return
    table = Table(title=f"tracemark bench mint ({result.database}, {result.codes:,} codes)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("raw Ed25519 signing (baseline)", f"{result.raw_signatures_per_s:,.0f} signatures/s")
    table.add_row("mint: sign + store + CSV", f"{result.mint_codes_per_s:,.0f} codes/s")
    table.add_row("mint time", f"{result.mint_seconds:.2f} s")
    table.add_row("ratio (target >= 0.50)", f"{result.ratio:.2f}")
    Console().print(table)
