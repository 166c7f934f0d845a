"""Packing stations: a case label, its items, a close command → one AggregationEvent.

The operator scans, in order:

1. the case label: an SSCC, as a Digital Link (``…/00/…``), an element string
   (``(00)…``, ``]C100…``) or an SSCC-96 EPC — this opens the case;
2. its items: instance identifiers (SGTIN with serial…); an item scanned twice (in any
   spelling: QR, DataMatrix, RFID) is kept once and the repeat reported as a warning;
3. the close command (the text ``CLOSE`` by default, typed or printed as a barcode) —
   this records one AggregationEvent: ``parentID`` the SSCC, ``childEPCs`` the items,
   action ADD and bizStep ``packing`` (from the station's template), at the time of the
   close.

Mistakes are refused with a message and change nothing: an item before any case label,
a class-level identifier, a close with no open case or an empty case. **A new case label
while a case is open is refused too** (not auto-closed): a mis-scanned label must not
silently seal a half-packed case; the operator scans CLOSE first. Rescanning the open
case's own label is a harmless repeat.

An open case survives a crash: its scans stay journaled in the buffer until the close,
and a restarted station replays them.

References: EPCIS 2.0 (GS1, 2022), section 7.4 (AggregationEvent: parentID, childEPCs,
action ADD); CBV 2.0 (bizStep ``packing``); GS1 General Specifications (SSCC, AI 00).
"""

from __future__ import annotations

from collections.abc import Collection

from readers.batching import Outcome
from readers.events import EventTemplate, aggregation_event
from readers.scan import Command, Reading, Scan
from trace.errors import InvalidInput

__all__ = ["AggregationSession"]


class AggregationSession:
    """The state of one packing station: the open case and what is in it."""

    def __init__(self, template: EventTemplate, *, close_commands: Collection[str] = ("CLOSE",)) -> None:
        self.template = template
        self.close_commands = frozenset(close_commands)
        self._case: Scan | None = None
        self._items: dict[str, Scan] = {}
        self._held: list[int] = []

    @property
    def open_case(self) -> Scan | None:
        """The case being packed, if any."""
        return self._case

    @property
    def items(self) -> tuple[Scan, ...]:
        """The items packed so far, in scan order."""
        return tuple(self._items.values())

    def add(self, held_id: int | None, reading: Reading) -> Outcome:
        """Take one reading; raises ``InvalidInput`` (changing nothing) for a mistake."""
        if isinstance(reading, Command):
            return self._close(reading)
        if reading.is_sscc:
            return self._keep(held_id, self._open(reading))
        return self._keep(held_id, self._pack(reading))

    def due_in(self) -> float | None:
        """Cases close on command, never on time."""
        return None

    def flush(self) -> Outcome:
        """Nothing to flush: an open case stays open (and journaled) until its close."""
        if self._case is None:
            return Outcome()
        return Outcome(notices=(f"case {self._case.identifier} is still open with {len(self._items)}"
                                " item(s): it resumes when the station restarts",))

    def _open(self, case: Scan) -> str | None:
        if self._case is None:
            self._case = case
            return None
        if case.key == self._case.key:
            return f"case {case.identifier} is already open: repeat scan ignored"
        raise InvalidInput(
            f"cannot start case {case.identifier} (read from {case.raw!r}): case"
            f" {self._case.identifier} is still open; scan {self._close_hint()} to close it first"
        )

    def _pack(self, item: Scan) -> str | None:
        if self._case is None:
            raise InvalidInput(
                f"item {item.identifier} (read from {item.raw!r}) scanned before any case label:"
                " expected a case label (SSCC) first"
            )
        if not item.is_instance:
            raise InvalidInput(
                f"cannot pack {item.identifier} (read from {item.raw!r}): expected an instance"
                " identifier (with a serial), found a class-level key"
            )
        if item.key in self._items:
            return f"duplicate item {item.identifier} ignored: already in case {self._case.identifier}"
        self._items[item.key] = item
        return None

    def _close(self, command: Command) -> Outcome:
        if command.text not in self.close_commands:
            raise InvalidInput(f"unknown command {command.text!r}: expected {self._close_hint()}")
        if self._case is None:
            raise InvalidInput(f"{command.text!r} with no open case: expected a case label (SSCC) first")
        if not self._items:
            raise InvalidInput(
                f"cannot close case {self._case.identifier}: it has no items; scan its items first"
            )
        event = aggregation_event(self._case, list(self._items.values()), time=command.time,
                                  template=self.template)
        outcome = Outcome((event,), tuple(self._held),
                          (f"case {self._case.identifier} closed with {len(self._items)} item(s)",))
        self._case, self._items, self._held = None, {}, []
        return outcome

    def _keep(self, held_id: int | None, notice: str | None) -> Outcome:
        if held_id is not None:
            self._held.append(held_id)
        return Outcome(notices=(notice,) if notice else ())

    def _close_hint(self) -> str:
        return " or ".join(repr(text) for text in sorted(self.close_commands))
