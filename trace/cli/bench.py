"""`tracemark bench …`: measured figures next to a baseline from the same run."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer
from rich.console import Console
from rich.table import Table

from codegen.bench_carriers import bench_carriers
from codegen.bench_mint import bench_mint
from codegen.bench_verify import bench_verify
from trace.services.bench_capture import bench_capture
from trace.services.bench_ledger import bench_ledger
from verify.bench_sun import bench_sun

app = typer.Typer(help="Benchmarks: figures next to a baseline measured in the same run.", no_args_is_help=True)


def _report(figures: dict[str, object], *, as_json: bool, title: str, rows: list[tuple[str, str]]) -> None:
    """One JSON object with ``--json``, else a two-column table a person reads."""
    if as_json:
        typer.echo(json.dumps(figures))
        return
    table = Table(title=title)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for measure, value in rows:
        table.add_row(measure, value)
    Console().print(table)


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
    _report(figures, as_json=as_json, title=f"tracemark bench mint ({result.database}, {result.codes:,} codes)", rows=[
        ("raw Ed25519 signing (baseline)", f"{result.raw_signatures_per_s:,.0f} signatures/s"),
        ("mint: sign + store + CSV", f"{result.mint_codes_per_s:,.0f} codes/s"),
        ("mint time", f"{result.mint_seconds:.2f} s"),
        ("ratio (target >= 0.50)", f"{result.ratio:.2f}"),
    ])


@app.command("ledger")
def ledger_bench(
    leaves: int = typer.Option(1_000_000, "--leaves", help="Leaves to append (then audit and prove)."),
    batch: int = typer.Option(1000, "--batch", help="Entries per writer transaction."),
    proofs: int = typer.Option(20_000, "--proofs", help="Inclusion proofs to serve from the database (each measure)."),
    database_url: str | None = typer.Option(None, "--database-url", help="Default: a fresh SQLite file."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
) -> None:
    """Stored-ledger appends, audit vs raw SHA-256, inclusion proofs served per second."""
    result = bench_ledger(database_url=database_url, leaves=leaves, batch=batch, proofs=proofs)
    figures = {**asdict(result), "audit_ratio": result.audit_ratio,
               "targets": {"appends_per_s": 50_000, "audit_ratio": 0.25, "proofs_per_s": 5_000}}
    _report(figures, as_json=as_json, title=f"tracemark bench ledger ({result.database}, {result.leaves:,} leaves, batches of {batch:,})", rows=[
        ("appends: recorded and sequenced (target >= 50,000)", f"{result.appends_per_s:,.0f} leaves/s"),
        ("  writer and sequencer", "a writer and a sequencer process at once, as in production"
         if result.sequencer == "concurrent process" else "in turn (record a batch, then sequence it)"),
        ("  recording entries (writer's own time)", f"{result.record_per_s:,.0f} entries/s"),
        ("  sequencing into the tree (sequencer's busy time)", f"{result.sequence_per_s:,.0f} leaves/s"),
        ("  gap-free, root = recomputation (audit)", "yes" if result.gap_free_root_recomputed else "NO"),
        ("raw SHA-256 (baseline)", f"{result.raw_sha256_per_s:,.0f} hashes/s"),
        ("2n hashes at raw speed", f"{result.audit_target_seconds:.2f} s"),
        ("audit (every entry, leaf, node, checkpoint)", f"{result.audit_seconds:.2f} s"),
        ("audit ratio (target >= 0.25)", f"{result.audit_ratio:.2f}"),
        (f"inclusion proofs served to {result.proof_clients} concurrent clients by {result.proof_workers} "
         "processes (target >= 5,000)",
         f"{result.proofs_concurrent_per_s:,.0f} proofs/s"),
        ("inclusion proofs, one client alone", f"{result.proofs_per_s:,.0f} proofs/s"),
    ])


@app.command("capture")
def capture_bench(
    documents: int = typer.Option(50, "--documents", help="EPCIS documents to capture."),
    events: int = typer.Option(100, "--events", help="ObjectEvents per document."),
    epcs: int = typer.Option(10, "--epcs", help="EPCs per event."),
    workers: int = typer.Option(1, "--workers", help="Concurrent capture clients (threads, one connection each)."),
    database_url: str | None = typer.Option(None, "--database-url", help="Default: a fresh SQLite file."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
) -> None:
    """EPCIS capture (validation, hashing, state, ledger) vs a raw bulk insert of the same rows."""
    result = bench_capture(database_url=database_url, documents=documents, events=events, epcs=epcs,
                           workers=workers)
    figures = {**asdict(result), "ratio": result.ratio, "targets": {"events_per_s": 5000, "ratio": 0.2}}
    _report(figures, as_json=as_json, title=f"tracemark bench capture ({result.database}, {result.events:,} events, "
                        f"{result.epcs_per_event} EPCs each, {result.workers} concurrent clients)", rows=[
        ("capture incl. ledger (target >= 5,000)", f"{result.events_per_s:,.0f} events/s"),
        ("raw bulk insert of the same rows (baseline)", f"{result.raw_events_per_s:,.0f} events/s"),
        ("ratio (target >= 0.20)", f"{result.ratio:.2f}"),
    ])


@app.command("carriers")
def carriers_bench(
    labels: int = typer.Option(200_000, "--labels", help="Labels to format as ZPL (and EPCs to encode)."),
    renders: int = typer.Option(200, "--renders", help="QR and DataMatrix SVGs to render."),
    sun: int = typer.Option(20_000, "--sun", help="SUN URLs to check."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
) -> None:
    """ZPL, EPC, QR/DataMatrix SVG and SUN rates, each next to its baseline from the same run."""
    result = bench_carriers(labels=labels, renders=renders)
    sun_result = bench_sun(checks=sun)
    figures = {**asdict(result), **asdict(sun_result), "targets": {"zpl_labels_per_s": 100_000, "sun_checks_per_s": 5_000}}
    _report(figures, as_json=as_json, title=f"tracemark bench carriers ({result.labels:,} labels, {sun_result.sun_checks:,} SUN URLs)", rows=[
        ("ZPL labels (target >= 100,000)", f"{result.zpl_labels_per_s:,.0f} labels/s"),
        ("  bare string formatting (baseline)", f"{result.zpl_baseline_labels_per_s:,.0f} labels/s"),
        ("EPC SGTIN-96 encodings", f"{result.epc_encodings_per_s:,.0f} encodings/s"),
        ("QR SVG renders", f"{result.qr_svg_per_s:,.0f} renders/s"),
        ("GS1 DataMatrix SVG renders", f"{result.datamatrix_svg_per_s:,.0f} renders/s"),
        ("SUN checks (target >= 5,000)", f"{sun_result.sun_checks_per_s:,.0f} checks/s"),
        ("  one AES-CMAC of the same URL (baseline)", f"{sun_result.sun_baseline_cmac_per_s:,.0f} MACs/s"),
    ])


@app.command("recall")
def recall_bench(
    database_url: str = typer.Option(..., "--database-url", help="PostgreSQL URL (the dataset is added to it)."),
    items: int = typer.Option(10_000_000, "--items", help="Items to generate (cases of 50, pallets of 40 cases)."),
    lot_size: int = typer.Option(100_000, "--lot-size", help="Items per lot."),
    reuse: bool = typer.Option(False, "--reuse", help="Measure the newest dataset of this size if one was built."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
) -> None:
    """Blast radius (with state breakdown) of a lot and a supplier lot vs a bare indexed count of the lot's items."""
    from trace.cli.progress import progress_bar
    from trace.services.bench_recall import bench_recall
    from trace.services.bench_recall_dataset import dataset_rows

    with progress_bar("loading the dataset (COPY)", dataset_rows(items)) as advance:
        result = bench_recall(database_url=database_url, items=items, lot_size=lot_size, reuse=reuse,
                              progress=advance)
    figures = {**asdict(result), "lot_ratio": result.lot_ratio, "supplier_lot_ratio": result.supplier_lot_ratio,
               "targets": {"seconds": 2.0, "ratio": 5.0}}
    built = "reused" if result.build_seconds is None else f"{result.build_seconds:.1f} s"
    _report(figures, as_json=as_json, title=f"tracemark bench recall ({result.items:,} items, lots of {result.lot_size:,})", rows=[
        (f"dataset {result.dataset} (COPY, then VACUUM ANALYZE)", built),
        (f"bare indexed count of the lot's items ({result.bare_count:,}) (baseline)", f"{result.bare_count_seconds:.4f} s"),
        (f"blast radius + breakdown of lot B1 ({result.lot_units:,} units, target < 2 s)", f"{result.lot_seconds:.3f} s"),
        (f"blast radius + breakdown of supplier lot S1 ({result.supplier_lot_units:,} units)",
         f"{result.supplier_lot_seconds:.3f} s"),
        ("lot / bare count (target <= 5)", f"{result.lot_ratio:.1f}"),
        ("supplier lot / bare count", f"{result.supplier_lot_ratio:.1f}"),
    ])


