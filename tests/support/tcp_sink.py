"""A raw TCP 9100 "printer" on 127.0.0.1 that records every job's bytes (a real socket server)."""

from __future__ import annotations

import socket
import threading


class TcpSink:
    """Accepts connections on ``port`` (default: an ephemeral one); ``jobs`` holds the bytes of each."""

    def __init__(self, *, port: int = 0) -> None:
        self.jobs: list[bytes] = []
        self._server = socket.create_server(("127.0.0.1", port))
        self.port = self._server.getsockname()[1]
        self.address = f"tcp://127.0.0.1:{self.port}"
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self._server.settimeout(0.1)
        while True:
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                if self._done.is_set():  # only once nothing is queued: every job sent gets recorded
                    return
                continue
            with connection:
                connection.settimeout(5)
                chunks = []
                while chunk := connection.recv(65536):
                    chunks.append(chunk)
                self.jobs.append(b"".join(chunks))

    def close(self) -> None:
        self._done.set()
        self._thread.join()
        self._server.close()

    def __enter__(self) -> TcpSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
