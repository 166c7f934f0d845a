"""The `tracemark` command: the CLI's composition root, one command group per file."""

from __future__ import annotations

import sys
import warnings

import click
import typer

from trace.cli import (
    bench,
    catalog,
    db,
    demo,
    dl,
    epc,
    epcis,
    keys,
    leads,
    ledger,
    line,
    mint,
    nfc,
    pool,
    printing,
    recall,
    risk_policy,
    runtime_access,
    serve,
    sscc,
    staff,
    station,
    tracing,
    verify,
)
from trace.errors import TraceError

app = typer.Typer(
    name="tracemark",
    help="Tracemark: signed one-item-one-code identifiers, verification and traceability.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.add_typer(catalog.brand_app, name="brand")
app.add_typer(catalog.product_app, name="product")
app.add_typer(catalog.lot_app, name="lot")
app.add_typer(keys.key_app, name="key")
app.add_typer(keys.apikey_app, name="apikey")
app.add_typer(dl.app, name="dl")
app.add_typer(epc.app, name="epc")
app.add_typer(epcis.app, name="epcis")
app.add_typer(ledger.app, name="ledger")
app.add_typer(bench.app, name="bench")
app.add_typer(demo.app, name="demo")
app.add_typer(nfc.app, name="nfc")
app.add_typer(recall.app, name="recall")
app.add_typer(pool.app, name="pool")
app.add_typer(leads.app, name="leads")
app.add_typer(risk_policy.app, name="risk-policy")
app.add_typer(station.app, name="station")
app.add_typer(staff.app, name="staff")
app.add_typer(sscc.app, name="sscc")
app.add_typer(line.app, name="line")
app.command("mint")(mint.mint_command)
app.command("verify")(verify.verify_command)
app.command("print")(printing.print_command)
app.command("serve")(serve.serve_command)
app.command("trace")(tracing.trace_command)
app.command("dwell")(tracing.dwell_command)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every Tracemark error becomes one line on stderr and exit status 1."""
    runtime_access.runtime.cache_clear()
    try:
        result = app(args=argv, standalone_mode=False, prog_name="tracemark")
    except TraceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        print("aborted", file=sys.stderr)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return result if isinstance(result, int) else 0


def run() -> None:
    warnings.filterwarnings("default")
    sys.exit(main())
