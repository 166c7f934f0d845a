"""Object-event stations: scans grouped into ObjectEvents, one per read or per batch.

With ``Batching(max_reads=1)`` (the default) every scan is its own event. With larger
batches an event is recorded when ``max_reads`` distinct identifiers are in it, or when
``max_seconds`` have passed since its first read, whichever comes first (and when the
source ends). An identifier read again within a batch is named once (an RFID portal reads
each tag many times). A class-level identifier (a GTIN without serial) cannot be listed
in an ObjectEvent's ``epcList`` and is refused.

Both kinds of station speak through :class:`Outcome`: events to buffer, held scans to
release with them, notices for the operator.

References: EPCIS 2.0 (GS1, 2022), section 7.4 (ObjectEvent: epcList of instances).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from readers.events import EventTemplate, object_event
from readers.scan import Reading, Scan
from trace.domain.epcis import EpcisEvent
from trace.errors import InvalidInput

__all__ = ["Batching", "ObjectEventBatcher", "Outcome"]


@dataclass(frozen=True, slots=True)
class Batching:
    """When an ObjectEvent is complete: ``max_reads`` identifiers or ``max_seconds`` after its first."""

    max_reads: int = 1
    max_seconds: float | None = None

    def __post_init__(self) -> None:
        if type(self.max_reads) is not int or self.max_reads < 1:
            raise ValueError(f"max_reads must be a positive integer, got {self.max_reads!r}")
        if self.max_seconds is not None and not self.max_seconds > 0:
            raise ValueError(f"max_seconds must be positive (or None), got {self.max_seconds!r}")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a station did with a reading: events to buffer, held scan ids now settled, notices."""

    events: tuple[EpcisEvent, ...] = ()
    release: tuple[int, ...] = ()
    notices: tuple[str, ...] = ()


class ObjectEventBatcher:
    """Collects scans into ObjectEvents."""

    def __init__(self, template: EventTemplate, batching: Batching = Batching(), *,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.template, self.batching, self._monotonic = template, batching, monotonic
        self._scans: list[Scan] = []
        self._held: list[int] = []
        self._started = 0.0

    def add(self, held_id: int | None, reading: Reading) -> Outcome:
        """Take one reading; raises ``InvalidInput`` for one that cannot be recorded."""
        if not isinstance(reading, Scan):
            raise InvalidInput(f"command {reading.text!r} means nothing at an object-event station")
        if not reading.is_instance:
            raise InvalidInput(
                f"cannot record {reading.identifier!r} (read from {reading.raw!r}): expected an"
                " instance identifier (a serial, an SSCC), found a class-level key"
            )
        if not self._scans:
            self._started = self._monotonic()
        self._scans.append(reading)
        if held_id is not None:
            self._held.append(held_id)
        if len({scan.key for scan in self._scans}) >= self.batching.max_reads:
            return self.flush()
        return Outcome()

    def due_in(self) -> float | None:
        """Seconds until the open batch is due (0: now), or None when nothing waits on time."""
        if not self._scans or self.batching.max_seconds is None:
            return None
        return max(0.0, self._started + self.batching.max_seconds - self._monotonic())

    def flush(self) -> Outcome:
        """The open batch as an event (nothing when empty)."""
        if not self._scans:
            return Outcome()
        first: dict[str, Scan] = {}
        for scan in self._scans:
            first.setdefault(scan.key, scan)  # the same item in another spelling is still one
        event = object_event(list(first.values()), self.template)
        outcome = Outcome((event,), tuple(self._held))
        self._scans, self._held = [], []
        return outcome
