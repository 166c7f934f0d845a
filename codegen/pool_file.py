"""The line PC's copy of a code pool, and its print log: printing with the network down.

``pool.json`` (written by ``tracemark pool reserve``) holds everything a label needs::

    {"pool": 7, "brand": "acme", "line": "line-1", "gtin": "09506000134352",
     "lot": "LOT-2026/11", "expires": "2028-10-31", "low_water_mark": 5,
     "codes": [{"sequence": 1, "serial": "7QK3M9XH2D4PA", "url": "https://…?8030=…"}, …]}

Printing reads only this file and appends to ``pool.print-log.jsonl`` beside it, one JSON
object per label sent (``{"sequence": 1, "serial": "…", "at": "…", "reprint": false}``);
nothing here opens a database or a network connection except the printer's. The next
label is the one after the highest sequence number in the log; a re-print of a label (after
a roll change) is logged as such, and reconciliation reports it.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from codegen.label import LabelCode
from codegen.zpl import zpl_label
from trace.domain.code_pools import PrintedLabel
from trace.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class PoolCodeEntry:
    sequence: int
    serial: str
    url: str


@dataclass(frozen=True, slots=True)
class PoolFile:
    """A pool as the line PC holds it."""

    pool_id: int
    brand: str
    line: str
    gtin: str
    lot: str
    expires: datetime.date | None
    low_water_mark: int
    codes: tuple[PoolCodeEntry, ...]

    @classmethod
    def load(cls, path: Path) -> PoolFile:
        """Read ``path``; :class:`InvalidInput` naming the file when it is not a pool file."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(pool_id=int(data["pool"]), brand=data["brand"], line=data["line"], gtin=data["gtin"],
                       lot=data["lot"],
                       expires=datetime.date.fromisoformat(data["expires"]) if data.get("expires") else None,
                       low_water_mark=int(data["low_water_mark"]),
                       codes=tuple(PoolCodeEntry(int(c["sequence"]), c["serial"], c["url"]) for c in data["codes"]))
        except OSError as exc:
            raise InvalidInput(f"cannot read pool file {path}: {exc.strerror}") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInput(f"invalid pool file {path}: expected the JSON written by `tracemark pool reserve`"
                               f" ({exc})") from exc

    def dump(self, path: Path) -> None:
        """Write the pool file (JSON, one code per line for diffable files)."""
        head = {"pool": self.pool_id, "brand": self.brand, "line": self.line, "gtin": self.gtin, "lot": self.lot,
                "expires": self.expires.isoformat() if self.expires else None, "low_water_mark": self.low_water_mark}
        body = ",\n".join(json.dumps({"sequence": c.sequence, "serial": c.serial, "url": c.url}) for c in self.codes)
        text = json.dumps(head)[:-1] + ', "codes": [\n' + body + "\n]}\n"
        path.write_text(text, encoding="utf-8")

    def label(self, entry: PoolCodeEntry) -> LabelCode:
        return LabelCode(url=entry.url, gtin=self.gtin, lot=self.lot, serial=entry.serial, expires=self.expires)


def log_path(pool_path: Path) -> Path:
    """The print log kept next to a pool file: ``pool.json`` → ``pool.print-log.jsonl``."""
    return pool_path.with_name(pool_path.stem + ".print-log.jsonl")


def read_log(path: Path) -> list[PrintedLabel]:
    """The labels of a print log, in the order they were sent (empty when there is no log yet)."""
    if not path.exists():
        return []
    labels = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            labels.append(PrintedLabel(int(item["sequence"]), str(item["serial"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInput(f"invalid print log {path} line {number}: expected a JSON object with sequence and"
                               f" serial, found {line[:60]!r}") from exc
    return labels


@dataclass(frozen=True, slots=True)
class PrintBatch:
    """Labels formatted for one print job, not yet logged."""

    zpl: str
    labels: tuple[PrintedLabel, ...]
    reprints: tuple[int, ...]
    unprinted_after: int
    low: bool


def next_batch(pool: PoolFile, log: Sequence[PrintedLabel], count: int, *, reprint: Sequence[int] = ()) -> PrintBatch:
    """Format the re-prints asked for, then the next ``count`` unprinted labels, as one ZPL job.

    Raises :class:`InvalidInput` when fewer than ``count`` codes are left (the pool is
    exhausted: nothing is printed) or a re-print names a label never printed.
    """
    by_sequence = {c.sequence: c for c in pool.codes}
    printed = {label.sequence for label in log}
    for sequence in reprint:
        if sequence not in printed:
            raise InvalidInput(f"cannot re-print label {sequence}: expected a label already printed from pool"
                               f" {pool.pool_id}")
    highest = max(printed, default=0)
    fresh = [c for c in pool.codes if c.sequence > highest][:count]
    if len(fresh) < count:
        raise InvalidInput(f"code pool {pool.pool_id} is running out: asked for {count} labels, found"
                           f" {len(fresh)} unprinted codes; reserve a new pool")
    entries = [by_sequence[s] for s in reprint] + fresh
    zpl = "".join(zpl_label(pool.label(e)) for e in entries)
    unprinted_after = sum(1 for c in pool.codes if c.sequence > highest) - len(fresh)
    return PrintBatch(zpl=zpl, labels=tuple(PrintedLabel(e.sequence, e.serial) for e in entries),
                      reprints=tuple(reprint), unprinted_after=unprinted_after,
                      low=unprinted_after < pool.low_water_mark)


def append_log(path: Path, batch: PrintBatch, *, now: datetime.datetime | None = None) -> None:
    """Record the labels of ``batch`` as sent (call only after the printer took the job)."""
    stamp = (now or datetime.datetime.now(datetime.timezone.utc)).isoformat(timespec="seconds")
    reprints = list(batch.reprints)
    with path.open("a", encoding="utf-8") as log:
        for label in batch.labels:
            is_reprint = label.sequence in reprints
            if is_reprint:
                reprints.remove(label.sequence)
            log.write(json.dumps({"sequence": label.sequence, "serial": label.serial, "at": stamp,
                                  "reprint": is_reprint}) + "\n")
