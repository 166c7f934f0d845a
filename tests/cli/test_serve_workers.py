"""`tracemark serve --workers N`: the workers share one listening socket with Nagle's
algorithm off, so the connections they accept answer at once instead of waiting for the
client's delayed ACK (about 40 ms per response on a keep-alive connection)."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import uvicorn

from support.live_server import free_port
from trace.cli.serve import shared_socket


def test_the_shared_socket_and_every_connection_it_accepts_have_nagle_off() -> None:
    config = uvicorn.Config("trace.api.app:create_app", factory=True, host="127.0.0.1", port=0, workers=2)
    with shared_socket(config) as listening:
        assert listening.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        listening.listen()  # as each worker does when it starts
        with socket.create_connection(listening.getsockname()):
            accepted, _ = listening.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1


def test_two_workers_answer_keep_alive_requests(tmp_path: Path) -> None:
    env = {**os.environ, "TRACEMARK_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
           "TRACEMARK_KEY_DIR": str(tmp_path / "keys")}
    tracemark = str(Path(sys.executable).with_name("tracemark"))
    assert subprocess.run([tracemark, "db", "upgrade"], env=env, capture_output=True, timeout=120).returncode == 0
    port = free_port()
    server = subprocess.Popen([tracemark, "serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        connection = _connect(port, server)
        statuses = []
        for _ in range(20):  # one keep-alive connection, as browsers and scanners keep them
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        assert statuses == [200] * 20
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "Traceback" not in err


def _connect(port: int, server: subprocess.Popen) -> http.client.HTTPConnection:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return connection
        except OSError:
            connection.close()
            time.sleep(0.2)
    raise AssertionError("tracemark serve --workers 2 did not answer within 60 s")
