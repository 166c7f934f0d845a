"""``tracemark epcis hash|validate``: exact lines out, one error line and status 1 for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trace.cli.main import main

EXAMPLES = Path(__file__).resolve().parents[1] / "vectors" / "epcis"
OBJECT_EVENTS = EXAMPLES / "Example_9.6.1-ObjectEvent.jsonld"


def test_hash_prints_one_event_hash_id_per_event_in_document_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["epcis", "hash", str(OBJECT_EVENTS)]) == 0
    out, err = capsys.readouterr()
    assert out == (
        "ni:///sha-256;df6523665bc5e5803d6c7b84f5a04e103694d8220f2abc4f2c74310e89f31bc6?ver=CBV2.0\n"
        "ni:///sha-256;32547b2344d525ea60ab1b899d82a9011fd9c39bb26ed936e113066146f49941?ver=CBV2.0\n"
    )
    assert err == ""


def test_hash_of_the_gs1_vector_event(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vector = json.loads((EXAMPLES.parent / "gs1" / "event_hash_vector.json").read_text("utf-8"))
    document = json.loads(OBJECT_EVENTS.read_text("utf-8"))
    document["epcisBody"]["eventList"] = document["epcisBody"]["eventList"][:1]
    document["epcisBody"]["eventList"][0]["eventTime"] = "2022-02-16T20:33:31.116000-06:00"
    path = tmp_path / "vector.jsonld"
    path.write_text(json.dumps(document), "utf-8")
    assert main(["epcis", "hash", str(path)]) == 0
    assert capsys.readouterr().out == vector["event_hash_id"] + "\n"


def test_hash_of_an_invalid_document_is_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(OBJECT_EVENTS.read_text("utf-8"))
    del document["epcisBody"]["eventList"][1]["eventTime"]
    path = tmp_path / "bad.jsonld"
    path.write_text(json.dumps(document), "utf-8")
    assert main(["epcis", "hash", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "error: invalid EPCIS document: event 1 /epcisBody/eventList/1/eventTime:"
        " 'eventTime' is a required property\n"
    )


def test_validate_counts_events(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["epcis", "validate", str(OBJECT_EVENTS)]) == 0
    assert capsys.readouterr().out == "ok: 2 events\n"
    assert main(["epcis", "validate", str(EXAMPLES / "Example_9.6.3-AggregationEvent.jsonld")]) == 0
    assert capsys.readouterr().out == "ok: 1 event\n"


def test_validate_lists_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(OBJECT_EVENTS.read_text("utf-8"))
    events = document["epcisBody"]["eventList"]
    events[0]["epcList"][1] = "urn:epc:id:sgtin:0614141.812345"
    events[1]["bizStep"] = "urn:epcglobal:cbv:bizstep:shiping"
    path = tmp_path / "bad.jsonld"
    path.write_text(json.dumps(document), "utf-8")
    assert main(["epcis", "validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "event 0 /epcisBody/eventList/0/epcList/1: invalid EPC URI 'urn:epc:id:sgtin:0614141.812345':"
        " expected 3 dot-separated fields (company prefix, indicator and item reference, serial), found 2",
        "event 1 /epcisBody/eventList/1/bizStep: bizStep 'urn:epcglobal:cbv:bizstep:shiping' is not a CBV 2.0"
        " business step: expected a CBV word (did you mean 'shipping'?) or an extension URI outside the CBV"
        " namespaces",
    ]
    assert err == "invalid: 2 problems\n"


def test_validate_refuses_a_query_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["epcis", "validate", str(EXAMPLES / "EPCISQueryDocument.jsonld")]) == 1
    out, _ = capsys.readouterr()
    assert out == (
        "/type: an EPCISQueryDocument is a query result, not a capture document: expected type 'EPCISDocument'\n"
    )


def test_a_missing_file_is_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.jsonld"
    assert main(["epcis", "validate", str(missing)]) == 1
    assert capsys.readouterr().err == f"error: cannot read EPCIS document '{missing}': No such file or directory\n"
