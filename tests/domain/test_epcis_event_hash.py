"""The CBV 2.0 Event Hash ID: GS1's vectors, and independence from how an event is written."""

from __future__ import annotations

import copy
import hashlib
import json
import random
from pathlib import Path
from typing import Any

import pytest

from trace.domain.epcis import canonical_bytes, event_hash_id, parse_document, prehash_string
from trace.domain.epcis.canonical_values import canonical_number, canonical_time

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
EXAMPLES = VECTORS / "epcis"


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"))


def example(name: str) -> dict[str, Any]:
    return load(EXAMPLES / name)


def test_gs1_event_hash_vector() -> None:
    vector = load(VECTORS / "gs1" / "event_hash_vector.json")
    document = example("Example_9.6.1-ObjectEvent.jsonld")
    event = document["epcisBody"]["eventList"][0]
    event["eventTime"] = "2022-02-16T20:33:31.116000-06:00"  # as the vector's source says
    assert prehash_string(event, context=document["@context"]) == vector["pre_hash_string"]
    assert canonical_bytes(event, context=document["@context"]) == vector["pre_hash_string"].encode()
    assert event_hash_id(event, context=document["@context"]) == vector["event_hash_id"]


@pytest.mark.parametrize(
    "vector",
    load(VECTORS / "gs1" / "event_hash_reference_prehashes.json")["vectors"],
    ids=lambda vector: vector["document"].rsplit("/", 1)[-1],
)
def test_reference_implementation_pre_hash_strings(vector: dict[str, Any]) -> None:
    # Sensor data, ILMD, nested extensions, persistentDisposition, source/destination lists,
    # errorDeclaration and certificationInfo (both left out), custom-domain Digital Links.
    document = example(vector["document"])
    event = document["epcisBody"]["eventList"][vector["event_index"]]
    assert prehash_string(event, context=document["@context"]) == vector["pre_hash_string"]
    assert event_hash_id(event, context=document["@context"]) == vector["event_hash_id"]
    assert vector["event_hash_id"] == (
        f"ni:///sha-256;{hashlib.sha256(vector['pre_hash_string'].encode()).hexdigest()}?ver=CBV2.0"
    )


def _shuffled(value: Any, rng: random.Random) -> Any:
    """The same JSON with every object's keys in another order (lists keep theirs)."""
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {key: _shuffled(value[key], rng) for key in keys}
    if isinstance(value, list):
        return [_shuffled(item, rng) for item in value]
    return value


def _hashes(data: bytes | dict[str, Any]) -> list[str]:
    return [event.hash_id for event in parse_document(data).events]


CAPTURE_DOCUMENTS = sorted(p for p in EXAMPLES.rglob("*.jsonld") if json.loads(p.read_text())["type"] == "EPCISDocument")


def test_every_example_but_the_query_document_is_a_capture_document() -> None:
    assert len(CAPTURE_DOCUMENTS) == len(list(EXAMPLES.rglob("*.jsonld"))) - 1


@pytest.mark.parametrize("path", CAPTURE_DOCUMENTS, ids=lambda p: p.name)
def test_hashes_do_not_depend_on_key_order_or_whitespace(path: Path) -> None:
    document = load(path)
    expected = _hashes(path.read_bytes())
    rng = random.Random(path.name)
    reserialised = json.dumps(_shuffled(document, rng), separators=(",", ":")).encode()
    indented = json.dumps(_shuffled(document, rng), indent=7).encode()
    assert _hashes(reserialised) == expected
    assert _hashes(indented) == expected


def test_list_order_does_not_matter() -> None:
    document = example("WithFullCombinationOfFields/transformation_event_all_possible_fields.jsonld")
    event = document["epcisBody"]["eventList"][0]
    expected = event_hash_id(event, context=document["@context"])
    for name in ("inputEPCList", "outputEPCList", "inputQuantityList", "bizTransactionList", "sourceList"):
        event[name].reverse()
    assert event_hash_id(event, context=document["@context"]) == expected


