"""The checks the JSON Schema cannot make: CBV vocabularies and identifiers, field by field.

:func:`check_event` walks one event, normalises every vocabulary value (reporting unknown
words and typos in CBV namespaces), parses every identifier (reporting malformed EPC URNs
and Digital Links) and returns what it found. The normalised values also go back into a
copy of the event before schema validation, because the schema refuses CBV URNs
(``urn:epcglobal:cbv:…``) even for standard values, which CBV 2.0 lets a sender use.

References: CBV 2.0 (GS1, 2022), section 7; EPCIS 2.0 (GS1, 2022), identifier syntaxes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from trace.domain.epcis import vocabulary
from trace.domain.epcis.identifiers import EpcisIdentifier, parse_identifier
from trace.domain.epcis.problems import EpcisProblem, pointer
from trace.errors import InvalidInput

__all__ = ["EventCheck", "check_event", "with_values"]

_Path = tuple[str | int, ...]

_EPC_LISTS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
_QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")
_TYPED_LISTS = (
    ("bizTransactionList", "bizTransaction", vocabulary.BIZ_TRANSACTION_TYPE),
    ("sourceList", "source", vocabulary.SOURCE_DESTINATION_TYPE),
    ("destinationList", "destination", vocabulary.SOURCE_DESTINATION_TYPE),
)
_REPORT_VOCABULARIES = (
    ("type", vocabulary.MEASUREMENT_TYPE),
    ("exception", vocabulary.SENSOR_ALERT_TYPE),
    ("component", vocabulary.COMPONENT),
)


@dataclass(slots=True)
class EventCheck:
    """What checking one event found: problems, canonical vocabulary values, parsed identifiers."""

    problems: list[EpcisProblem] = field(default_factory=list)
    vocabulary: dict[_Path, str] = field(default_factory=dict)
    """Path in the event -> canonical value, for every vocabulary value that is valid."""
    identifiers: dict[_Path, EpcisIdentifier] = field(default_factory=dict)
    """Path in the event -> parsed identifier, for every identifier that is valid."""

    def replacements(self, event: Mapping[str, Any]) -> dict[_Path, str]:
        """The canonical values that differ from what the event says."""
        return {path: value for path, value in self.vocabulary.items() if _get(event, path) != value}


def check_event(event: Mapping[str, Any], *, base: _Path, index: int | None) -> EventCheck:
    """Check the vocabulary values and identifiers of ``event`` (at ``base`` in its document)."""
    check = EventCheck()
    for path, words in _vocabulary_fields(event):
        value = _get(event, path)
        if not isinstance(value, str):
            continue  # the schema reports the wrong type
        try:
            check.vocabulary[path] = words.normalise(value, field=_name(path))
        except InvalidInput as exc:
            check.problems.append(EpcisProblem(index, pointer(*base, *path), str(exc)))
    found = check.identifiers
    for list_name in _EPC_LISTS:  # most identifiers: walked directly, first, without a call per EPC
        values = event.get(list_name)
        if isinstance(values, list):
            for position, value in enumerate(values):
                if isinstance(value, str):
                    try:
                        found[(list_name, position)] = parse_identifier(value)
                    except InvalidInput as exc:
                        check.problems.append(EpcisProblem(index, pointer(*base, list_name, position), str(exc)))
    for path in _identifier_fields(event):
        value = _get(event, path)
        if isinstance(value, str):
            _identifier(check, path, value, base, index)
    return check


def _identifier(check: EventCheck, path: _Path, value: str, base: _Path, index: int | None) -> None:
    try:
        check.identifiers[path] = parse_identifier(value)
    except InvalidInput as exc:
        check.problems.append(EpcisProblem(index, pointer(*base, *path), str(exc)))


def with_values(event: Mapping[str, Any], values: Mapping[_Path, Any]) -> Mapping[str, Any]:
    """A copy of ``event`` with the values at ``values``' paths replaced (copied along the path only)."""
    result: Any = event
    for path, value in values.items():
        result = _replaced(result, path, value)
    return result


def _vocabulary_fields(event: Mapping[str, Any]) -> Iterator[tuple[_Path, vocabulary.Vocabulary]]:
    for name, words in (("bizStep", vocabulary.BIZ_STEP), ("disposition", vocabulary.DISPOSITION)):
        if name in event:
            yield (name,), words
    persistent = event.get("persistentDisposition")
    if isinstance(persistent, Mapping):
        for key in ("set", "unset"):
            for position in _indices(persistent.get(key)):
                yield ("persistentDisposition", key, position), vocabulary.DISPOSITION
    for list_name, _, words in _TYPED_LISTS:
        for position, element in _elements(event.get(list_name)):
            if "type" in element:
                yield (list_name, position, "type"), words
    declaration = event.get("errorDeclaration")
    if isinstance(declaration, Mapping) and "reason" in declaration:
        yield ("errorDeclaration", "reason"), vocabulary.ERROR_REASON
    for position, element in _elements(event.get("sensorElementList")):
        for report_position, report in _elements(element.get("sensorReport")):
            for key, words in _REPORT_VOCABULARIES:
                if key in report:
                    yield ("sensorElementList", position, "sensorReport", report_position, key), words


def _identifier_fields(event: Mapping[str, Any]) -> Iterator[_Path]:
    """Paths of the identifiers in ``event`` other than the EPC lists' (walked directly)."""
    for name in ("parentID", "transformationID"):
        if name in event:
            yield (name,)
    for list_name in _QUANTITY_LISTS:
        for position, element in _elements(event.get(list_name)):
            if "epcClass" in element:
                yield list_name, position, "epcClass"
    for name in ("readPoint", "bizLocation"):
        if isinstance(event.get(name), Mapping) and "id" in event[name]:
            yield name, "id"
    for list_name, item, _ in _TYPED_LISTS:
        for position, element in _elements(event.get(list_name)):
            if item in element:
                yield list_name, position, item


def _indices(value: Any) -> range:
    return range(len(value)) if isinstance(value, list) else range(0)


def _elements(value: Any) -> Iterator[tuple[int, Mapping[str, Any]]]:
    if isinstance(value, list):
        for position, element in enumerate(value):
            if isinstance(element, Mapping):
                yield position, element


def _get(obj: Any, path: _Path) -> Any:
    for step in path:
        obj = obj[step]
    return obj


def _replaced(obj: Any, path: _Path, value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(obj, list):
        copy = list(obj)
        copy[head] = _replaced(obj[head], rest, value)  # type: ignore[index]
        return copy
    return {**obj, head: _replaced(obj[head], rest, value)}


def _name(path: _Path) -> str:
    """The field a message names: ``bizStep``, ``sourceList/0/type``…"""
    return "/".join(str(step) for step in path)
