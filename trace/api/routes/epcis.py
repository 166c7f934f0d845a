"""EPCIS 2.0 REST binding: capture (documents and single events) and the event query."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from trace.api.deps import Reader, RuntimeDep
from trace.domain.access import Permission, Principal
from trace.errors import InvalidInput, PermissionDenied
from trace.services import capture
from trace.services.epcis_query import MATCH_ROLES, EventQuery, get_event, query_events

router = APIRouter(prefix="/epcis", tags=["EPCIS 2.0"])


def _brand_of(principal: Principal) -> str:
    if principal.brand is None:
        raise InvalidInput("EPCIS endpoints act for one brand: use an API key bound to a brand")
    return principal.brand


def _capturer(principal: Principal) -> str:
    if not principal.can(Permission.CAPTURE):
        raise PermissionDenied(f"forbidden: role {principal.role.value} may not capture events")
    return _brand_of(principal)


async def _json_body(request: Request) -> Any:
    body = await request.body()
    try:
        return json.loads(body)
    except ValueError as exc:
        raise InvalidInput(f"invalid JSON body: {exc}") from exc


@router.post("/capture", status_code=201, summary="Capture an EPCISDocument (all or nothing)")
async def capture_document(request: Request, runtime: RuntimeDep, principal: Reader) -> JSONResponse:
    brand = _capturer(principal)
    data = await _json_body(request)
    result = capture.capture_document(runtime.db, brand, data, captured_by=f"api:{principal.key_prefix}")
    return JSONResponse({"captured": len(result.captured), "duplicates": len(result.duplicates),
                         "eventIDs": list(result.captured), "duplicateEventIDs": list(result.duplicates)},
                        status_code=201)


@router.post("/events", status_code=201, summary="Capture one event (409 when captured before)")
async def capture_event(request: Request, runtime: RuntimeDep, principal: Reader) -> JSONResponse:
    brand = _capturer(principal)
    data = await _json_body(request)
    result = capture.capture_event(runtime.db, brand, data, captured_by=f"api:{principal.key_prefix}")
    return JSONResponse({"eventID": result.captured[0]}, status_code=201,
                        headers={"Location": f"/epcis/events/{result.captured[0]}"})


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(v for value in values or () for v in value.split(",") if v)


@router.get("/events", summary="Query events (EPCIS 2.0 simple event query parameters)")
def list_events(
    runtime: RuntimeDep, principal: Reader,
    eventType: Annotated[list[str] | None, Query()] = None,  # noqa: N803 (EPCIS parameter names)
    GE_eventTime: datetime | None = None, LT_eventTime: datetime | None = None,  # noqa: N803
    GE_recordTime: datetime | None = None,  # noqa: N803
    EQ_action: Annotated[list[str] | None, Query()] = None,  # noqa: N803
    EQ_bizStep: Annotated[list[str] | None, Query()] = None,  # noqa: N803
    EQ_disposition: Annotated[list[str] | None, Query()] = None,  # noqa: N803
    EQ_readPoint: Annotated[list[str] | None, Query()] = None,  # noqa: N803
    EQ_bizLocation: Annotated[list[str] | None, Query()] = None,  # noqa: N803
    EQ_eventID: Annotated[list[str] | None, Query()] = None,  # noqa: N803
    MATCH_epc: Annotated[list[str] | None, Query()] = None,  # noqa: N803
    MATCH_parentID: Annotated[list[str] | None, Query()] = None,  # noqa: N803
    MATCH_inputEPC: Annotated[list[str] | None, Query()] = None,  # noqa: N803
    MATCH_outputEPC: Annotated[list[str] | None, Query()] = None,  # noqa: N803
    MATCH_anyEPC: Annotated[list[str] | None, Query()] = None,  # noqa: N803
    MATCH_epcClass: Annotated[list[str] | None, Query()] = None,  # noqa: N803
    perPage: Annotated[int, Query(ge=1, le=1000)] = 30,  # noqa: N803
    nextPageToken: str | None = None,  # noqa: N803
    gs1_epc_format: Annotated[str, Header(alias="GS1-EPC-Format")] = "No_Preference",
) -> JSONResponse:
    given = {"MATCH_epc": MATCH_epc, "MATCH_parentID": MATCH_parentID, "MATCH_inputEPC": MATCH_inputEPC,
             "MATCH_outputEPC": MATCH_outputEPC, "MATCH_anyEPC": MATCH_anyEPC, "MATCH_epcClass": MATCH_epcClass}
    query = EventQuery(
        event_types=_split(eventType), ge_event_time=GE_eventTime, lt_event_time=LT_eventTime,
        ge_record_time=GE_recordTime, actions=_split(EQ_action), biz_steps=_split(EQ_bizStep),
        dispositions=_split(EQ_disposition), read_points=_split(EQ_readPoint), biz_locations=_split(EQ_bizLocation),
        event_ids=_split(EQ_eventID),
        matches=tuple((name, _split(values)) for name, values in given.items() if values and name in MATCH_ROLES),
        per_page=perPage, next_page_token=nextPageToken,
    )
    page = query_events(runtime.db, _brand_of(principal), query, epc_format=gs1_epc_format)
    body = {"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
            "type": "EPCISQueryDocument", "schemaVersion": "2.0",
            "epcisBody": {"queryResults": {"resultsBody": {"eventList": page.events}}}}
    headers = {"GS1-EPCIS-Version": "2.0.0", "GS1-EPC-Format": gs1_epc_format}
    if page.next_page_token:
        headers["Link"] = f'</epcis/events?nextPageToken={page.next_page_token}>; rel="next"'
        body["nextPageToken"] = page.next_page_token
    return JSONResponse(body, headers=headers)


@router.get("/events/{event_id:path}", summary="One event by its eventID")
def one_event(event_id: str, runtime: RuntimeDep, principal: Reader,
              gs1_epc_format: Annotated[str, Header(alias="GS1-EPC-Format")] = "No_Preference") -> JSONResponse:
    return JSONResponse(get_event(runtime.db, _brand_of(principal), event_id, epc_format=gs1_epc_format))
