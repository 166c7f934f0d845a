"""What a recall selects: criteria that combine (their union is the seed of the blast radius).

- ``gtin`` + ``lots``: the product's items of those lots (every lot when ``lots`` is empty);
- ``line`` + ``produced_from``/``produced_to``: items of the lots made on that line in that
  window (``lot.line``, ``lot.produced_on``, both ends inclusive);
- ``material_lots``: supplier/material lots (LGTIN classes, or SGTIN/SSCC inputs) followed
  forward through TransformationEvents to what was made from them;
- ``identifiers``: items, cases, pallets in any EPCIS identifier form (EPC URN, GS1 Digital
  Link, bracketed element string) — also what a CSV import fills in;
- ``return_points``: locations (SGLN URIs) where a ``receiving`` scan counts as recovered.

References: FSMA 204 (21 CFR 1.1455) for the export; CBV 2.0 §7.2 dispositions.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

from trace.domain.epcis import EpcisIdentifier, parse_identifier
from trace.errors import IdentifierError, InvalidInput
from trace.identifiers.element_string import ElementString

_DL_ORDER = ("00", "01", "10", "21")


@dataclass(frozen=True, slots=True)
class RecallCriteria:
    gtin: str | None = None
    lots: tuple[str, ...] = ()
    line: str | None = None
    produced_from: date | None = None
    produced_to: date | None = None
    material_lots: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    return_points: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not (self.gtin or self.line or self.material_lots or self.identifiers):
            raise InvalidInput("empty recall criteria: expected a product (gtin), a line, material lots or identifiers")
        if self.lots and not self.gtin:
            raise InvalidInput(f"lots {list(self.lots)} given without a product: expected gtin with lots")
        if (self.produced_from or self.produced_to) and not self.line:
            raise InvalidInput("a production window needs a line: expected line with produced_from/produced_to")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RecallCriteria:
        """Build criteria from a JSON object (API body, stored recall); unknown fields are refused."""
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise InvalidInput(f"unknown recall criteria {sorted(unknown)}: expected {sorted(cls.__dataclass_fields__)}")

        def day(name: str) -> date | None:
            value = data.get(name)
            try:
                return date.fromisoformat(value) if value else None
            except (TypeError, ValueError) as exc:
                raise InvalidInput(f"invalid {name} {value!r}: expected a date YYYY-MM-DD") from exc

        def strings(name: str) -> tuple[str, ...]:
            value = data.get(name) or ()
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise InvalidInput(f"invalid {name}: expected a list of strings")
            return tuple(value)

        return cls(gtin=data.get("gtin") or None, lots=strings("lots"), line=data.get("line") or None,
                   produced_from=day("produced_from"), produced_to=day("produced_to"),
                   material_lots=strings("material_lots"), identifiers=strings("identifiers"),
                   return_points=strings("return_points"))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("produced_from", "produced_to"):
            data[name] = data[name].isoformat() if data[name] else None
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def identifier(text: str) -> EpcisIdentifier:
    """Any EPCIS identifier form: EPC URN, Digital Link, or a bracketed GS1 element string."""
    text = text.strip()
    if text.startswith("("):
        ais = dict(ElementString.parse(text).ais)
        path = "/".join(f"{ai}/{quote(ais[ai], safe='')}" for ai in _DL_ORDER if ai in ais)
        text = f"https://id.gs1.org/{path}"
    found = parse_identifier(text)
    if not found.is_gs1:
        raise IdentifierError(f"invalid identifier {text!r}: expected a GS1 identifier (SGTIN, SSCC, LGTIN)")
    return found


def identifiers_from_csv(text: str) -> tuple[str, ...]:
    """One identifier per row (first column; a header row ``identifier`` is skipped).

    Every row is checked before anything is used: a bad row fails the whole import with
    each bad line number, so a recall never starts from half a list.
    """
    found: list[str] = []
    problems: list[str] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cell = row[0].strip() if row else ""
        if not cell or (number == 1 and cell.lower() in ("identifier", "epc", "id", "uri")):
            continue
        try:
            found.append(identifier(cell).uri)
        except IdentifierError as exc:
            problems.append(f"line {number}: {exc}")
    if problems:
        raise InvalidInput(f"{len(problems)} bad row(s) in the identifier list, nothing started: "
                           + "; ".join(problems[:20]))
    if not found:
        raise InvalidInput("the identifier list is empty: expected one identifier per row")
    return tuple(found)
