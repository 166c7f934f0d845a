"""The console's new-recall form: its fields as typed, and the recall criteria they mean.

Every criterion of :class:`~trace.services.recall_criteria.RecallCriteria` has a field:
product + lots, line + production window, material/supplier lots, identifiers typed one per
line, and a CSV file of identifiers. The CSV is checked whole when it is uploaded (a bad row
names its line, nothing is previewed or started); the identifiers it held travel on in the
form (``imported``) so that the recall started after the preview is the one previewed, and
are checked again when it starts.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass

from trace.errors import IdentifierError, InvalidInput
from trace.services.recall_criteria import RecallCriteria, identifier, identifiers_from_csv

MAX_CSV_BYTES = 5_000_000
"""An upload larger than this is refused (about 60,000 identifiers as Digital Links)."""


@dataclass(frozen=True, slots=True)
class CsvUpload:
    name: str
    content: bytes


@dataclass(frozen=True, slots=True)
class RecallForm:
    """The form's fields as the browser sent them (shown again on the page as typed)."""

    gtin: str = ""
    lots: str = ""
    line: str = ""
    produced_from: str = ""
    produced_to: str = ""
    material_lots: str = ""
    identifiers: str = ""
    imported: str = ""
    """Identifiers of a CSV already uploaded, one per line (a hidden field)."""
    imported_from: str = ""
    return_points: str = ""
    reason: str = ""
    reference: str = ""

    def with_upload(self, upload: CsvUpload | None) -> RecallForm:
        """The form with the identifiers of an uploaded CSV added to ``imported``
        (InvalidInput naming the file and each bad line: nothing of it is used then)."""
        if upload is None:
            return self
        found = read_csv(upload)
        merged = _unique([*_lines(self.imported), *found])
        return RecallForm(**{**asdict(self), "imported": "\n".join(merged), "imported_from": upload.name})

    @property
    def imported_count(self) -> int:
        return len(_lines(self.imported))

    def criteria(self) -> RecallCriteria:
        """The criteria the fields mean; InvalidInput (or IdentifierError) naming the bad field."""
        return RecallCriteria.from_json({
            "gtin": self.gtin.strip() or None,
            "lots": [x for x in re.split(r"[,\s]+", self.lots) if x],
            "line": self.line.strip() or None,
            "produced_from": self.produced_from.strip() or None,
            "produced_to": self.produced_to.strip() or None,
            "material_lots": [value for _, value in _checked("material lots", self.material_lots)],
            "identifiers": _unique([uri for uri, _ in (*_checked("identifiers", self.identifiers),
                                                        *_checked("imported identifiers", self.imported))]),
            "return_points": _lines(self.return_points),
        })


def read_csv(upload: CsvUpload) -> tuple[str, ...]:
    """The identifiers of an uploaded CSV, every row checked (see :func:`identifiers_from_csv`)."""
    if len(upload.content) > MAX_CSV_BYTES:
        raise InvalidInput(f"{upload.name}: {len(upload.content)} bytes: expected a CSV of at most "
                           f"{MAX_CSV_BYTES} bytes")
    try:
        text = upload.content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = upload.content.count(b"\n", 0, exc.start) + 1
        raise InvalidInput(f"{upload.name} line {line}: byte {upload.content[exc.start]:#04x} is not UTF-8: "
                           "expected a CSV file saved as UTF-8 text") from exc
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        for _ in reader:
            pass
    except csv.Error as exc:
        raise InvalidInput(f"{upload.name} line {reader.line_num}: {exc}: expected one identifier per row, "
                           "quoted fields closed on the same row") from exc
    try:
        return identifiers_from_csv(text)
    except InvalidInput as exc:
        raise InvalidInput(f"{upload.name}: {exc}") from exc


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _checked(field: str, text: str) -> list[tuple[str, str]]:
    """(canonical identifier URI, value as typed) of each non-empty line of ``text``;
    InvalidInput naming every bad line of ``field``."""
    found, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.strip()
        if not value:
            continue
        try:
            found.append((identifier(value).uri, value))
        except IdentifierError as exc:
            problems.append(f"line {number}: {exc}")
    if problems:
        raise InvalidInput(f"{len(problems)} bad {field}: " + "; ".join(problems[:20]))
    return found
