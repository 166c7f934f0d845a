"""Running a station: readings in, EPCIS events buffered on disk, then forwarded.

:func:`run_station` reads its source in a background thread (a blocked stdin or reader
must not stop a batch from closing on time) and, for each reading, in this order:

1. journals the scan in the buffer (:meth:`~readers.buffer.EventBuffer.hold`);
2. hands it to the station's assembler — :class:`~readers.batching.ObjectEventBatcher`
   (mode ``object``) or :class:`~readers.aggregation.AggregationSession` (``aggregation``);
3. buffers any finished event, releasing its scans, in one transaction;
4. wakes the forwarder thread, which posts pending events oldest first and retries with
   backoff while the server is away (:func:`~readers.forwarder.forward`).

A refused reading (unreadable text, an item before its case) is reported and skipped.
When the source ends, a partial batch becomes an event, the forwarder makes one last
attempt, and what could not be sent stays in the buffer for the next run or
:func:`flush_station`. On start-up, scans journaled by a previous run that died before
their event was recorded are replayed first: a ``kill -9`` loses nothing that was
journaled — the only window is the instant between a source handing over a reading and its
journal commit (a few milliseconds), which no process-side buffer can close. ``stop``
(SIGTERM in the CLI) ends a run cleanly: readings already taken from the device are
recorded, the last batch becomes an event, the forwarder makes its last attempt.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from readers.aggregation import AggregationSession
from readers.batching import ObjectEventBatcher, Outcome
from readers.buffer import BufferCounts, EventBuffer
from readers.forwarder import Backoff, EpcisClient, ForwardReport, forward
from readers.scan import Reading, Scan
from readers.station_config import StationConfig, load_station_config
from trace.errors import InvalidInput

__all__ = ["StationConfig", "StationSummary", "flush_station", "load_station_config", "run_station"]

Notify = Callable[[str], None]
_log = logging.getLogger("readers.station")
_END = object()
_POLL_SECONDS = 0.5


@dataclass(frozen=True, slots=True)
class StationSummary:
    """What a run did, and what the buffer holds afterwards."""

    reads: int
    events: int
    refused: int
    forwarding: ForwardReport
    buffer: BufferCounts


def run_station(
    config: StationConfig,
    source: Iterable[Reading],
    *,
    client: EpcisClient | None = None,
    notify: Notify = _log.info,
    stop: threading.Event | None = None,
    final_attempts: int = 1,
    backoff: Backoff = Backoff(),
    monotonic: Callable[[], float] = time.monotonic,
) -> StationSummary:
    """Run ``config``'s station over ``source`` until it ends (or ``stop`` is set)."""
    client = client or EpcisClient(config.server_url, config.api_key())
    assembler: ObjectEventBatcher | AggregationSession
    if config.mode == "aggregation":
        assembler = AggregationSession(config.template, close_commands=config.commands)
    else:
        assembler = ObjectEventBatcher(config.template, config.batching, monotonic=monotonic)
    forwarder = _ForwardingThread(config, client, notify, backoff)
    with EventBuffer(config.buffer_path) as buffer:
        run = _Run(buffer, assembler, notify, forwarder.wake)
        for held in buffer.held():
            run.take(held.scan, held.id)
        forwarder.start()
        try:
            run.consume(source, stop)
        finally:
            forwarder.halt.set()
            forwarder.wake.set()
            forwarder.join(timeout=client.timeout + 5)
        final = forward(buffer, client, max_failures=final_attempts, backoff=backoff)
        _tell_rejections(final, notify)
        return StationSummary(run.reads, run.events, run.refused, forwarder.total.then(final),
                              buffer.counts())


def flush_station(
    config: StationConfig, *, client: EpcisClient | None = None, max_failures: int = 3,
    backoff: Backoff = Backoff(), notify: Notify = _log.info,
) -> StationSummary:
    """Forward the buffer now (retrying up to ``max_failures`` times in a row) and count it."""
    client = client or EpcisClient(config.server_url, config.api_key())
    with EventBuffer(config.buffer_path) as buffer:
        report = forward(buffer, client, max_failures=max_failures, backoff=backoff)
        _tell_rejections(report, notify)
        return StationSummary(0, 0, 0, report, buffer.counts())


