"""EPCIS 2.0 queries over the captured events (the REST binding's simple event query).

References: EPCIS 2.0 §8.2.7 (query parameters), §12 (REST binding: ``GET /events``,
``perPage``, ``nextPageToken``, the ``GS1-EPC-Format`` header).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from trace.db.database import Database
from trace.db.events import EpcisEventEpc, EpcisEventRow
from trace.domain.epcis import BIZ_STEP, DISPOSITION, parse_identifier
from trace.errors import InvalidInput, NotFound
from trace.services.lookups import brand_by_slug

MAX_PER_PAGE = 1000
MATCH_ROLES = {
    "MATCH_epc": ("epc", "child"),
    "MATCH_parentID": ("parent",),
    "MATCH_inputEPC": ("input",),
    "MATCH_outputEPC": ("output",),
    "MATCH_anyEPC": ("epc", "child", "parent", "input", "output"),
    "MATCH_epcClass": ("class",),
}
EPC_FORMATS = ("No_Preference", "Always_GS1_Digital_Link", "Always_EPC_URN", "Never_Translates")
_ID_FIELDS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")


@dataclass(frozen=True, slots=True)
class EventQuery:
    event_types: tuple[str, ...] = ()
    ge_event_time: datetime | None = None
    lt_event_time: datetime | None = None
    ge_record_time: datetime | None = None
    actions: tuple[str, ...] = ()
    biz_steps: tuple[str, ...] = ()
    dispositions: tuple[str, ...] = ()
    read_points: tuple[str, ...] = ()
    biz_locations: tuple[str, ...] = ()
    event_ids: tuple[str, ...] = ()
    matches: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(MATCH_ parameter, identifiers) pairs; every pair must match (AND), any value (OR)."""
    per_page: int = 30
    next_page_token: str | None = None


@dataclass(frozen=True, slots=True)
class EventPage:
    events: list[dict[str, Any]]
    next_page_token: str | None


def _token(row_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": row_id}).encode()).decode().rstrip("=")


def _after(token: str) -> int:
    try:
        return int(json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))["after"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(f"invalid nextPageToken {token!r}: not a token this server issued") from exc


def _keys(parameter: str, values: tuple[str, ...]) -> list[str]:
    keys = []
    for value in values:
        try:
            keys.append(parse_identifier(value).key)
        except InvalidInput as exc:
            raise InvalidInput(f"invalid {parameter} value {value!r}: {exc}") from exc
    return keys


def query_events(db: Database, brand: str, query: EventQuery, *, epc_format: str = "No_Preference") -> EventPage:
    if not 1 <= query.per_page <= MAX_PER_PAGE:
        raise InvalidInput(f"invalid perPage {query.per_page}: expected 1 to {MAX_PER_PAGE}")
    if epc_format not in EPC_FORMATS:
        raise InvalidInput(f"invalid GS1-EPC-Format {epc_format!r}: expected one of {', '.join(EPC_FORMATS)}")
    with db.reading() as session:
        brand_row = brand_by_slug(session, brand)
        statement = select(EpcisEventRow).where(EpcisEventRow.brand_id == brand_row.id)
        filters = (
            (query.event_types, EpcisEventRow.event_type), (query.actions, EpcisEventRow.action),
            (tuple(BIZ_STEP.normalise(v, field="EQ_bizStep") for v in query.biz_steps), EpcisEventRow.biz_step),
            (tuple(DISPOSITION.normalise(v, field="EQ_disposition") for v in query.dispositions),
             EpcisEventRow.disposition),
            (query.read_points, EpcisEventRow.read_point), (query.biz_locations, EpcisEventRow.biz_location),
            (query.event_ids, EpcisEventRow.event_id),
        )
        for values, column in filters:
            if values:
                statement = statement.where(column.in_(list(values)))
        if query.ge_event_time:
            statement = statement.where(EpcisEventRow.event_time >= query.ge_event_time)
        if query.lt_event_time:
            statement = statement.where(EpcisEventRow.event_time < query.lt_event_time)
        if query.ge_record_time:
            statement = statement.where(EpcisEventRow.record_time >= query.ge_record_time)
        for parameter, values in query.matches:
            roles = MATCH_ROLES[parameter]
            statement = statement.where(EpcisEventRow.id.in_(
                select(EpcisEventEpc.event_row_id).where(
                    EpcisEventEpc.brand_id == brand_row.id, EpcisEventEpc.role.in_(roles),
                    EpcisEventEpc.epc_key.in_(_keys(parameter, values)))))
        if query.next_page_token:
            statement = statement.where(EpcisEventRow.id > _after(query.next_page_token))
        rows = list(session.scalars(statement.order_by(EpcisEventRow.id).limit(query.per_page + 1)))
        cpl = brand_row.company_prefix_length
    more = len(rows) > query.per_page
    rows = rows[:query.per_page]
    return EventPage(events=[render_event(row, epc_format, cpl) for row in rows],
                     next_page_token=_token(rows[-1].id) if more else None)


def get_event(db: Database, brand: str, event_id: str, *, epc_format: str = "No_Preference") -> dict[str, Any]:
    with db.reading() as session:
        brand_row = brand_by_slug(session, brand)
        row = session.scalar(select(EpcisEventRow).where(
            EpcisEventRow.brand_id == brand_row.id, EpcisEventRow.event_id == event_id)
            .order_by(EpcisEventRow.is_error_declaration.desc(), EpcisEventRow.id.desc()).limit(1))
        if row is None:
            raise NotFound(f"unknown event {event_id!r}")
        return render_event(row, epc_format, brand_row.company_prefix_length)


def render_event(row: EpcisEventRow, epc_format: str, company_prefix_length: int | None) -> dict[str, Any]:
    """The event as captured, with its eventID and recordTime, identifiers in the asked form."""
    event = dict(json.loads(row.document)["event"])
    event["eventID"] = row.event_id
    event["recordTime"] = row.record_time.isoformat().replace("+00:00", "Z")
    if epc_format in ("Always_GS1_Digital_Link", "Always_EPC_URN"):
        convert = lambda uri: _translate(uri, epc_format, company_prefix_length)  # noqa: E731
        for name in _ID_FIELDS:
            if isinstance(event.get(name), list):
                event[name] = [convert(v) for v in event[name]]
        if isinstance(event.get("parentID"), str):
            event["parentID"] = convert(event["parentID"])
    return event


def _translate(uri: str, epc_format: str, company_prefix_length: int | None) -> str:
    identifier = parse_identifier(uri)
    if not identifier.is_gs1:
        return uri
    if epc_format == "Always_GS1_Digital_Link":
        return identifier.as_digital_link()
    if uri.startswith("urn:epc:"):
        return uri
    if company_prefix_length is None:
        return uri  # without the GS1 Company Prefix length a Digital Link cannot become a URN
    return identifier.as_epc_urn(company_prefix_length=company_prefix_length)
