"""The code's own Digital Link path: a verdict as JSON, or a page for people."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from consumer_site.pages import pick_language, render_verdict
from trace.api.deps import KeyRingsDep, RuntimeDep
from trace.api.public_guard import guard_public
from trace.services.units import find_unit
from verify.verifier import verify_url

router = APIRouter(tags=["public"])


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


@router.get("/01/{rest:path}", response_model=None, summary="Verify a code (GS1 Digital Link path)")
def verify_code_path(rest: str, request: Request, runtime: RuntimeDep, rings: KeyRingsDep) -> Response:
    guard_public(request)
    db = runtime.db
    verdict = verify_url(presented_url(request), rings.ring(), lambda gtin, serial: find_unit(db, gtin, serial))
    if wants_json(request):
        return JSONResponse(verdict.as_json(), headers={"Cache-Control": "no-store"})
    html = render_verdict(verdict, language=pick_language(request.headers.get("accept-language")))
    return HTMLResponse(html, headers={"Cache-Control": "no-store", "Vary": "Accept, Accept-Language"})