class _Run:
    """The reading loop's state: the buffer, the assembler and the tallies."""

    def __init__(self, buffer: EventBuffer, assembler: ObjectEventBatcher | AggregationSession,
                 notify: Notify, wake: threading.Event) -> None:
        self.buffer, self.assembler, self.notify, self.wake = buffer, assembler, notify, wake
        self.reads = self.events = self.refused = 0

    def consume(self, source: Iterable[Reading], stop: threading.Event | None) -> None:
        readings: queue.Queue[object] = queue.Queue()
        pump = threading.Thread(target=_pump, args=(source, readings), daemon=True, name="station-source")
        pump.start()
        while not (stop is not None and stop.is_set()):
            due = self.assembler.due_in()
            timeout = due if stop is None else min(due if due is not None else _POLL_SECONDS, _POLL_SECONDS)
            try:
                item = readings.get(timeout=timeout)
            except queue.Empty:
                if self.assembler.due_in() == 0:
                    self.commit(self.assembler.flush())
                continue
            if item is _END:
                break
            if isinstance(item, BaseException):
                raise item
            self.take(item, None)  # type: ignore[arg-type]
        else:  # stopped: let the source close its device, keep what it had already read
            pump.join(timeout=2)
            self._drain(readings)
        self.commit(self.assembler.flush())

    def _drain(self, readings: queue.Queue[object]) -> None:
        while True:
            try:
                item = readings.get_nowait()
            except queue.Empty:
                return
            if item is not _END and not isinstance(item, BaseException):
                self.take(item, None)  # type: ignore[arg-type]

    def take(self, reading: Reading, held_id: int | None) -> None:
        """One reading (``held_id`` given when replaying a journaled scan)."""
        if isinstance(reading, Scan):
            if held_id is None:
                self.reads += 1
                held_id = self.buffer.hold(reading)
        try:
            outcome = self.assembler.add(held_id, reading)
        except InvalidInput as exc:
            self.refused += 1
            self.notify(f"refused: {exc}")
            if held_id is not None:
                self.buffer.record((), releasing=(held_id,))
            return
        self.commit(outcome)

    def commit(self, outcome: Outcome) -> None:
        if outcome.events or outcome.release:
            new = self.buffer.record(outcome.events, releasing=outcome.release)
            self.events += new
            if new:
                self.wake.set()
        for event in outcome.events:
            self.notify(f"recorded {event.type} {event.hash_id}")
        for notice in outcome.notices:
            self.notify(notice)


class _ForwardingThread(threading.Thread):
    """Forwards in the background, with its own buffer connection, until halted."""

    def __init__(self, config: StationConfig, client: EpcisClient, notify: Notify, backoff: Backoff) -> None:
        super().__init__(daemon=True, name=f"station-forwarder-{config.name}")
        self.path, self.client, self.notify, self.backoff = config.buffer_path, client, notify, backoff
        self.wake, self.halt = threading.Event(), threading.Event()
        self.total = ForwardReport()

    def run(self) -> None:
        try:
            self._forward_until_halted()
        except Exception as exc:  # noqa: BLE001 - the run goes on; its final pass retries
            self.notify(f"background forwarding stopped: {exc}")

    def _forward_until_halted(self) -> None:
        with EventBuffer(self.path) as buffer:
            while not self.halt.is_set():
                self.wake.clear()
                report = forward(buffer, self.client, stop=self.halt, backoff=self.backoff)
                self.total = self.total.then(report)
                _tell_rejections(report, self.notify)
                if report.stopped and not self.halt.is_set():
                    self.notify(f"forwarding paused: {report.stopped}")
                    self.halt.wait(self.backoff.maximum)
                self.wake.wait(timeout=_POLL_SECONDS * 10)


def _pump(source: Iterable[Reading], readings: queue.Queue[object]) -> None:
    try:
        for reading in source:
            readings.put(reading)
    except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which raises it
        readings.put(exc)
    finally:
        readings.put(_END)


def _tell_rejections(report: ForwardReport, notify: Notify) -> None:
    for rejection in report.rejected:
        notify(f"server rejected event {rejection.hash_id} (HTTP {rejection.status}): {rejection.problem}")
