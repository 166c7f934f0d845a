"""The code's own Digital Link path: one scan judged and recorded, answered as JSON or a page.

The route only gathers what the request says (who is scanning, roughly where, from which
client) and calls :func:`trace.services.consumer_scan.scan` once; the page renders the outcome.
"""

from __future__ import annotations

import time
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from consumer_site import form_token
from consumer_site.page_security import PAGE_HEADERS
from consumer_site.pages import page_language, render_scan
from consumer_site.scan_view import unit_key as signup_unit_key
from trace.api.deps import RuntimeDep
from trace.api.public_guard import client_address, guard_public
from trace.domain.access import Principal, Role
from trace.domain.scan import AuditGroup, ScanOutcome, ScanVerdict
from trace.runtime import Runtime
from trace.services.api_keys import authenticate
from trace.services.consumer_scan import coarse_place, scan

router = APIRouter(tags=["public"])

# Authenticated scans by the brand's own people: they never use up a consumer's first verification.
STAFF_GROUPS = {Role.OPERATOR: AuditGroup.RETAIL_STAFF, Role.PARTNER: AuditGroup.RETAIL_STAFF,
                Role.AUDITOR: AuditGroup.INSPECTOR, Role.ADMIN: AuditGroup.INSPECTOR}
SIGNUP_VERDICTS = (ScanVerdict.GENUINE, ScanVerdict.VERIFIED_BEFORE)
_JSON_HEADERS = {"Cache-Control": "no-store", "Vary": "Accept", "X-Content-Type-Options": "nosniff"}
_PAGE_HEADERS = {"Cache-Control": "no-store", "Vary": "Accept, Accept-Language", **PAGE_HEADERS}


def presented_url(request: Request) -> str:
    """The URL exactly as requested: the raw path keeps percent-encoding (a lot with '/'
    arrives as %2F, and must stay one path segment)."""
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string", b"")
    base = f"{request.url.scheme}://{request.url.netloc}{raw_path.decode('latin-1')}"
    return f"{base}?{query.decode('latin-1')}" if query else base


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _principal(request: Request, runtime: Runtime) -> Principal | None:
    """The API key a staff scanner sends, if any (a bad key is a clear 401, not a consumer scan)."""
    token = request.headers.get("x-api-key")
    authorization = request.headers.get("authorization")
    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    return authenticate(runtime.db, token) if token else None


def _audit_group(principal: Principal | None):
    def for_brand(brand: str) -> AuditGroup:
        if principal is None or not principal.sees_brand(brand):
            return AuditGroup.CONSUMER
        return STAFF_GROUPS.get(principal.role, AuditGroup.CONSUMER)

    return for_brand


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None and len(value) <= 20 else None
    except ValueError:
        return None


def _place(request: Request, runtime: Runtime):
    """Region from the trusted proxy header (only when configured), else the browser's consented location."""
    header = runtime.settings.trusted_region_header
    region = request.headers.get(header) if header else None
    return coarse_place(region, _float(request.query_params.get("lat")), _float(request.query_params.get("lon")))


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """JSON-ready ``value``: a shallow walk (``dataclasses.asdict`` deep-copies every field first)."""
    if value is None or isinstance(value, (str, int, float)):
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if is_dataclass(value):
        names = _FIELD_NAMES.get(type(value))
        if names is None:
            names = _FIELD_NAMES[type(value)] = tuple(f.name for f in fields(value))
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def outcome_json(outcome: ScanOutcome) -> dict[str, Any]:
    """The outcome as JSON: every field, plus ``reason`` and ``product`` as earlier clients read them."""
    data = _plain(outcome)
    data["reason"] = outcome.flags[0].reason if outcome.flags else "signature valid; the brand made and released this unit"
    data["product"] = outcome.product_name
    return data


@router.get("/01/{rest:path}", response_model=None, summary="Verify a code (GS1 Digital Link path)")
def verify_code_path(rest: str, request: Request, runtime: RuntimeDep) -> Response:
    guard_public(request)
    outcome = scan(runtime.db, request.app.state.scan_judges, presented_url(request),
                   secret=runtime.settings.secret_key_bytes(), audit_group=_audit_group(_principal(request, runtime)),
                   place=_place(request, runtime), client_address=client_address(request))
    if wants_json(request):
        return JSONResponse(outcome_json(outcome), headers=_JSON_HEADERS)
    language = page_language(request.query_params.get("lang"), request.headers.get("accept-language"))
    item = signup_unit_key(outcome)
    token = (form_token.issue(runtime.settings.secret_key_bytes(), brand=outcome.brand, unit_key=item, now=time.time())
             if outcome.brand and item and outcome.verdict in SIGNUP_VERDICTS else None)
    html = render_scan(outcome, language=language, form_token=token)
    return HTMLResponse(html, headers=_PAGE_HEADERS)
