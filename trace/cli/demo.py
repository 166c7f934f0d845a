"""`tracemark demo seed`: the demo brand `make run` serves."""

from __future__ import annotations

import typer

from codegen.demo import seed_demo
from trace.cli.runtime_access import runtime

app = typer.Typer(help="Demo data.", no_args_is_help=True)


@app.command("seed")
def seed() -> None:
    """Create the demo brand, products, lots and codes (once) and print sample code URLs."""
    rt = runtime()
    for sample in seed_demo(rt.db, rt.key_store, domain=rt.settings.public_base_url):
        typer.echo(f"{sample.product} (lot {sample.lot}):\n  {sample.url}")
