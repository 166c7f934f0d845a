"""`tracemark leads …`: export and erase loyalty signups per person."""

from __future__ import annotations

from dataclasses import asdict

import typer

from trace.cli.output import print_json, say
from trace.cli.runtime_access import runtime
from trace.services import leads

app = typer.Typer(help="Loyalty signups (leads): export, delete per person.", no_args_is_help=True)


@app.command("export")
def leads_export(
    brand: str = typer.Option(..., "--brand"),
    contact: str | None = typer.Option(None, "--contact", help="Only this person's signup (e-mail or phone)."),
) -> None:
    """Print the brand's leads, decrypted, as JSON (one person's with --contact)."""
    rt = runtime()
    print_json([asdict(r) for r in leads.export_leads(rt.db, rt.settings.secret_key_bytes(), brand, contact=contact)])


@app.command("delete")
def leads_delete(brand: str = typer.Option(..., "--brand"), contact: str = typer.Option(..., "--contact")) -> None:
    """Erase one person's signup."""
    rt = runtime()
    leads.delete_lead(rt.db, rt.settings.secret_key_bytes(), brand, contact)
    say(f"lead deleted from {brand!r}")
