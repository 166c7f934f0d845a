"""`tracemark serve`: run the API and public pages with uvicorn."""

from __future__ import annotations

import socket

import typer
import uvicorn
from uvicorn.supervisors import Multiprocess

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
    config = uvicorn.Config("trace.api.app:create_app", factory=True, host=host, port=port, workers=workers,
                            log_level="warning", access_log=False)
    try:
        if workers > 1:
            with shared_socket(config) as sock:
                Multiprocess(config, sockets=[sock]).run()
        else:
            uvicorn.Server(config).run()
    except KeyboardInterrupt:
        pass


def shared_socket(config: uvicorn.Config) -> socket.socket:
    """The listening socket the workers share, with Nagle's algorithm off.

    uvicorn binds it without a protocol number, so asyncio does not switch Nagle off on the
    connections the workers accept (it only does for sockets that say IPPROTO_TCP): every
    response on a keep-alive connection then waited for the client's delayed ACK, about 40 ms
    (measured: 44 ms per /healthz with two workers, 1.4 ms with one). Linux copies
    TCP_NODELAY from a listening socket to each connection it accepts.
    """
    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock
