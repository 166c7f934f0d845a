"""`tracemark demo seed`: the demo brand `make run` serves."""

from __future__ import annotations

import typer

from codegen.demo import demo_console_login, seed_demo
from trace.cli.runtime_access import runtime

app = typer.Typer(help="Demo data.", no_args_is_help=True)


@app.command("seed")
def seed() -> None:
    """Create the demo brand, products, lots and codes (once), print sample code URLs and, in
    development mode, a console login for the demo brand (a new password each time)."""
    rt = runtime()
    for sample in seed_demo(rt.db, rt.key_store, domain=rt.settings.public_base_url):
        typer.echo(f"{sample.product} (lot {sample.lot}):\n  {sample.url}")
    console = f"{rt.settings.public_base_url}/console/login"
    if not rt.settings.is_development:
        typer.echo(f"Brand console:  {console} (add an account: tracemark staff add --brand demo-tea …)")
        return
    login = demo_console_login(rt.db)
    typer.echo(f"Brand console:  {console}  brand {login.brand}, {login.email}, password {login.password}")
