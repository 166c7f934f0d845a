"""The official EPCIS 2.0 JSON Schema, compiled once, with binding uri/date-time formats."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import pytest

from trace.domain.epcis import EpcisProblem, validate_document, validate_event
from trace.domain.epcis.schema import is_uri, schema_problems
from trace.errors import EpcisValidationError

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "epcis"
EXAMPLES = sorted(VECTORS.rglob("*.jsonld"))
EVENTS = "/epcisBody/eventList"


def load(name: str) -> dict[str, Any]:
    return json.loads((VECTORS / name).read_text("utf-8"))


def test_all_official_examples_are_here() -> None:
    assert len(EXAMPLES) == 47


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: str(path.relative_to(VECTORS)))
def test_every_official_example_validates(path: Path) -> None:
    # EPCISDocument and EPCISQueryDocument alike: the schema's root dispatches on "type".
    validate_document(json.loads(path.read_text("utf-8")))


def test_missing_event_time_points_at_the_missing_field() -> None:
    document = load("Example_9.6.1-ObjectEvent.jsonld")
    del document["epcisBody"]["eventList"][1]["eventTime"]
    with pytest.raises(EpcisValidationError) as caught:
        validate_document(document)
    assert caught.value.errors == (
        EpcisProblem(1, f"{EVENTS}/1/eventTime", "'eventTime' is a required property"),
    )
    assert str(caught.value) == (
        f"invalid EPCIS document: event 1 {EVENTS}/1/eventTime: 'eventTime' is a required property"
    )
    assert caught.value.code == "invalid_epcis"


def test_every_problem_is_reported_in_document_order() -> None:
    document = load("Example_9.6.1-ObjectEvent.jsonld")
    events = document["epcisBody"]["eventList"]
    events.extend(copy.deepcopy(events[0]) for _ in range(9))  # 11 events: index 10 sorts after 2
    events[10]["action"] = "OBSERVED"
    events[2]["eventTimeZoneOffset"] = "+25:00"
    events[0]["example:unexpected"] = 1  # fine: a namespaced extension
    events[0]["unexpected"] = 1
    with pytest.raises(EpcisValidationError) as caught:
        validate_document(document)
    assert [(p.event_index, p.pointer) for p in caught.value.errors] == [
        (0, f"{EVENTS}/0/unexpected"),
        (2, f"{EVENTS}/2/eventTimeZoneOffset"),
        (10, f"{EVENTS}/10/action"),
    ]
    assert caught.value.errors[2].message == "'OBSERVED' is not one of ['OBSERVE', 'ADD', 'DELETE']"
    assert caught.value.errors[0].message.startswith("unexpected property 'unexpected'")
    assert str(caught.value).endswith("(and 2 more problems)")


def test_the_uri_format_is_binding() -> None:
    # Without a uri format checker, any string would pass as an "extension" bizStep.
    document = load("Example_9.6.1-ObjectEvent.jsonld")
    document["epcisBody"]["eventList"][0]["bizStep"] = "shiping"
    document["epcisBody"]["eventList"][0]["epcList"][0] = "not a uri"
    pointers = [p.pointer for p in schema_problems(document)]
    assert pointers == [f"{EVENTS}/0/bizStep", f"{EVENTS}/0/epcList/0"]


def test_the_date_time_format_is_binding() -> None:
    document = load("Example_9.6.1-ObjectEvent.jsonld")
    document["epcisBody"]["eventList"][0]["eventTime"] = "2005-04-03T20:33:31"  # no offset
    document["epcisBody"]["eventList"][1]["eventTime"] = "2005-02-30T20:33:31Z"  # no such day
    pointers = [p.pointer for p in schema_problems(document)]
    assert pointers == [f"{EVENTS}/0/eventTime", f"{EVENTS}/1/eventTime"]


def test_the_schema_refuses_cbv_urns_even_for_standard_values() -> None:
    # A fact about GS1's schema that parse_document works around (see test_epcis_document).
    document = load("Example_9.6.1-ObjectEvent.jsonld")
    document["epcisBody"]["eventList"][0]["bizStep"] = "urn:epcglobal:cbv:bizstep:shipping"
    assert [p.pointer for p in schema_problems(document)] == [f"{EVENTS}/0/bizStep"]


def test_the_schema_accepts_typos_in_the_web_vocabulary_namespace() -> None:
    # Another fact: only urn:epcglobal:cbv is excluded from extension URIs, so the
    # vocabulary module has to catch https://ref.gs1.org/cbv/BizStep-shiping.
    document = load("Example_9.6.1-ObjectEvent.jsonld")
    document["epcisBody"]["eventList"][0]["bizStep"] = "https://ref.gs1.org/cbv/BizStep-shiping"
    assert schema_problems(document) == []


def test_a_standalone_event_needs_its_own_context() -> None:
    event = load("Example_9.6.1-ObjectEvent.jsonld")["epcisBody"]["eventList"][0]
    with pytest.raises(EpcisValidationError) as caught:
        validate_event(event)
    assert caught.value.errors == (EpcisProblem(None, "/@context", "'@context' is a required property"),)
    event["@context"] = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
    validate_event(event)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("urn:epc:id:sgtin:0614141.107346.2017", True),
        ("https://id.gs1.org/01/09520123456788", True),
        ("example:myField", True),
        ("shipping", False),
        ("https://example.com/a b", False),
        ("https://example.com/%zz", False),
        ("", False),
    ],
)
def test_is_uri(value: str, expected: bool) -> None:
    assert is_uri(value) is expected


def test_a_100_event_document_validates_quickly() -> None:
    document = load("Example_9.6.1-ObjectEvent.jsonld")
    template = document["epcisBody"]["eventList"]
    events = [copy.deepcopy(template[i % 2]) for i in range(100)]
    for i, event in enumerate(events):
        event["epcList"] = [f"urn:epc:id:sgtin:0614141.107346.{i}-{j}" for j in range(3)]
    document["epcisBody"]["eventList"] = events
    validate_document(document)  # compile and warm up
    started = time.perf_counter()
    validate_document(document)
    elapsed = time.perf_counter() - started
    # ~0.1 s on a 2-core CI machine; the bound only catches a lost cache or a recompile.
    assert elapsed < 1.0, f"validating 100 events took {elapsed:.3f} s"


def test_remembering_valid_strings_changes_no_verdict() -> None:
    # The validator remembers strings found valid; invalid ones must fail every time.
    valid = load("Example_9.6.1-ObjectEvent.jsonld")
    invalid = load("Example_9.6.1-ObjectEvent.jsonld")
    invalid["epcisBody"]["eventList"][0]["bizStep"] = "shiping"
    for _ in range(2):
        assert schema_problems(valid) == []
        assert [p.pointer for p in schema_problems(invalid)] == [f"{EVENTS}/0/bizStep"]
