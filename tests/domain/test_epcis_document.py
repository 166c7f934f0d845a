"""parse_document / parse_event: every official example in, every problem out with its place."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from trace.domain.epcis import EpcisProblem, event_hash_id, parse_document, parse_event
from trace.errors import EpcisValidationError, InvalidInput

EXAMPLES = Path(__file__).resolve().parents[1] / "vectors" / "epcis"
ALL = sorted(EXAMPLES.rglob("*.jsonld"))
EVENTS = "/epcisBody/eventList"
CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


def example(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / name).read_text("utf-8"))


def of_type(kind: str) -> list[Path]:
    return [path for path in ALL if json.loads(path.read_text("utf-8"))["type"] == kind]


@pytest.mark.parametrize("path", of_type("EPCISDocument"), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_official_epcis_document_parses(path: Path) -> None:
    data = json.loads(path.read_text("utf-8"))
    document = parse_document(path.read_bytes())
    assert len(document.events) == len(data["epcisBody"]["eventList"])
    for event, raw in zip(document.events, data["epcisBody"]["eventList"]):
        assert event.raw == raw
        assert event.hash_id == event_hash_id(raw, context=data["@context"])
        assert event.event_time.tzinfo is not None


def test_there_are_46_documents_and_one_query_document() -> None:
    assert (len(of_type("EPCISDocument")), len(of_type("EPCISQueryDocument"))) == (46, 1)


@pytest.mark.parametrize("path", of_type("EPCISQueryDocument"), ids=lambda p: p.name)
def test_a_query_document_is_not_a_capture_document(path: Path) -> None:
    with pytest.raises(EpcisValidationError) as caught:
        parse_document(path.read_bytes())
    assert str(caught.value) == (
        "invalid EPCIS document: /type: an EPCISQueryDocument is a query result, not a capture"
        " document: expected type 'EPCISDocument'"
    )


def test_the_fields_of_an_object_event() -> None:
    document = parse_document(example("Example_9.6.1-ObjectEvent.jsonld"))
    assert (document.schema_version, document.creation_date) == (
        "2.0", datetime(2005, 7, 11, 11, 30, 47, tzinfo=timezone.utc))
    event = document.events[1]
    assert event.type == "ObjectEvent"
    assert event.event_time == datetime(2005, 4, 4, 20, 33, 31, 116000, tzinfo=timezone(timedelta(hours=-6)))
    assert (event.event_time_zone_offset, event.action, event.biz_step, event.disposition) == (
        "-06:00", "OBSERVE", "receiving", "in_progress")
    assert [epc.key for epc in event.epc_list] == ["0110614141073464212018"]
    assert event.read_point is not None and event.read_point.key == "4140012345111112254400"
    assert event.biz_location is not None and event.biz_location.as_digital_link() == (
        "https://id.gs1.org/414/0012345111112")
    assert [(t.type, t.id.uri) for t in event.biz_transactions] == [
        ("po", "http://transaction.acme.com/po/12345678"),
        ("desadv", "urn:epcglobal:cbv:bt:0614141073467:1152"),
    ]
    assert event.raw["example:myField"] == "Example of a vendor/user extension"
    assert (event.record_time, event.error_declaration, event.parent_id) == (None, None, None)
    assert event.event_id == "ni:///sha-256;00e1e6eba3a7cc6125be4793a631f0af50f8322e0ab5f2c0bab994a11cec1d79?ver=CBV2.0"


def test_the_fields_of_a_transformation_event() -> None:
    (event,) = parse_document(example("WithFullCombinationOfFields/transformation_event_all_possible_fields.jsonld")).events
    assert [q.epc_class.as_digital_link() for q in event.input_quantity_list] == [
        "https://id.gs1.org/01/04012345111118/10/4444",
        "https://id.gs1.org/01/00614141777778/10/987",
        "https://id.gs1.org/01/04012345666663",
    ]
    assert [(q.quantity, q.uom) for q in event.input_quantity_list] == [
        (Decimal("10"), "KGM"), (Decimal("30"), None), (Decimal("220"), None)]
    assert len(event.input_epcs) == 2 and len(event.output_epcs) == 4
    assert (event.persistent_disposition_set, event.persistent_disposition_unset) == (
        ("completeness_verified",), ("completeness_inferred",))
    assert [(s.type, s.id.key) for s in event.source_list] == [
        ("location", "4144012345002256"), ("possessing_party", "4174012345002256"),
        ("owning_party", "4174012345002256")]
    assert event.error_declaration is not None
    assert event.error_declaration.reason == "incorrect_data"
    assert event.error_declaration.declaration_time == datetime(2013, 11, 7, 13, tzinfo=timezone.utc)
    assert len(event.identifiers) == 2 + 4 + 3 + 3


def test_aggregation_event_fields() -> None:
    (event,) = parse_document(example("Example_9.6.3-AggregationEvent.jsonld")).events
    assert event.parent_id is not None and event.parent_id.key == "00106141412345678908"
    assert [epc.uri for epc in event.child_epcs] == [
        "urn:epc:id:sgtin:0614141.107346.2017", "urn:epc:id:sgtin:0614141.107346.2018"]


def test_cbv_urns_are_accepted_and_normalised_although_the_schema_refuses_them() -> None:
    data = example("Example_9.6.1-ObjectEvent.jsonld")
    event = data["epcisBody"]["eventList"][0]
    event["bizStep"] = "urn:epcglobal:cbv:bizstep:shipping"
    event["disposition"] = "https://ref.gs1.org/cbv/Disp-in_transit"
    event["bizTransactionList"][0]["type"] = "urn:epcglobal:cbv:btt:po"
    parsed = parse_document(data).events[0]
    assert (parsed.biz_step, parsed.disposition, parsed.biz_transactions[0].type) == (
        "shipping", "in_transit", "po")
    assert parsed.hash_id == parse_document(example("Example_9.6.1-ObjectEvent.jsonld")).events[0].hash_id


def _mutate(path: tuple[Any, ...], value: Any = None, *, delete: bool = False) -> Callable[[dict[str, Any]], None]:
    def apply(document: dict[str, Any]) -> None:
        target = document
        for step in path[:-1]:
            target = target[step]
        if delete:
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return apply


def _event(index: int, *rest: Any) -> tuple[Any, ...]:
    return ("epcisBody", "eventList", index, *rest)


# One named mutation of Example_9.6.1 each: (mutation, event index, pointer, message).
MUTATIONS = {
    "missing-event-time": (_mutate(_event(1, "eventTime"), delete=True), 1, f"{EVENTS}/1/eventTime",
                           "'eventTime' is a required property"),
    "unknown-action": (_mutate(_event(0, "action"), "OBSERVED"), 0, f"{EVENTS}/0/action",
                       "'OBSERVED' is not one of ['OBSERVE', 'ADD', 'DELETE']"),
    "bizstep-urn-typo": (_mutate(_event(1, "bizStep"), "urn:epcglobal:cbv:bizstep:shiping"), 1,
                         f"{EVENTS}/1/bizStep",
                         "bizStep 'urn:epcglobal:cbv:bizstep:shiping' is not a CBV 2.0 business step: expected a"
                         " CBV word (did you mean 'shipping'?) or an extension URI outside the CBV namespaces"),
    "bizstep-bare-typo": (_mutate(_event(0, "bizStep"), "shiping"), 0, f"{EVENTS}/0/bizStep",
                          "bizStep 'shiping' is not a CBV 2.0 business step: expected a CBV word (did you mean"
                          " 'shipping'?) or an extension URI outside the CBV namespaces"),
    "epc-missing-serial": (_mutate(_event(0, "epcList", 1), "urn:epc:id:sgtin:0614141.812345"), 0,
                           f"{EVENTS}/0/epcList/1",
                           "invalid EPC URI 'urn:epc:id:sgtin:0614141.812345': expected 3 dot-separated fields"
                           " (company prefix, indicator and item reference, serial), found 2"),
    "epc-bad-digits": (_mutate(_event(1, "epcList", 0), "urn:epc:id:sgtin:06141X1.107346.2018"), 1,
                       f"{EVENTS}/1/epcList/0",
                       "invalid EPC URI 'urn:epc:id:sgtin:06141X1.107346.2018': invalid company prefix"
                       " '06141X1': expected 6 to 12 digits"),
    "read-point-bad-check-digit": (_mutate(_event(0, "readPoint", "id"), "https://id.gs1.org/414/0614141073468"),
                                   0, f"{EVENTS}/0/readPoint/id",
                                   "invalid Digital Link URI 'https://id.gs1.org/414/0614141073468': invalid"
                                   " AI (414) value '0614141073468': check digit should be 7, found 8"),
    "business-transaction-type-typo": (_mutate(_event(1, "bizTransactionList", 1, "type"), "dsadv"), 1,
                                       f"{EVENTS}/1/bizTransactionList/1/type",
                                       "bizTransactionList/1/type 'dsadv' is not a CBV 2.0 business transaction"
                                       " type: expected a CBV word (did you mean 'desadv'?) or an extension URI"
                                       " outside the CBV namespaces"),
    "unsupported-event-type": (_mutate(_event(1, "type"), "ObservationEvent"), 1, f"{EVENTS}/1/type",
                               "unsupported event type 'ObservationEvent': expected one of AggregationEvent,"
                               " AssociationEvent, ObjectEvent, TransactionEvent, TransformationEvent"),
    "no-epcis-context": (_mutate(("@context",), [{"example": "http://ns.example.com/epcis/"}]), None, "/@context",
                         "expected the EPCIS 2.0 JSON-LD context https://ref.gs1.org/standards/epcis/2.0.0/"
                         "epcis-context.jsonld among the @context entries (it defines the meaning of the bare"
                         " CBV words)"),
}


@pytest.mark.parametrize("name", MUTATIONS)
def test_each_mutation_is_refused_with_the_exact_place(name: str) -> None:
    mutate, index, pointer, message = MUTATIONS[name]
    document = example("Example_9.6.1-ObjectEvent.jsonld")
    mutate(document)
    with pytest.raises(EpcisValidationError) as caught:
        parse_document(document)
    assert caught.value.errors == (EpcisProblem(index, pointer, message),)
    where = f"event {index} {pointer}" if index is not None else pointer
    assert str(caught.value) == f"invalid EPCIS document: {where}: {message}"


def test_all_mutations_at_once_are_all_reported_in_document_order() -> None:
    document = example("Example_9.6.1-ObjectEvent.jsonld")
    for name in ("missing-event-time", "unknown-action", "bizstep-urn-typo", "epc-missing-serial"):
        MUTATIONS[name][0](document)
    with pytest.raises(EpcisValidationError) as caught:
        parse_document(document)
    assert [(p.event_index, p.pointer) for p in caught.value.errors] == [
        (0, f"{EVENTS}/0/action"), (0, f"{EVENTS}/0/epcList/1"),
        (1, f"{EVENTS}/1/bizStep"), (1, f"{EVENTS}/1/eventTime"),
    ]
    assert str(caught.value).endswith("(and 3 more problems)")
    assert isinstance(caught.value, InvalidInput)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "invalid EPCIS document: /: expected JSON (UTF-8), found: Expecting property name"
                       " enclosed in double quotes: line 1 column 2 (char 1)"),
        (b"[]", "invalid EPCIS document: /: expected a JSON object, found list"),
        (b'{"type": "ObjectEvent"}', "invalid EPCIS document: /type: a single ObjectEvent is not a document:"
                                     " expected type 'EPCISDocument' (or capture it as an event)"),
        (b'{"type": "Foo"}', "invalid EPCIS document: /type: expected type 'EPCISDocument', found 'Foo'"),
    ],
)
def test_what_is_not_a_document(data: bytes, message: str) -> None:
    with pytest.raises(EpcisValidationError) as caught:
        parse_document(data)
    assert str(caught.value) == message


def _standalone_event() -> dict[str, Any]:
    data = example("Example_9.6.1-ObjectEvent.jsonld")
    event = data["epcisBody"]["eventList"][1]
    return {"@context": data["@context"], **event}


def test_parse_event_takes_a_standalone_event_with_its_own_context() -> None:
    event = parse_event(json.dumps(_standalone_event()).encode())
    expected = parse_document(example("Example_9.6.1-ObjectEvent.jsonld")).events[1]
    assert event.hash_id == expected.hash_id
    assert event.epc_list == expected.epc_list


def test_parse_event_points_inside_the_event() -> None:
    event = _standalone_event()
    del event["eventTime"]
    event["epcList"] = ["urn:epc:id:sgtin:0614141.812345"]
    with pytest.raises(EpcisValidationError) as caught:
        parse_event(event)
    assert [(p.event_index, p.pointer) for p in caught.value.errors] == [
        (None, "/epcList/0"), (None, "/eventTime")]
    assert str(caught.value).startswith("invalid EPCIS event: /epcList/0: invalid EPC URI")


def test_parse_event_refuses_documents() -> None:
    with pytest.raises(EpcisValidationError, match="expected a single event, found an EPCISDocument"):
        parse_event(example("Example_9.6.1-ObjectEvent.jsonld"))


def test_document_level_prefixes_and_event_level_context_are_both_honoured() -> None:
    data = example("Example_9.6.1-ObjectEvent.jsonld")
    event = data["epcisBody"]["eventList"][1]
    moved = copy.deepcopy(data)
    moved["@context"] = [CONTEXT]
    moved["epcisBody"]["eventList"][1] = {"@context": {"example": "http://ns.example.com/epcis/"}, **event}
    assert parse_document(moved).events[1].hash_id == parse_document(data).events[1].hash_id
