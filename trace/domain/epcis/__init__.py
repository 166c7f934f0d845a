"""GS1 EPCIS 2.0 for Tracemark: validation, CBV vocabularies, identifiers and the Event Hash ID.

Pure: the standard library, ``jsonschema`` and :mod:`trace.identifiers`; no storage, no web.

- :func:`parse_document` / :func:`parse_event`: validate capture input (JSON Schema, CBV
  vocabularies, identifiers; every problem at once) and return frozen values;
- :func:`validate_document` / :func:`validate_event`: the JSON Schema alone;
- :func:`event_hash_id`, :func:`prehash_string`, :func:`canonical_bytes`: the CBV 2.0 Event
  Hash ID and its pre-hash string (the ledger's leaf input);
- :func:`parse_identifier`: EPC URN, Digital Link or private URI -> one index key;
- the CBV vocabularies (``BIZ_STEP``, ``DISPOSITION``…) as tables.

References: EPCIS 2.0 and CBV 2.0 (GS1, 2022); GS1 EPC Tag Data Standard 2.x; GS1 Digital
Link: URI Syntax 1.2.
"""

from __future__ import annotations

from trace.domain.epcis.document import parse_document, parse_event
from trace.domain.epcis.epc_urn import ais_from_epc_urn, epc_urn_from_ais
from trace.domain.epcis.event_hash import canonical_bytes, event_hash_id, prehash_string
from trace.domain.epcis.identifiers import EpcisIdentifier, parse_identifier
from trace.domain.epcis.model import (
    EVENT_TYPES,
    BizTransaction,
    EpcisDocument,
    EpcisEvent,
    ErrorDeclaration,
    QuantityElement,
    SourceDestination,
)
from trace.domain.epcis.problems import EpcisProblem
from trace.domain.epcis.schema import validate_document, validate_event
from trace.domain.epcis.vocabulary import (
    BIZ_STEP,
    BIZ_TRANSACTION_TYPE,
    COMPONENT,
    DISPOSITION,
    ERROR_REASON,
    MEASUREMENT_TYPE,
    SENSOR_ALERT_TYPE,
    SOURCE_DESTINATION_TYPE,
    Vocabulary,
)

__all__ = [
    "BIZ_STEP",
    "BIZ_TRANSACTION_TYPE",
    "COMPONENT",
    "DISPOSITION",
    "ERROR_REASON",
    "EVENT_TYPES",
    "MEASUREMENT_TYPE",
    "SENSOR_ALERT_TYPE",
    "SOURCE_DESTINATION_TYPE",
    "BizTransaction",
    "EpcisDocument",
    "EpcisEvent",
    "EpcisIdentifier",
    "EpcisProblem",
    "ErrorDeclaration",
    "QuantityElement",
    "SourceDestination",
    "Vocabulary",
    "ais_from_epc_urn",
    "canonical_bytes",
    "epc_urn_from_ais",
    "event_hash_id",
    "parse_document",
    "parse_event",
    "parse_identifier",
    "prehash_string",
    "validate_document",
    "validate_event",
]
