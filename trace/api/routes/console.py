"""The brand console: server-rendered pages for signed-in staff (not public; no JavaScript).

Every POST carries the session's CSRF token; roles are those of API keys (a viewer reads, an
admin starts and closes recalls and handles alerts); another brand's objects are 404s.
This router has the login, the dashboard, alerts and unit lookup (state, history, and each
event's inclusion proof verified against the latest signed checkpoint); recalls, the catalog and
keys, and sales regions and campaigns have one router each (``console_*.py``).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import asdict

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from trace.api.console_chart import bars
from trace.api.console_session import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    ConsoleRoute,
    Staff,
    StaffForm,
    Text,
    render,
    secret,
    set_cookie,
)
from trace.api.deps import RuntimeDep
from trace.domain.access import Permission
from trace.errors import AuthenticationError, InvalidInput, NotFound, PermissionDenied
from trace.services import alerts, dashboard, event_proofs, staff, tracing

router = APIRouter(prefix="/console", tags=["console"], route_class=ConsoleRoute, include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, runtime: RuntimeDep, error: str | None = None, status: int = 200) -> Response:
    nonce = secrets.token_urlsafe(16)
    page = render(request, "login.html", http_status=status, error=error,
                  csrf=staff.csrf_token(secret(runtime), f"login:{nonce}"))
    set_cookie(request, page, LOGIN_COOKIE, nonce, max_age=3600)
    return page


@router.post("/login")
def login(request: Request, runtime: RuntimeDep, brand: Text, email: Text, password: Text,
          csrf: Text = "") -> Response:
    if not staff.csrf_ok(secret(runtime), f"login:{request.cookies.get(LOGIN_COOKIE, '')}", csrf):
        raise PermissionDenied("forbidden: missing or wrong CSRF token; reload the page and try again")
    try:
        member = staff.sign_in(runtime.db, brand=brand, email=email, password=password)
    except AuthenticationError as exc:
        return login_page(request, runtime, error=str(exc), status=401)
    response = RedirectResponse("/console", status_code=303)
    set_cookie(request, response, SESSION_COOKIE, staff.issue_session(secret(runtime), member, now=time.time()),
               max_age=staff.SESSION_SECONDS)
    response.delete_cookie(LOGIN_COOKIE, path="/console")
    return response


@router.post("/logout")
def logout(console: StaffForm) -> Response:
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response


@router.get("", response_class=HTMLResponse)
def dashboard_page(request: Request, console: Staff, runtime: RuntimeDep) -> Response:
    figures = dashboard.dashboard(runtime.db, console.member.brand)
    chart = bars([(d.day.strftime("%d %b"), d.count) for d in figures.days])
    return render(request, "dashboard.html", console=console, figures=figures, chart=chart)


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, console: Staff, runtime: RuntimeDep, status: str | None = None) -> Response:
    rows = alerts.list_alerts(runtime.db, console.member.brand, status=status or None)
    return render(request, "alerts.html", console=console, alerts=rows, status=status)


@router.post("/alerts/{alert_id}/{action}")
def alert_action(alert_id: int, action: str, console: StaffForm, runtime: RuntimeDep) -> Response:
    console.require(Permission.MANAGE_BRANDS)
    alerts.change_status(runtime.db, console.member.brand, alert_id, action)
    return RedirectResponse("/console/alerts", status_code=303)


@router.get("/lookup", response_class=HTMLResponse)
def lookup_page(request: Request, console: Staff, runtime: RuntimeDep, code: str = "") -> Response:
    if not code.strip():
        return render(request, "lookup.html", console=console, code="", state=None, history=(), proofs=None)
    try:
        state = tracing.current_state(runtime.db, console.member.brand, code.strip())
        history = tracing.history(runtime.db, console.member.brand, code.strip())
    except (InvalidInput, NotFound) as exc:
        return render(request, "lookup.html", http_status=404 if isinstance(exc, NotFound) else 400, console=console,
                      code=code, state=None, history=(), proofs=None, error=str(exc))
    proofs = event_proofs.event_proofs(runtime.db, console.member.brand, (h.hash_id for h in history))
    birth = event_proofs.commission_proof(runtime.db, console.member.brand, code)
    return render(request, "lookup.html", console=console, code=code, state=asdict(state), history=history,
                  proofs=proofs, birth=birth, brand=console.member.brand)
