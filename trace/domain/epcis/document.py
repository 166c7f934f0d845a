"""Capture input in, validated values out: an EPCISDocument or a single event.

:func:`parse_document` and :func:`parse_event` accept a parsed JSON object or the raw
bytes of the request body, run every check (JSON Schema, CBV vocabularies, identifiers)
and either return frozen values or raise one :class:`~trace.errors.EpcisValidationError`
listing every problem with its JSON pointer and event index. Nothing is returned half
checked, so nothing half checked can be stored.

References: EPCIS 2.0 (GS1, 2022), capture interface and JSON/JSON-LD binding; CBV 2.0.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from trace.domain.epcis.checks import EventCheck, check_event, with_values
from trace.domain.epcis.event_hash import canonical_bytes, hash_id_of
from trace.domain.epcis.identifiers import EpcisIdentifier
from trace.domain.epcis.jsonld import has_epcis_context
from trace.domain.epcis.model import (
    EVENT_TYPES,
    BizTransaction,
    EpcisDocument,
    EpcisEvent,
    ErrorDeclaration,
    QuantityElement,
    SourceDestination,
)
from trace.domain.epcis.problems import EpcisProblem, pointer, raise_problems
from trace.domain.epcis.schema import schema_problems

__all__ = ["parse_document", "parse_event"]

_Path = tuple[str | int, ...]
_EVENTS: _Path = ("epcisBody", "eventList")
_FRACTION = re.compile(r"(\.\d{6})\d+")
_CONTEXT_MESSAGE = (
    "expected the EPCIS 2.0 JSON-LD context https://ref.gs1.org/standards/epcis/2.0.0/"
    "epcis-context.jsonld among the @context entries (it defines the meaning of the bare CBV words)"
)


def parse_document(data: Mapping[str, Any] | bytes | str) -> EpcisDocument:
    """Validate an EPCISDocument and return it as values.

    Raises ``EpcisValidationError`` with every problem found; an EPCISQueryDocument (a
    query result) or a bare event is refused with a message saying what was expected.

    References: EPCIS 2.0, capture interface (``POST /capture``).
    """
    document = _load(data, what="EPCIS document")
    _refuse_other_types(document, expected="EPCISDocument")
    body = document.get("epcisBody")
    events = body.get("eventList") if isinstance(body, Mapping) else None
    events = events if isinstance(events, list) else []
    problems: list[EpcisProblem] = []
    if "@context" in document and not has_epcis_context(document["@context"]):
        problems.append(EpcisProblem(None, "/@context", _CONTEXT_MESSAGE))
    checks: list[EventCheck | None] = []
    normalised: list[Any] = []
    for index, event in enumerate(events):
        if not isinstance(event, Mapping):
            checks.append(None)
            normalised.append(event)
            continue
        base = (*_EVENTS, index)
        problems.extend(_type_problems(event, base, index))
        check = check_event(event, base=base, index=index)
        checks.append(check)
        problems.extend(check.problems)
        normalised.append(with_values(event, check.replacements(event)))
    schema_view = document
    if isinstance(body, Mapping) and isinstance(body.get("eventList"), list):
        schema_view = {**document, "epcisBody": {**body, "eventList": normalised}}
    problems.extend(_without_duplicates(schema_problems(schema_view), problems))
    raise_problems(problems)
    context = document.get("@context")
    return EpcisDocument(
        schema_version=str(document["schemaVersion"]),
        creation_date=_time(document["creationDate"]),
        events=tuple(
            _event(event, check, context=context) for event, check in zip(events, checks) if check is not None
        ),
        context=context,
        instance_identifier=document.get("instanceIdentifier"),
        sender=document.get("sender"),
        receiver=document.get("receiver"),
    )


def parse_event(data: Mapping[str, Any] | bytes | str) -> EpcisEvent:
    """Validate one standalone event (with its own ``@context``) and return it as a value.

    Pointers in the problems are relative to the event (``/eventTime``).

    References: EPCIS 2.0, capture interface (``POST /events``).
    """
    event = _load(data, what="EPCIS event")
    _refuse_other_types(event, expected="event")
    problems = _type_problems(event, (), None)
    if "@context" in event and not has_epcis_context(event["@context"]):
        problems.append(EpcisProblem(None, "/@context", _CONTEXT_MESSAGE))
    check = check_event(event, base=(), index=None)
    problems.extend(check.problems)
    view = with_values(event, check.replacements(event))
    problems.extend(_without_duplicates(schema_problems(view, in_document=False), problems))
    raise_problems(problems, what="EPCIS event")
    return _event(event, check, context=None)


def _load(data: Mapping[str, Any] | bytes | str, *, what: str) -> Mapping[str, Any]:
    if isinstance(data, (bytes, str)):
        try:
            data = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise_problems([EpcisProblem(None, "", f"expected JSON (UTF-8), found: {exc}")], what=what)
    if not isinstance(data, Mapping):
        found = type(data).__name__
        raise_problems([EpcisProblem(None, "", f"expected a JSON object, found {found}")], what=what)
    return data  # type: ignore[return-value]


def _refuse_other_types(data: Mapping[str, Any], *, expected: str) -> None:
    """Refuse, with a message saying why, what is not the kind of input this entry point takes."""
    found = data.get("type")
    if expected == "EPCISDocument":
        if found == "EPCISDocument":
            return
        if found == "EPCISQueryDocument":
            message = ("an EPCISQueryDocument is a query result, not a capture document:"
                       " expected type 'EPCISDocument'")
        elif found in EVENT_TYPES:
            message = (f"a single {found} is not a document: expected type 'EPCISDocument'"
                       " (or capture it as an event)")
        else:
            message = f"expected type 'EPCISDocument', found {found!r}"
        raise_problems([EpcisProblem(None, "/type", message)])
    if found in ("EPCISDocument", "EPCISQueryDocument"):
        raise_problems([EpcisProblem(None, "/type", f"expected a single event, found an {found}")],
                       what="EPCIS event")


def _type_problems(event: Mapping[str, Any], base: _Path, index: int | None) -> list[EpcisProblem]:
    found = event.get("type")
    if found is None or found in EVENT_TYPES:
        return []  # a missing type is the schema's to report
    expected = ", ".join(sorted(EVENT_TYPES))
    return [EpcisProblem(index, pointer(*base, "type"),
                         f"unsupported event type {found!r}: expected one of {expected}")]


def _without_duplicates(schema: list[EpcisProblem], found: list[EpcisProblem]) -> list[EpcisProblem]:
    """Schema problems, except where a vocabulary or identifier check already explains the field."""
    explained = {problem.pointer for problem in found}
    return [problem for problem in schema if problem.pointer not in explained]


def _event(event: Mapping[str, Any], check: EventCheck, *, context: Any) -> EpcisEvent:
    """The value of a checked event (every path below was found valid by ``check``)."""
    words, ids = check.vocabulary, check.identifiers
    persistent = event.get("persistentDisposition") or {}
    declaration = event.get("errorDeclaration")
    return EpcisEvent(
        type=event["type"],
        event_time=_time(event["eventTime"]),
        event_time_zone_offset=event["eventTimeZoneOffset"],
        hash_id=hash_id_of(canonical := canonical_bytes(event, context=context)),
        canonical=canonical,
        raw=dict(event),
        event_id=event.get("eventID"),
        action=event.get("action"),
        biz_step=words.get(("bizStep",)),
        disposition=words.get(("disposition",)),
        read_point=ids.get(("readPoint", "id")),
        biz_location=ids.get(("bizLocation", "id")),
        epc_list=_identifiers(event, check, "epcList"),
        parent_id=ids.get(("parentID",)),
        child_epcs=_identifiers(event, check, "childEPCs"),
        input_epcs=_identifiers(event, check, "inputEPCList"),
        output_epcs=_identifiers(event, check, "outputEPCList"),
        quantity_list=_quantities(event, check, "quantityList"),
        child_quantity_list=_quantities(event, check, "childQuantityList"),
        input_quantity_list=_quantities(event, check, "inputQuantityList"),
        output_quantity_list=_quantities(event, check, "outputQuantityList"),
        transformation_id=event.get("transformationID"),
        biz_transactions=tuple(
            BizTransaction(id_, type_)
            for type_, id_ in _typed(event, check, "bizTransactionList", "bizTransaction")
        ),
        source_list=tuple(
            SourceDestination(type_ or "", id_) for type_, id_ in _typed(event, check, "sourceList", "source")
        ),
        destination_list=tuple(
            SourceDestination(type_ or "", id_)
            for type_, id_ in _typed(event, check, "destinationList", "destination")
        ),
        persistent_disposition_set=tuple(
            words[("persistentDisposition", "set", n)] for n in range(len(persistent.get("set", ())))
        ),
        persistent_disposition_unset=tuple(
            words[("persistentDisposition", "unset", n)] for n in range(len(persistent.get("unset", ())))
        ),
        error_declaration=None if declaration is None else ErrorDeclaration(
            declaration_time=_time(declaration["declarationTime"]),
            reason=words.get(("errorDeclaration", "reason")),
            corrective_event_ids=tuple(declaration.get("correctiveEventIDs", ())),
        ),
    )


def _identifiers(event: Mapping[str, Any], check: EventCheck, name: str) -> tuple[EpcisIdentifier, ...]:
    values = event.get(name)
    if not values:  # most events fill one list of the four
        return ()
    found = check.identifiers
    return tuple([found[(name, n)] for n in range(len(values))])


def _quantities(event: Mapping[str, Any], check: EventCheck, name: str) -> tuple[QuantityElement, ...]:
    if not event.get(name):
        return ()
    return tuple(
        QuantityElement(check.identifiers[(name, n, "epcClass")], _decimal(element.get("quantity")),
                        element.get("uom"))
        for n, element in enumerate(event.get(name) or ())
    )


def _typed(
    event: Mapping[str, Any], check: EventCheck, name: str, item: str
) -> list[tuple[str | None, EpcisIdentifier]]:
    """(canonical type, identifier) of each bizTransaction / source / destination."""
    if not event.get(name):
        return []
    return [(check.vocabulary.get((name, n, "type")), check.identifiers[(name, n, item)])
            for n in range(len(event.get(name) or ()))]


def _time(text: str) -> datetime:
    """An RFC 3339 timestamp (already validated by the schema) as an aware datetime."""
    normal = f"{text[:10]}T{text[11:]}".replace("z", "Z")
    return datetime.fromisoformat(_FRACTION.sub(r"\1", normal))


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