@app.command("verify")
def verify_bench(
    codes: int = typer.Option(5000, "--codes", help="Codes to mint and scan."),
    clients: int = typer.Option(4, "--clients", help="Concurrent HTTP clients (keep-alive); the same for every endpoint."),
    seconds: float = typer.Option(10.0, "--seconds", help="Load time per endpoint."),
    workers: int = typer.Option(1, "--workers", help="Server worker processes."),
    database_url: str | None = typer.Option(None, "--database-url", help="Default: a fresh SQLite file."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
) -> None:
    """Verifications per second and p50/p99 latency over HTTP vs the bare endpoint of the same server."""
    result = bench_verify(database_url=database_url, codes=codes, clients=clients, seconds=seconds, workers=workers)
    figures = {**asdict(result), "json_ratio": result.json.per_s / result.bare.per_s,
               "html_ratio": result.html.per_s / result.bare.per_s, "targets": {"ratio": 0.5, "p99_ms": 50}}
    if as_json:
        typer.echo(json.dumps(figures))
        return
    table = Table(title=f"tracemark bench verify ({result.database}, {clients} clients, {workers} worker(s), "
                        f"{seconds:.0f} s each)")
    for column in ("endpoint", "requests/s", "p50 ms", "p99 ms", "errors", "vs bare", "server CPU ms/req"):
        table.add_column(column, justify="right")
    for figure in (result.bare, result.json, result.html):
        cpu = f"{figure.server_cpu_ms:.2f}" if figure.server_cpu_ms is not None else "n/a"
        table.add_row(figure.name, f"{figure.per_s:,.0f}", f"{figure.p50_ms:.1f}", f"{figure.p99_ms:.1f}",
                      str(figure.errors), f"{figure.per_s / result.bare.per_s:.2f}", cpu)
    Console().print(table)
    typer.echo(f"server: {result.server}")
