"""`tracemark bench verify`: the running server over HTTP on 127.0.0.1, concurrent clients.

Verifications per second and p50/p99 latency for JSON and HTML answers, next to the
app's bare endpoint (``/healthz``) served by the same server in the same run. Every
verification is real: signature, unit lookup, risk rules, the scan recorded and ledgered.

Load shape: closed-loop keep-alive clients, the same number and the same server (one
``tracemark serve`` with ``--workers``) for the bare endpoint and both verifications.
The default, 4 clients on 1 worker, is the fewest that keep one worker busy on the bare
endpoint; more clients add no throughput there, only queueing delay to every latency
(with N clients in flight each request waits for about N-1 others). The server's CPU time
per request (from /proc, Linux) is printed too: it is what bounds throughput when the
machine is shared, and it does not depend on the client.
"""

from __future__ import annotations

import csv
import http.client
import io
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from datetime import date
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

from codegen.bench_mint import random_gtin
from codegen.mint_job import MintRequest, mint
from trace.crypto import FileKeyStore
from trace.db import migrate
from trace.db.database import Database
from trace.services import brands, catalog


@dataclass(frozen=True, slots=True)
class EndpointFigures:
    name: str
    requests: int
    per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    server_cpu_ms: float | None = None
    """Server CPU time per request (all its processes), None where /proc is missing."""


@dataclass(frozen=True, slots=True)
class VerifyBenchResult:
    database: str
    clients: int
    seconds: float
    workers: int
    server: str
    """How the one server of the run (bare endpoint and both verifications) was configured."""
    bare: EndpointFigures
    json: EndpointFigures
    html: EndpointFigures


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU of ``pid`` and its child processes (uvicorn workers), from /proc."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    ticks = 0
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1] is the parent pid
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _measured(server: subprocess.Popen, port: int, paths: list[str], headers: dict[str, str], *, clients: int,
              seconds: float, name: str) -> EndpointFigures:
    before = _cpu_seconds(server.pid)
    figures = _load(port, paths, headers, clients=clients, seconds=seconds, name=name)
    after = _cpu_seconds(server.pid)
    if before is None or after is None or not figures.requests:
        return figures
    return replace(figures, server_cpu_ms=(after - before) * 1000 / figures.requests)


def _load(port: int, paths: list[str], headers: dict[str, str], *, clients: int, seconds: float,
          name: str) -> EndpointFigures:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        i = offset
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += clients
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append(time.perf_counter() - began)
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [0.0]
    return EndpointFigures(name=name, requests=len(latencies), per_s=len(latencies) / elapsed,
                           p50_ms=statistics.median(ordered) * 1000,
                           p99_ms=ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, errors=errors[0])


def bench_verify(*, database_url: str | None, codes: int = 5000, clients: int = 4, seconds: float = 10.0,
                 workers: int = 1) -> VerifyBenchResult:
    with tempfile.TemporaryDirectory(prefix="tracemark-bench-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        migrate.upgrade(url)
        db = Database.from_url(url)
        passphrase = secrets.token_hex(16)
        key_store = FileKeyStore(Path(tmp) / "keys", passphrase.encode())
        port = _free_port()
        slug = f"bench-{secrets.token_hex(4)}"
        brands.add_brand(db, key_store, name=slug, domain=f"http://127.0.0.1:{port}", slug=slug)
        gtin = random_gtin()
        catalog.add_product(db, brand=slug, gtin=gtin, name="Benchmark item")
        catalog.add_lot(db, gtin=gtin, lot="BENCH-1", produced_on=date.today())
        out = io.StringIO()
        mint(db, key_store, MintRequest(gtin=gtin, lot="BENCH-1", count=codes, output_format="csv", out=None,
                                        requested_by="bench"), stdout=out)
        db.dispose()
        paths = []
        for row in csv.DictReader(io.StringIO(out.getvalue())):
            parts = urlsplit(row["url"])
            paths.append(f"{parts.path}?{parts.query}")
        env = {**os.environ, "TRACEMARK_DATABASE_URL": url, "TRACEMARK_KEY_DIR": str(Path(tmp) / "keys"),
               "TRACEMARK_KEY_PASSPHRASE": passphrase, "TRACEMARK_SECRET_KEY": secrets.token_hex(32),
               "TRACEMARK_RATE_LIMIT_PER_MINUTE": "100000000", "TRACEMARK_CHECKPOINT_INTERVAL_SECONDS": "0"}
        tracemark = Path(sys.executable).with_name("tracemark")
        server = subprocess.Popen([str(tracemark), "serve", "--port", str(port), "--workers", str(workers)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp)
        try:
            _wait_ready(port, server)
            _load(port, ["/healthz"], {}, clients=clients, seconds=1.0, name="warm-up")
            bare = _measured(server, port, ["/healthz"], {}, clients=clients, seconds=seconds, name="bare /healthz")
            as_json = _measured(server, port, paths, {"Accept": "application/json"}, clients=clients, seconds=seconds,
                                name="verify JSON")
            as_html = _measured(server, port, list(reversed(paths)), {"Accept": "text/html", "Accept-Language": "zh-CN"},
                                clients=clients, seconds=seconds, name="verify HTML")
        finally:
            server.terminate()
            server.wait(timeout=30)
            server.stderr.close()
        dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
        server_configuration = (f"tracemark serve --workers {workers} (uvicorn {version('uvicorn')}, "
                                f"{os.cpu_count()} CPUs), for /healthz and both verifications")
        return VerifyBenchResult(database=dialect, clients=clients, seconds=seconds, workers=workers,
                                 server=server_configuration, bare=bare, json=as_json,
                                 html=as_html)


def _wait_ready(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited: {server.stderr.read().decode(errors='replace')[-2000:]}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    raise RuntimeError("server did not answer /healthz within 60 s")
