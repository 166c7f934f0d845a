"""Per-client token buckets for public endpoints (verification, well-known keys).

In-process: each API worker limits on its own, which bounds abuse per worker; a shared
limiter (the load balancer's, or a Redis one) belongs in front of many workers.
"""

from __future__ import annotations

import threading
import time


class RateLimiter:
    def __init__(self, *, per_minute: int, burst: int | None = None, max_clients: int = 100_000) -> None:
        self._rate = per_minute / 60.0
        self._burst = float(burst if burst is not None else per_minute)
        self._max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            tokens, stamp = self._buckets.get(client, (self._burst, now))
            tokens = min(self._burst, tokens + (now - stamp) * self._rate)
            if tokens < 1.0:
                self._buckets[client] = (tokens, now)
                return False
            if len(self._buckets) >= self._max_clients and client not in self._buckets:
                self._buckets.clear()  # bounded memory under a flood of distinct clients
            self._buckets[client] = (tokens - 1.0, now)
            return True
