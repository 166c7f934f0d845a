"""`tracemark db …`: create and upgrade the schema through the shipped migrations."""

from __future__ import annotations

import typer

from trace.cli.output import say
from trace.db import migrate
from trace.settings import load_settings

app = typer.Typer(help="Database schema (Alembic migrations shipped with Tracemark).", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Create or upgrade the schema of TRACEMARK_DATABASE_URL."""
    url = load_settings().database_url
    migrate.upgrade(url, revision)
    say(f"database at revision {migrate.current_revision(url)}")


@app.command()
def current() -> None:
    """Print the schema revision of the database."""
    typer.echo(migrate.current_revision(load_settings().database_url) or "none")


@app.command()
def check() -> None:
    """Fail when the models and the migrated schema differ."""
    migrate.check(load_settings().database_url)
    say("no drift: the schema matches the models")
