"""CBV 2.0 vocabularies: three spellings of a standard value, one canonical form; typos refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trace.domain.epcis import (
    BIZ_STEP,
    BIZ_TRANSACTION_TYPE,
    COMPONENT,
    DISPOSITION,
    ERROR_REASON,
    MEASUREMENT_TYPE,
    SENSOR_ALERT_TYPE,
    SOURCE_DESTINATION_TYPE,
)
from trace.errors import InvalidInput

SCHEMA = Path(__file__).resolve().parents[2] / "trace" / "domain" / "epcis" / "EPCIS-JSON-Schema.json"


@pytest.mark.parametrize(
    "spelling",
    [
        "shipping",
        "urn:epcglobal:cbv:bizstep:shipping",
        "https://ref.gs1.org/cbv/BizStep-shipping",
        "http://ref.gs1.org/cbv/BizStep-shipping",
        "cbv:BizStep-shipping",
    ],
)
def test_every_spelling_of_a_standard_value_normalises_to_the_bare_word(spelling: str) -> None:
    assert BIZ_STEP.normalise(spelling, field="bizStep") == "shipping"
    assert BIZ_STEP.web_uri("shipping") == "https://ref.gs1.org/cbv/BizStep-shipping"


@pytest.mark.parametrize(
    ("vocabulary", "spelling", "canonical", "web_uri"),
    [
        (DISPOSITION, "urn:epcglobal:cbv:disp:recalled", "recalled", "https://ref.gs1.org/cbv/Disp-recalled"),
        (BIZ_TRANSACTION_TYPE, "urn:epcglobal:cbv:btt:po", "po", "https://ref.gs1.org/cbv/BTT-po"),
        (SOURCE_DESTINATION_TYPE, "https://ref.gs1.org/cbv/SDT-location", "location",
         "https://ref.gs1.org/cbv/SDT-location"),
        (ERROR_REASON, "urn:epcglobal:cbv:er:incorrect_data", "incorrect_data",
         "https://ref.gs1.org/cbv/ER-incorrect_data"),
        (COMPONENT, "cbv:Comp-latitude", "latitude", "https://ref.gs1.org/cbv/Comp-latitude"),
        (MEASUREMENT_TYPE, "gs1:Temperature", "Temperature", "https://ref.gs1.org/voc/Temperature"),
        (MEASUREMENT_TYPE, "https://gs1.org/voc/Temperature", "Temperature", "https://ref.gs1.org/voc/Temperature"),
        (SENSOR_ALERT_TYPE, "ALARM_CONDITION", "ALARM_CONDITION",
         "https://ref.gs1.org/voc/SensorAlertType-ALARM_CONDITION"),
    ],
)
def test_other_vocabularies(vocabulary, spelling: str, canonical: str, web_uri: str) -> None:
    assert vocabulary.normalise(spelling, field="f") == canonical
    assert vocabulary.web_uri(canonical) == web_uri


@pytest.mark.parametrize(
    "extension",
    [
        "https://brand.example/bizstep/labelling",
        "http://epcis.example.org/hc/bizstep/summarising_discharge",
        "urn:acme:bizstep:labelling",
    ],
)
def test_extension_uris_are_kept_as_given(extension: str) -> None:
    assert BIZ_STEP.normalise(extension, field="bizStep") == extension
    assert BIZ_STEP.web_uri(extension) == extension


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("shiping", "bizStep 'shiping' is not a CBV 2.0 business step: expected a CBV word"
                    " (did you mean 'shipping'?) or an extension URI outside the CBV namespaces"),
        ("urn:epcglobal:cbv:bizstep:shiping", "bizStep 'urn:epcglobal:cbv:bizstep:shiping' is not a CBV 2.0"
                                              " business step: expected a CBV word (did you mean 'shipping'?)"
                                              " or an extension URI outside the CBV namespaces"),
        ("https://ref.gs1.org/cbv/BizStep-shiping", "bizStep 'https://ref.gs1.org/cbv/BizStep-shiping' is not a"
                                                    " CBV 2.0 business step: expected a CBV word (did you mean"
                                                    " 'shipping'?) or an extension URI outside the CBV namespaces"),
        ("Shipping Goods", "bizStep 'Shipping Goods' is not a CBV 2.0 business step: expected a CBV word"
                           " (did you mean 'shipping'?) or an extension URI outside the CBV namespaces"),
        ("urn:epcglobal:cbv:disp:in_transit", "bizStep 'urn:epcglobal:cbv:disp:in_transit' is not a CBV 2.0"
                                              " business step: expected a CBV word or an extension URI outside"
                                              " the CBV namespaces"),
    ],
)
def test_unknown_words_and_typos_in_cbv_namespaces_are_refused(value: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        BIZ_STEP.normalise(value, field="bizStep")
    assert str(caught.value) == message


def test_a_disposition_is_not_a_business_step() -> None:
    with pytest.raises(InvalidInput):
        BIZ_STEP.normalise("urn:epcglobal:cbv:disp:in_transit", field="bizStep")
    with pytest.raises(InvalidInput):
        BIZ_STEP.normalise("in_transit", field="bizStep")


@pytest.mark.parametrize(
    ("vocabulary", "definition"),
    [
        (BIZ_STEP, "bizStep"),
        (DISPOSITION, "disposition"),
        (BIZ_TRANSACTION_TYPE, "bizTransaction-type"),
        (SOURCE_DESTINATION_TYPE, "source-dest-type"),
        (ERROR_REASON, "error-reason"),
        (MEASUREMENT_TYPE, "measurementType"),
        (SENSOR_ALERT_TYPE, "sensorAlertType"),
        (COMPONENT, "component"),
    ],
)
def test_tables_match_the_word_lists_of_the_official_schema(vocabulary, definition: str) -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))["definitions"][definition]
    (enum,) = [alternative["enum"] for alternative in schema["anyOf"] if "enum" in alternative]
    assert vocabulary.words == frozenset(enum)
