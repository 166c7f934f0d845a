"""Forwarding buffered events to the Tracemark server, oldest first, until each is settled.

Each pending event is posted, unchanged, to ``POST {server}/epcis/events`` with the
station's partner API key. The server's answer decides:

- **2xx** (201 Created): captured → ``sent``;
- **409** Conflict: the server already holds an event with this Event Hash ID — an earlier
  attempt got through but its answer was lost → ``sent`` (this is what makes retries
  idempotent);
- **no answer** (connection refused, timeout, reset), **5xx**, 408 or 429: the server is
  unreachable or overloaded → the event stays ``pending`` and the same event is retried
  after an exponential backoff (order is kept: nothing newer overtakes it);
- **401, 403, 404, 405**: the station is misconfigured (key, role, URL), not the event;
  every later event would fare the same → forwarding stops, the event stays ``pending``
  and the report says why (retried once the configuration is fixed);
- **any other 4xx** (400, 422…): the server refuses this event → ``rejected``, with the
  server's problem JSON kept and reported; forwarding goes on with the next event.

References: EPCIS 2.0 (GS1, 2022), REST binding (capture); RFC 9457 (problem details);
RFC 9110 sections 15.5 and 15.6 (client and server errors).
"""

from __future__ import annotations

import http.client
import random
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from readers.buffer import EventBuffer

__all__ = ["Backoff", "EpcisClient", "ForwardReport", "Rejection", "ServerAnswer", "Unreachable", "forward"]

_RETRYABLE = frozenset({408, 429})
_MISCONFIGURED = frozenset({401, 403, 404, 405})
_MAX_PROBLEM_BYTES = 64 * 1024


class Unreachable(Exception):
    """No HTTP answer from the server (refused, timed out, reset)."""


@dataclass(frozen=True, slots=True)
class ServerAnswer:
    status: int
    body: str


class EpcisClient:
    """Posts one EPCIS event to ``{server_url}/epcis/events`` (stdlib HTTP, no dependency)."""

    def __init__(self, server_url: str, api_key: str, *, timeout: float = 10.0) -> None:
        self.url = server_url.rstrip("/") + "/epcis/events"
        self._api_key = api_key
        self.timeout = timeout

    def post_event(self, body: str) -> ServerAnswer:
        """The server's answer; raises :class:`Unreachable` when there is none."""
        request = urllib.request.Request(
            self.url, data=body.encode("utf-8"), method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json",
                     "Authorization": f"Bearer {self._api_key}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return ServerAnswer(response.status, _text(response.read(_MAX_PROBLEM_BYTES)))
        except urllib.error.HTTPError as exc:
            return ServerAnswer(exc.code, _text(exc.read(_MAX_PROBLEM_BYTES)))
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:  # refused, timeout, reset…
            reason = getattr(exc, "reason", exc)
            raise Unreachable(f"{self.url}: {reason}") from exc


@dataclass(frozen=True, slots=True)
class Backoff:
    """Delay before retry number ``n`` (1-based): ``initial * 2**(n-1)``, capped, with jitter.

    Jitter (a random 50–100 % of the delay) keeps a fleet of stations from hammering a
    server in step when it comes back.
    """

    initial: float = 0.5
    maximum: float = 60.0
    jitter: bool = True

    def delay(self, failures: int) -> float:
        base = min(self.maximum, self.initial * 2 ** max(0, failures - 1))
        return base * (0.5 + random.random() / 2) if self.jitter else base  # noqa: S311


@dataclass(frozen=True, slots=True)
class Rejection:
    """An event the server refused, with its answer (problem JSON)."""

    hash_id: str
    status: int
    problem: str


@dataclass(frozen=True, slots=True)
class ForwardReport:
    """What one forwarding run did."""

    sent: int = 0
    duplicates: int = 0
    """Answered 409: already captured earlier (counted in ``sent`` too)."""
    rejected: tuple[Rejection, ...] = ()
    remaining: int = 0
    """Still pending when the run ended."""
    stopped: str | None = None
    """Why forwarding stopped early (server unreachable, misconfiguration), if it did."""
    failures: int = field(default=0, compare=False)

    def then(self, later: ForwardReport) -> ForwardReport:
        """This run followed by ``later``: counts added, the end state ``later``'s."""
        return ForwardReport(self.sent + later.sent, self.duplicates + later.duplicates,
                             self.rejected + later.rejected, later.remaining, later.stopped,
                             self.failures + later.failures)


def forward(
    buffer: EventBuffer,
    client: EpcisClient,
    *,
    max_failures: int | None = None,
    stop: threading.Event | None = None,
    backoff: Backoff = Backoff(),
    sleep: Callable[[float], None] = time.sleep,
) -> ForwardReport:
    """Send every pending event, oldest first, retrying while the server is unreachable.

    Retries go on until ``stop`` is set or ``max_failures`` consecutive failures (None:
    no limit). Returns what was done; nothing is raised for server-side trouble.
    """
    sent = duplicates = failures = consecutive = 0
    rejected: list[Rejection] = []
    stopped: str | None = None
    while stopped is None and not (stop is not None and stop.is_set()):
        batch = buffer.pending(limit=100)
        if not batch:
            break
        for event in batch:
            while True:
                try:
                    answer = client.post_event(event.body)
                    error = f"HTTP {answer.status}" if _retryable(answer.status) else None
                except Unreachable as exc:
                    answer, error = None, f"server unreachable: {exc}"
                if error is None and answer is not None:
                    break
                buffer.note_failure(event.seq, error)
                failures, consecutive = failures + 1, consecutive + 1
                if max_failures is not None and consecutive >= max_failures:
                    stopped = error
                    break
                delay = backoff.delay(consecutive)
                if stop is not None:
                    if stop.wait(delay):
                        stopped = "stopped"
                        break
                else:
                    sleep(delay)
            if stopped is not None:
                break
            consecutive = 0
            assert answer is not None
            if 200 <= answer.status < 300 or answer.status == 409:
                buffer.mark_sent(event.seq, answer.status)
                sent += 1
                duplicates += answer.status == 409
            elif answer.status in _MISCONFIGURED:
                buffer.note_failure(event.seq, f"HTTP {answer.status}: {answer.body}")
                stopped = (f"the server answered HTTP {answer.status} to {client.url}: check the"
                           f" station's server URL and API key ({answer.body.strip()[:200]})")
                break
            else:
                buffer.mark_rejected(event.seq, answer.status, answer.body)
                rejected.append(Rejection(event.hash_id, answer.status, answer.body))
    remaining = buffer.counts().pending
    return ForwardReport(sent, duplicates, tuple(rejected), remaining, stopped, failures)


def _retryable(status: int) -> bool:
    return status >= 500 or status in _RETRYABLE


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")
