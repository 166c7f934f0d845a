"""`tracemark staff add|password|disable`: console accounts, a thin shell over trace.services.staff."""

from __future__ import annotations

import os

import typer

from trace.cli.runtime_access import runtime
from trace.domain.access import Role
from trace.errors import InvalidInput
from trace.services import staff

app = typer.Typer(help="Brand console staff accounts.", no_args_is_help=True)


_PASSWORD_ENV = typer.Option(None, "--password-env", help="Read the password from this environment variable.")


def _password(password_env: str | None) -> str:
    """From --password-env, else prompted twice; never echoed."""
    if password_env:
        password = os.environ.get(password_env)
        if not password:
            raise InvalidInput(f"environment variable {password_env} is not set or empty")
        return password
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@app.command("add")
def add_command(brand: str = typer.Option(..., "--brand"), email: str = typer.Option(..., "--email"),
                role: Role = typer.Option(Role.VIEWER, "--role"), password_env: str | None = _PASSWORD_ENV) -> None:
    """Add a staff account; the password is prompted for (or read from --password-env), never echoed."""
    member = staff.add_staff(runtime().db, brand=brand, email=email, role=role, password=_password(password_env))
    typer.echo(f"added {member.email} ({member.role.value}) to brand {member.brand}")


@app.command("password")
def password_command(brand: str = typer.Option(..., "--brand"), email: str = typer.Option(..., "--email"),
                     password_env: str | None = _PASSWORD_ENV) -> None:
    """Set a new password for a staff account (prompted, or read from --password-env)."""
    member = staff.set_password(runtime().db, brand=brand, email=email, password=_password(password_env))
    typer.echo(f"new password set for {member.email} of brand {member.brand}")


@app.command("disable")
def disable_command(brand: str = typer.Option(..., "--brand"), email: str = typer.Option(..., "--email")) -> None:
    """Disable an account; its open sessions stop working at once."""
    staff.disable_staff(runtime().db, brand=brand, email=email)
    typer.echo(f"disabled {email} of brand {brand}")
