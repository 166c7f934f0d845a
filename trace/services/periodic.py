"""Work the API process repeats in the background (scheduled checkpoints, webhook delivery)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Periodic:
    """Calls ``work`` every ``interval`` seconds in a daemon thread until stopped.

    A failing round is logged and the next one runs anyway: a database hiccup must not end
    checkpoint publication or webhook delivery for the life of the process.
    """

    def __init__(self, name: str, work: Callable[[], object], *, interval: float) -> None:
        self._name = name
        self._work = work
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._work()
            except Exception:  # noqa: BLE001 (see the class docstring)
                log.exception("%s: round failed; retrying next interval", self._name)
