"""`tracemark ledger …`: checkpoints, proofs and audits of the brand ledgers."""

from __future__ import annotations

import base64
from pathlib import Path

import typer

from trace.cli.output import print_json, say
from trace.cli.runtime_access import runtime
from trace.errors import InvalidInput
from trace.ledger import verify_inclusion
from trace.services import ledger
from trace.services.checkpoint_schedule import publish_all
from trace.services.ledger_audit import audit
from verify.ledger_client import LedgerClient

app = typer.Typer(help="The append-only ledgers: checkpoints, proofs, audits.", no_args_is_help=True)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _read_checkpoint(path: Path) -> str:
    """A checkpoint kept in a file; an unreadable file is bad input, not a traceback."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read checkpoint {path}: {exc.strerror}") from exc


@app.command("checkpoint")
def checkpoint(brand: str | None = typer.Option(None, "--brand", help="One brand (default: every brand).")) -> None:
    """Sequence pending entries and publish a signed checkpoint; print it."""
    rt = runtime()
    notes = {brand: ledger.publish_checkpoint(rt.db, rt.key_store, brand)} if brand else publish_all(rt.db, rt.key_store)
    for note in notes.values():
        typer.echo(note, nl=False)


@app.command("key")
def key(brand: str = typer.Option(..., "--brand")) -> None:
    """Print the brand's checkpoint verifier key (what auditors pin)."""
    typer.echo(ledger.verifier_key(runtime().db, brand))


@app.command("prove")
def prove(event: str = typer.Argument(..., help="Ledger reference, e.g. commission:12."),
          brand: str = typer.Option(..., "--brand"),
          size: int | None = typer.Option(None, "--size", help="Tree size (default: current).")) -> None:
    """Print the inclusion proof of EVENT (checked before printing)."""
    db = runtime().db
    proof = ledger.inclusion(db, brand, event, size=size)
    verify_inclusion(leaf_hash=proof.leaf_hash, index=proof.leaf_index, size=proof.tree_size, proof=list(proof.proof),
                     root=proof.root_hash)
    print_json({"brand": proof.brand, "event": proof.ref, "leaf_index": proof.leaf_index, "tree_size": proof.tree_size,
                "leaf_hash": _b64(proof.leaf_hash), "root_hash": _b64(proof.root_hash),
                "proof": [_b64(p) for p in proof.proof]})


@app.command("audit")
def audit_command(
    brand: str | None = typer.Option(None, "--brand", help="One brand (default: every brand)."),
    from_checkpoint: Path | None = typer.Option(None, "--from-checkpoint",
                                                help="A signed checkpoint kept earlier: must be consistent with today."),
) -> None:
    """Recompute every entry, leaf, node and checkpoint; name the first row that does not match."""
    db = runtime().db
    external = None if from_checkpoint is None else _read_checkpoint(from_checkpoint)
    brands = [brand] if brand else ledger.brands_with_ledgers(db)
    for slug in brands:
        report = audit(db, slug, external_checkpoint=external)
        say(f"ledger {slug}: ok — {report.leaves:,} leaves, {report.nodes:,} nodes, {report.checkpoints} checkpoints, "
            f"{report.entries_rebuilt:,} entries rebuilt from their records, {report.pending} pending, "
            f"root {_b64(report.root_hash)} ({report.seconds:.2f} s)")


@app.command("verify-remote")
def verify_remote(
    url: str = typer.Option(..., "--url", help="The resolver serving the ledger, e.g. https://id.acme.example"),
    brand: str = typer.Option(..., "--brand"),
    key_: str = typer.Option(..., "--key", help="The brand's checkpoint verifier key (vkey), pinned."),
    event: list[str] = typer.Option([], "--event", help="Event references to prove (repeatable)."),
    since: Path | None = typer.Option(None, "--since", help="A checkpoint kept earlier: prove the log only grew."),
) -> None:
    """Audit a ledger over HTTP with only its published key: no database access."""
    kept = None if since is None else _read_checkpoint(since)  # bad input fails before any request
    client = LedgerClient(url, brand, key_)
    note, head = client.checkpoint()
    say(f"checkpoint of {head.origin}: size {head.size}, signature valid")
    for ref in event:
        verified = client.verify_event(ref, head)
        say(f"event {ref}: leaf {verified.leaf_index} included in the tree of {head.size}")
    if kept is not None:
        old = client.verify_growth(kept, head)
        say(f"checkpoint of size {old.size} is consistent with size {head.size}: nothing was rewritten")
    typer.echo(note, nl=False)
