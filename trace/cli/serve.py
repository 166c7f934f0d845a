"""`tracemark serve`: run the API and public pages with uvicorn."""

from __future__ import annotations

import typer
import uvicorn

from trace.cli.output import say
from trace.cli.runtime_access import runtime


def serve_command(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    workers: int = typer.Option(1, "--workers", help="Worker processes (each keeps its own key ring and limiter)."),
) -> None:
    """Serve the platform (brand API under /api/v1, verification at each code's own path)."""
    runtime()  # fail fast: settings valid and schema current
    say(f"Tracemark on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    uvicorn.run("trace.api.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="warning", access_log=False)
