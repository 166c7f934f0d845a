"""EPCIS 2.0 events and documents as values, named after the standard's fields.

Every value here comes out of :func:`~trace.domain.epcis.document.parse_document` or
:func:`~trace.domain.epcis.document.parse_event`, which validate first: if an
:class:`EpcisEvent` exists, its schema, vocabulary and identifiers were checked and its
``hash_id`` is its CBV 2.0 Event Hash ID. Vocabulary values are canonical (bare CBV words,
extension URIs as given); identifiers carry both the form given and their index key.
``raw`` keeps the event exactly as received (extensions, sensor data, ILMD included):
treat it as read-only.

References: EPCIS 2.0 (GS1, 2022), section 7 (event types and their fields).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from trace.domain.epcis.identifiers import EpcisIdentifier

__all__ = [
    "EVENT_TYPES",
    "BizTransaction",
    "EpcisDocument",
    "EpcisEvent",
    "ErrorDeclaration",
    "QuantityElement",
    "SourceDestination",
]

EVENT_TYPES = frozenset(
    {"ObjectEvent", "AggregationEvent", "TransformationEvent", "AssociationEvent", "TransactionEvent"}
)


@dataclass(frozen=True, slots=True)
class QuantityElement:
    """A quantity of a class of objects (``epcClass``: an LGTIN, a GTIN pattern, a Digital Link…)."""

    epc_class: EpcisIdentifier
    quantity: Decimal | None = None
    uom: str | None = None
    """UN/CEFACT Rec. 20 unit code; None means a count of instances."""


@dataclass(frozen=True, slots=True)
class BizTransaction:
    """A business transaction the event is part of; ``type`` is a canonical CBV word or URI."""

    id: EpcisIdentifier
    type: str | None = None


@dataclass(frozen=True, slots=True)
class SourceDestination:
    """One entry of ``sourceList`` or ``destinationList``."""

    type: str
    id: EpcisIdentifier


@dataclass(frozen=True, slots=True)
class ErrorDeclaration:
    """Marks the event as erroneous (events are never edited: a correction is a new event)."""

    declaration_time: datetime
    reason: str | None = None
    corrective_event_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EpcisEvent:
    """One validated EPCIS event."""

    type: str
    event_time: datetime
    """Timezone-aware, as given (compare and store in UTC)."""
    event_time_zone_offset: str
    hash_id: str
    """The CBV 2.0 Event Hash ID, ``ni:///sha-256;…?ver=CBV2.0``."""
    raw: dict[str, Any] = field(compare=False, repr=False)
    record_time: datetime | None = None
    """Set by the repository that captures the event; a recordTime sent by a client is ignored."""
    event_id: str | None = None
    action: str | None = None
    biz_step: str | None = None
    disposition: str | None = None
    read_point: EpcisIdentifier | None = None
    biz_location: EpcisIdentifier | None = None
    epc_list: tuple[EpcisIdentifier, ...] = ()
    parent_id: EpcisIdentifier | None = None
    child_epcs: tuple[EpcisIdentifier, ...] = ()
    input_epcs: tuple[EpcisIdentifier, ...] = ()
    output_epcs: tuple[EpcisIdentifier, ...] = ()
    quantity_list: tuple[QuantityElement, ...] = ()
    child_quantity_list: tuple[QuantityElement, ...] = ()
    input_quantity_list: tuple[QuantityElement, ...] = ()
    output_quantity_list: tuple[QuantityElement, ...] = ()
    transformation_id: str | None = None
    biz_transactions: tuple[BizTransaction, ...] = ()
    source_list: tuple[SourceDestination, ...] = ()
    destination_list: tuple[SourceDestination, ...] = ()
    persistent_disposition_set: tuple[str, ...] = ()
    persistent_disposition_unset: tuple[str, ...] = ()
    error_declaration: ErrorDeclaration | None = None
    canonical: bytes = field(default=b"", compare=False, repr=False)
    """The CBV 2.0 pre-hash string the hash was computed from (the ledger entry of the event)."""

    @property
    def identifiers(self) -> tuple[EpcisIdentifier, ...]:
        """Every object the event names (EPCs, parent, classes), in field order."""
        classes = (
            element.epc_class
            for elements in (self.quantity_list, self.child_quantity_list,
                             self.input_quantity_list, self.output_quantity_list)
            for element in elements
        )
        parent = (self.parent_id,) if self.parent_id else ()
        return (*self.epc_list, *parent, *self.child_epcs, *self.input_epcs, *self.output_epcs, *classes)


@dataclass(frozen=True, slots=True)
class EpcisDocument:
    """A validated EPCISDocument (a capture document, not a query result)."""

    schema_version: str
    creation_date: datetime
    events: tuple[EpcisEvent, ...]
    context: Any = field(compare=False, repr=False, default=None)
    """The document's ``@context`` as given (prefixes of its extensions)."""
    instance_identifier: str | None = None
    sender: str | None = None
    receiver: str | None = None