def _as_digital_links(document: dict[str, Any], host: str) -> dict[str, Any]:
    """The document with every EPC URN rewritten as a GS1 Digital Link on ``host``."""
    from trace.domain.epcis import parse_identifier

    def rewrite(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("urn:epc:"):
            return parse_identifier(value).as_digital_link().replace("https://id.gs1.org", host)
        if isinstance(value, list):
            return [rewrite(item) for item in value]
        if isinstance(value, dict):
            return {key: rewrite(item) for key, item in value.items()}
        return value

    return rewrite(copy.deepcopy(document))


@pytest.mark.parametrize("host", ["https://id.gs1.org", "https://brand.example/dl"])
@pytest.mark.parametrize(
    "name",
    ["Example_9.6.1-ObjectEvent.jsonld", "Example_9.6.3-AggregationEvent.jsonld",
     "WithFullCombinationOfFields/object_event_all_possible_fields.jsonld"],
)
def test_digital_link_and_urn_forms_of_the_same_event_hash_alike(name: str, host: str) -> None:
    document = example(name)
    assert _hashes(_as_digital_links(document, host)) == _hashes(document)


def test_gs1s_urn_and_digital_link_example_9_6_4_are_the_same_event() -> None:
    # The two files differ only in eventID and in the spelling of two epcClass values.
    urn = example("Example_9.6.4-TransformationEvent.jsonld")
    link = example("WithDigitalLinkID/Example_9.6.4-TransformationEventWithDigitalLink.jsonld")
    assert _hashes(urn) == _hashes(link)


@pytest.mark.parametrize("number", ["9.6.1", "9.6.2", "9.6.3"])
def test_gs1s_other_digital_link_examples_are_not_the_same_events(number: str) -> None:
    # Their Digital Links use GTIN 70614141123451, which no EPC URN of the URN files
    # encodes (those use 10614141073464 and 04012345123456): different events, different hashes.
    urn = next(EXAMPLES.glob(f"Example_{number}-*Event.jsonld"))
    link = next((EXAMPLES / "WithDigitalLinkID").glob(f"Example_{number}-*WithDigitalLink.jsonld"))
    urn_hashes, link_hashes = _hashes(urn.read_bytes()), _hashes(link.read_bytes())
    assert len(urn_hashes) == len(link_hashes)
    assert not set(urn_hashes) & set(link_hashes)


def test_excluded_fields_do_not_change_the_hash() -> None:
    # AssociationEvent-g is AssociationEvent-d plus an errorDeclaration (and another eventID).
    plain = example("AssociationEvent/AssociationEvent-d.jsonld")
    declared = example("AssociationEvent/AssociationEvent-g.jsonld")
    assert "errorDeclaration" in declared["epcisBody"]["eventList"][0]
    assert _hashes(plain) == _hashes(declared)
    commented = example("Example_9.6.1-with-comment.jsonld")  # adds an rdfs:comment
    assert _hashes(commented) == _hashes(example("Example_9.6.1-ObjectEvent.jsonld"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("eventTime", "2005-04-03T20:33:31.117-06:00"),
        ("action", "ADD"),
        ("bizStep", "receiving"),
        ("readPoint", {"id": "urn:epc:id:sgln:0614141.07346.1235"}),
        ("example:myField", "a user extension"),
    ],
)
def test_any_change_of_content_changes_the_hash(field: str, value: Any) -> None:
    document = example("Example_9.6.1-ObjectEvent.jsonld")
    event = document["epcisBody"]["eventList"][0]
    before = event_hash_id(event, context=document["@context"])
    event[field] = value
    assert event_hash_id(event, context=document["@context"]) != before


def test_cbv_urns_and_bare_words_hash_alike() -> None:
    document = example("Example_9.6.1-ObjectEvent.jsonld")
    event = document["epcisBody"]["eventList"][0]
    expected = event_hash_id(event, context=document["@context"])
    event["bizStep"] = "urn:epcglobal:cbv:bizstep:shipping"
    event["disposition"] = "https://ref.gs1.org/cbv/Disp-in_transit"
    event["bizTransactionList"][0]["type"] = "urn:epcglobal:cbv:btt:po"
    assert event_hash_id(event, context=document["@context"]) == expected


def test_extension_prefixes_resolve_through_the_context() -> None:
    document = example("Example_9.6.1-ObjectEvent.jsonld")
    event = document["epcisBody"]["eventList"][1]
    expected = event_hash_id(event, context=document["@context"])
    renamed = {("other:myField" if key == "example:myField" else key): value for key, value in event.items()}
    context = [document["@context"][0], {"other": "http://ns.example.com/epcis/"}]
    assert event_hash_id(renamed, context=context) == expected
    assert prehash_string(event, context=document["@context"]).endswith(
        "{http://ns.example.com/epcis/}myField=Example of a vendor/user extension"
    )


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("2005-04-03T20:33:31.116000-06:00", "2005-04-04T02:33:31.116Z"),
        ("2020-04-01T15:00:00+01:00", "2020-04-01T14:00:00.000Z"),
        ("2023-01-18T11:04:03.1415Z", "2023-01-18T11:04:03.142Z"),  # CBV 2.0's own example
        ("2023-01-18T11:04:03.1414Z", "2023-01-18T11:04:03.141Z"),
        ("2023-12-31T23:59:59.9995Z", "2024-01-01T00:00:00.000Z"),
    ],
)
def test_timestamps(given: str, canonical: str) -> None:
    assert canonical_time(given) == canonical


@pytest.mark.parametrize(
    ("given", "canonical"),
    [(1, "1"), (1.0, "1"), (0.3434, "0.3434"), (200.50, "200.5"), (1e-7, "0.0000001"), ("23.0", "23"),
     (12345678901234567890, "12345678901234567890"), (-0.0, "0")],
)
def test_numbers(given: Any, canonical: str) -> None:
    assert canonical_number(given) == canonical
