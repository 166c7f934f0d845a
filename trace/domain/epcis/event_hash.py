"""The CBV 2.0 EPCIS Event Hash ID: one fingerprint per event, whatever its serialisation.

The event is written as a *pre-hash string*: ``key=value`` pairs without separators, in
the canonical property order below (field names of lists once, their elements sorted),
values in canonical form (:mod:`~trace.domain.epcis.canonical_values`); then ILMD, the
user extensions of fields that have an extension point (readPoint, bizLocation, sensor
elements) and the event's own user extensions, each as ``{namespace}localName=value``
sorted. ``eventID``, ``recordTime``, ``errorDeclaration`` (a correction keeps the hash of
the event it corrects), ``certificationInfo`` (not in the CBV 2.0 order) and
``rdfs:comment`` annotations are left out. The Event Hash ID is
``ni:///sha-256;{hex of SHA-256 of the UTF-8 pre-hash string}?ver=CBV2.0``; the
pre-hash string itself is what the ledger stores as leaf input.

Where CBV 2.0 is silent (field extensions, the source/destination order), this follows
GS1's reference implementation (github.com/RalphTro/epcis-event-hash-generator) in its
CBV 2.0 mode: sourceList before destinationList, business transaction / source /
destination elements written type first, field extensions after ILMD.

References: CBV 2.0 (GS1, 2022), section 8.9 (EPCIS Event Hash ID); RFC 6920 (ni URIs).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Set
from typing import Any

from trace.domain.epcis import vocabulary
from trace.domain.epcis.canonical_values import canonical_number, canonical_time, canonical_value
from trace.domain.epcis.identifiers import parse_identifier
from trace.domain.epcis.jsonld import prefixes, qualified_name
from trace.errors import IdentifierError, InvalidInput

__all__ = ["HASH_ID_VERSION", "canonical_bytes", "event_hash_id", "prehash_string"]

HASH_ID_VERSION = "CBV2.0"

_Prefixes = Mapping[str, str]
_EPC_LISTS = {"epcList", "inputEPCList", "childEPCs", "outputEPCList"}
_QUANTITY_LISTS = {"quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"}
# Canonical property order (CBV 2.0 section 8.9), after eventType.
_ORDER = (
    "eventTime", "eventTimeZoneOffset", "epcList", "parentID", "inputEPCList", "childEPCs",
    "quantityList", "childQuantityList", "inputQuantityList", "outputEPCList",
    "outputQuantityList", "action", "transformationID", "bizStep", "disposition",
    "persistentDisposition", "readPoint", "bizLocation", "bizTransactionList", "sourceList",
    "destinationList", "sensorElementList", "ilmd",
)
# Event fields that are never user extensions, hashed or not.
_STANDARD = frozenset(_ORDER) | {
    "@context", "type", "eventID", "recordTime", "errorDeclaration", "certificationInfo",
}
_METADATA_ORDER = (
    "time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData",
    "dataProcessingMethod", "bizRules",
)
_REPORT_ORDER = (
    "type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "time",
    "microorganism", "chemicalSubstance", "value", "component", "stringValue", "booleanValue",
    "hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev", "percRank",
    "percValue", "uom", "coordinateReferenceSystem",
)
_TIMES = frozenset({"time", "startTime", "endTime"})
_NUMBERS = frozenset({"value", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue"})
_REPORT_VOCABULARIES = {
    "type": vocabulary.MEASUREMENT_TYPE,
    "exception": vocabulary.SENSOR_ALERT_TYPE,
    "component": vocabulary.COMPONENT,
}
_RDFS_COMMENT = "{http://www.w3.org/2000/01/rdf-schema#}comment"


def prehash_string(event: Mapping[str, Any], *, context: Any = None) -> str:
    """The CBV 2.0 pre-hash string of one EPCIS event (a JSON-LD event object).

    ``context`` is the enclosing document's ``@context`` (for extension prefixes); the
    event's own ``@context``, if any, is applied on top. The event should have been
    validated (:func:`~trace.domain.epcis.document.parse_event`): malformed identifiers
    are hashed as written.

    References: CBV 2.0 section 8.9.
    """
    bound = prefixes(context, event.get("@context"))
    parts = [_pair("eventType", str(event.get("type", "")).strip())]
    for field in _ORDER:
        if field in event and event[field] is not None:
            parts.append(_FIELDS[field](field, event[field], bound))
    parts.append(_field_extensions(event, bound))
    parts.extend(sorted(
        item for key, value in event.items() if key not in _STANDARD
        for item in _extension(key, value, bound) if not item.startswith(_RDFS_COMMENT)
    ))
    return "".join(parts)


def canonical_bytes(event: Mapping[str, Any], *, context: Any = None) -> bytes:
    """The UTF-8 pre-hash string: the bytes the Event Hash ID digests and the ledger stores."""
    return prehash_string(event, context=context).encode("utf-8")


def event_hash_id(event: Mapping[str, Any], *, context: Any = None) -> str:
    """The Event Hash ID, ``ni:///sha-256;{hex}?ver=CBV2.0``.

    References: CBV 2.0 section 8.9; RFC 6920 section 3 (the ``ni`` URI scheme).
    """
    return hash_id_of(canonical_bytes(event, context=context))


def hash_id_of(canonical: bytes) -> str:
    """The Event Hash ID of an already computed pre-hash string."""
    return f"ni:///sha-256;{hashlib.sha256(canonical).hexdigest()}?ver={HASH_ID_VERSION}"


def _pair(name: str, text: str) -> str:
    """``name=text``; nothing when the value is empty (CBV: omitted fields are not written)."""
    return f"{name}={text}" if text else ""


def _group(name: str, items: Iterable[str]) -> str:
    """A list or parent: its name once, then its non-empty children sorted; nothing if none."""
    children = sorted(item for item in items if item)
    return name + "".join(children) if children else ""


def _vocabulary_value(value: Any, words: vocabulary.Vocabulary, bound: _Prefixes) -> str:
    """A vocabulary value as its web URI; an unknown one as written (validation reports it)."""
    if isinstance(value, str):
        try:
            return words.web_uri(words.normalise(value.strip(), field="value"))
        except InvalidInput:
            pass
    return canonical_value(value, bound)


def _plain(field: str, value: Any, bound: _Prefixes) -> str:
    if field == "eventTime":
        return _pair(field, canonical_time(str(value)))
    if field == "eventTimeZoneOffset":
        return _pair(field, str(value).strip())
    return _pair(field, canonical_value(value, bound))


def _epcs(field: str, values: Any, bound: _Prefixes) -> str:
    # Most of an event: its EPCs. Valid EPC URNs (already parsed and cached by the event's
    # checks) take the short way to their Digital Link; anything else is canonical_value's.
    urns_as_identifiers = "urn" not in bound
    items = []
    for epc in _list(values):
        text = epc.strip() if isinstance(epc, str) else None
        if text and urns_as_identifiers and text.startswith("urn:epc:"):
            try:
                items.append("epc=" + parse_identifier(text).as_digital_link())
                continue
            except IdentifierError:
                pass
        value = canonical_value(epc, bound)
        if value:
            items.append("epc=" + value)
    items.sort()
    return field + "".join(items) if items else ""


def _quantities(field: str, elements: Any, bound: _Prefixes) -> str:
    return _group(field, (
        _group("quantityElement", [
            _pair("epcClass", canonical_value(element.get("epcClass"), bound))
            + _pair("quantity", _number(element.get("quantity"), bound))
            + _pair("uom", canonical_value(element.get("uom"), bound)),
        ])
        for element in _objects(elements)
    ))


def _vocabulary_field(words: vocabulary.Vocabulary) -> Callable[[str, Any, _Prefixes], str]:
    return lambda field, value, bound: _pair(field, _vocabulary_value(value, words, bound))


def _persistent_disposition(field: str, value: Any, bound: _Prefixes) -> str:
    if not isinstance(value, Mapping):
        return ""
    return _group(field, [
        "".join(sorted(
            _pair(key, _vocabulary_value(item, vocabulary.DISPOSITION, bound))
            for item in _list(value.get(key))
        ))
        for key in ("set", "unset")
    ])


def _location(field: str, value: Any, bound: _Prefixes) -> str:
    if not isinstance(value, Mapping):
        return ""
    return _group(field, [_pair("id", canonical_value(value.get("id"), bound))])


def _typed_list(item: str, words: vocabulary.Vocabulary) -> Callable[[str, Any, _Prefixes], str]:
    """bizTransactionList / sourceList / destinationList: each element ``type=…{item}=…``."""
    def render(field: str, elements: Any, bound: _Prefixes) -> str:
        return _group(field, (
            _pair("type", _vocabulary_value(element["type"], words, bound) if "type" in element else "")
            + _pair(item, canonical_value(element.get(item), bound))
            for element in _objects(elements)
        ))
    return render


def _sensor_elements(field: str, elements: Any, bound: _Prefixes) -> str:
    # CBV 2.0 writes each sensorElement without the list's own name (CBV 2.1 adds it).
    return "".join(sorted(_sensor_element(element, bound) for element in _objects(elements)))


def _sensor_element(element: Mapping[str, Any], bound: _Prefixes) -> str:
    metadata = element.get("sensorMetadata")
    metadata_part = ""
    if isinstance(metadata, Mapping):
        metadata_part = _ordered("sensorMetadata", metadata, _METADATA_ORDER, bound)
    reports = sorted(_ordered("sensorReport", report, _REPORT_ORDER, bound)
                     for report in _objects(element.get("sensorReport")))
    body = metadata_part + "".join(reports)
    return "sensorElement" + body if body else ""


def _ordered(name: str, obj: Mapping[str, Any], order: tuple[str, ...], bound: _Prefixes) -> str:
    parts = []
    for key in order:
        value = obj.get(key)
        if value is None:
            continue
        if key in _TIMES:
            parts.append(_pair(key, canonical_time(str(value))))
        elif key in _NUMBERS:
            parts.append(_pair(key, _number(value, bound)))
        elif name == "sensorReport" and key in _REPORT_VOCABULARIES:
            parts.append(_pair(key, _vocabulary_value(value, _REPORT_VOCABULARIES[key], bound)))
        else:
            parts.append(_pair(key, canonical_value(value, bound)))
    body = "".join(parts)
    return name + body if body else ""


def _ilmd(field: str, value: Any, bound: _Prefixes) -> str:
    if not isinstance(value, Mapping):
        return ""
    return _group(field, _extensions(value, bound))


def _field_extensions(event: Mapping[str, Any], bound: _Prefixes) -> str:
    """User extensions inside readPoint, bizLocation and sensor elements, after the regular fields."""
    parts = [
        _group(field, _extensions(event[field], bound, skip={"id"}))
        for field in ("readPoint", "bizLocation") if isinstance(event.get(field), Mapping)
    ]
    elements = []
    for element in _objects(event.get("sensorElementList")):
        metadata = element.get("sensorMetadata")
        body = ""
        if isinstance(metadata, Mapping):
            body = _group("sensorMetadata", _extensions(metadata, bound, skip=set(_METADATA_ORDER)))
        body += "".join(sorted(
            _group("sensorReport", _extensions(report, bound, skip=set(_REPORT_ORDER)))
            for report in _objects(element.get("sensorReport"))
        ))
        body += "".join(sorted(_extensions(element, bound, skip={"sensorMetadata", "sensorReport"})))
        if body:
            elements.append("sensorElement" + body)
    return "".join(parts) + "".join(sorted(elements))


def _extensions(obj: Mapping[str, Any], bound: _Prefixes, *, skip: Set[str] = frozenset()) -> list[str]:
    return [item for key, value in obj.items() if key not in skip for item in _extension(key, value, bound)]


def _extension(key: str, value: Any, bound: _Prefixes) -> list[str]:
    """``{namespace}name=value`` for a scalar, ``{namespace}name`` + sorted children for an
    object, one such item per element for an array."""
    if isinstance(value, list):
        return [item for element in value for item in _extension(key, element, bound)]
    name = qualified_name(key, bound)
    if isinstance(value, Mapping):
        return [name + "".join(sorted(_extensions(value, bound)))]
    text = canonical_value(value, bound, numeric_text=True)
    return [f"{name}={text}" if text else name]


def _number(value: Any, bound: _Prefixes) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return canonical_number(value)
    return canonical_value(value, bound, numeric_text=True)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _objects(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in _list(value) if isinstance(item, Mapping)]


_FIELDS: dict[str, Callable[[str, Any, _Prefixes], str]] = {
    **{field: _epcs for field in _EPC_LISTS},
    **{field: _quantities for field in _QUANTITY_LISTS},
    "bizStep": _vocabulary_field(vocabulary.BIZ_STEP),
    "disposition": _vocabulary_field(vocabulary.DISPOSITION),
    "persistentDisposition": _persistent_disposition,
    "readPoint": _location,
    "bizLocation": _location,
    "bizTransactionList": _typed_list("bizTransaction", vocabulary.BIZ_TRANSACTION_TYPE),
    "sourceList": _typed_list("source", vocabulary.SOURCE_DESTINATION_TYPE),
    "destinationList": _typed_list("destination", vocabulary.SOURCE_DESTINATION_TYPE),
    "sensorElementList": _sensor_elements,
    "ilmd": _ilmd,
}
for _field in _ORDER:
    _FIELDS.setdefault(_field, _plain)
