"""A stand-in for the server's ``POST /epcis/events``: a real HTTP server on 127.0.0.1.

It behaves as the capture endpoint is specified: 201 for a new event, 409 for an event
whose CBV 2.0 Event Hash ID it already holds, 401 without the right bearer key, 400 with
problem JSON for an invalid event. It can also be *down* (the port is bound but not
listening: connections are refused), and can be told how to answer the next requests
(``script``): a status to return, or ``"lost-answer"`` — capture the event, then answer
503 as if the response had been lost on the way back.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from trace.domain.epcis import event_hash_id, parse_event
from trace.errors import EpcisValidationError

API_KEY = "station-test-key"


@dataclass(frozen=True)
class Received:
    """One POST as it arrived."""

    path: str
    authorization: str | None
    content_type: str | None
    event: Any
    status: int


class EpcisReceiver:
    """Start it with :meth:`up`; until then it refuses connections."""

    def __init__(self, api_key: str = API_KEY) -> None:
        self.api_key = api_key
        self.requests: list[Received] = []
        self.captured: dict[str, dict[str, Any]] = {}
        self.script: deque[int | str] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler(), bind_and_activate=False)
        self._server.daemon_threads = True
        self._server.server_bind()  # the port is ours, nothing listens yet: connections are refused
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def up(self) -> None:
        self._server.server_activate()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
        self._server.server_close()

    def posted_hashes(self) -> list[str]:
        """The Event Hash ID of every event posted, in arrival order (repeats included)."""
        return [event_hash_id(r.event) for r in self.requests if isinstance(r.event, dict)]

    def _answer(self, path: str, headers: Any, body: bytes) -> tuple[int, dict[str, Any]]:
        try:
            event = json.loads(body)
        except ValueError:
            event = None
        with self._lock:
            forced = self.script.popleft() if self.script else None
            status, answer = self._decide(path, headers, event, forced)
            self.requests.append(Received(path, headers.get("Authorization"), headers.get("Content-Type"),
                                          event, status))
        return status, answer

    def _decide(self, path: str, headers: Any, event: Any, forced: int | str | None) -> tuple[int, dict[str, Any]]:
        if path != "/epcis/events":
            return 404, _problem(404, "not found")
        if headers.get("Authorization") != f"Bearer {self.api_key}":
            return 401, _problem(401, "unauthenticated")
        if isinstance(forced, int):
            return forced, _problem(forced, "scripted answer")
        try:
            parsed = parse_event(event if isinstance(event, dict) else b"")
        except EpcisValidationError as exc:
            return 400, _problem(400, str(exc))
        if parsed.hash_id in self.captured:
            return 409, _problem(409, f"event {parsed.hash_id} was captured before")
        self.captured[parsed.hash_id] = event
        if forced == "lost-answer":
            return 503, _problem(503, "captured, but the answer is lost")
        return 201, {"eventHashId": parsed.hash_id}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, answer = receiver._answer(self.path, self.headers, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/problem+json" if status >= 400 else "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def _problem(status: int, detail: str) -> dict[str, Any]:
    return {"type": "about:blank", "status": status, "title": "problem", "detail": detail}
