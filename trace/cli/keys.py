"""`tracemark key …` (signing keys) and `tracemark apikey …` (API access)."""

from __future__ import annotations

from dataclasses import asdict

import typer

from trace.cli.output import print_json, say
from trace.cli.runtime_access import runtime
from trace.crypto import published_keys_document
from trace.services import api_keys, signing_keys

key_app = typer.Typer(help="Brand signing keys: list, rotate, revoke, publish.", no_args_is_help=True)
apikey_app = typer.Typer(help="API keys for the brand API.", no_args_is_help=True)


@key_app.command("list")
def key_list(brand: str = typer.Option(..., "--brand")) -> None:
    print_json([asdict(k) for k in signing_keys.list_keys(runtime().db, brand)])


@key_app.command("rotate")
def key_rotate(brand: str = typer.Option(..., "--brand")) -> None:
    """Retire the active key (its codes still verify) and make a new one active."""
    rt = runtime()
    key = signing_keys.rotate_key(rt.db, rt.key_store, brand)
    say(f"new active key {key.kid} for {key.brand!r}")
    print_json(asdict(key))


@key_app.command("revoke")
def key_revoke(kid: str, brand: str = typer.Option(..., "--brand")) -> None:
    """Revoke a key: every code it signed verifies as forged from now on."""
    rt = runtime()
    key = signing_keys.revoke_key(rt.db, rt.key_store, brand, kid)
    say(f"key {key.kid} of {key.brand!r} revoked")
    print_json(asdict(key))


@key_app.command("publish")
def key_publish(brand: str = typer.Option(..., "--brand")) -> None:
    """Print the brand's published-keys document (what offline verifiers need)."""
    keys = signing_keys.published_keys(runtime().db, brand)
    for slug, public in keys.items():
        print_json(published_keys_document(slug, public))


@apikey_app.command("create")
def apikey_create(
    role: str = typer.Option(..., "--role", help="admin, operator or viewer."),
    brand: str | None = typer.Option(None, "--brand", help="Bind the key to one brand (required except for admin)."),
    name: str = typer.Option("cli", "--name", help="What the key is for."),
) -> None:
    """Create an API key. The token is printed once and stored only as a hash."""
    issued = api_keys.issue_api_key(runtime().db, role=role, brand=brand, name=name)
    say(f"API key {issued.prefix} ({issued.role.value}{', brand ' + issued.brand if issued.brand else ', all brands'}); "
        "store the token now: it is not kept in clear")
    typer.echo(issued.token)


@apikey_app.command("revoke")
def apikey_revoke(prefix: str) -> None:
    api_keys.revoke_api_key(runtime().db, prefix)
    say(f"API key {prefix} revoked")
