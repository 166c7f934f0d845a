"""The brand console: server-rendered pages for signed-in staff (not public; no JavaScript).

Every POST carries the session's CSRF token; roles are those of API keys (a viewer reads, an
admin starts and closes recalls and handles alerts); another brand's objects are 404s.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from trace.api.console_chart import bars
from trace.api.console_session import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    ConsoleRoute,
    Staff,
    StaffForm,
    render,
    secret,
    set_cookie,
)
from trace.api.deps import RuntimeDep
from trace.domain.access import Permission
from trace.errors import AuthenticationError, InvalidInput, NotFound, PermissionDenied
from trace.services import alerts, dashboard, recall, staff, tracing
from trace.services.recall_criteria import RecallCriteria

router = APIRouter(prefix="/console", tags=["console"], route_class=ConsoleRoute, include_in_schema=False)
Text = Annotated[str, Form(max_length=500)]


def _criteria(gtin: str, lots: str) -> RecallCriteria:
    return RecallCriteria.from_json({"gtin": gtin.strip() or None, "lots": [x for x in re.split(r"[,\s]+", lots) if x]})


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


@router.get("/recalls", response_class=HTMLResponse)
def recalls_page(request: Request, console: Staff, runtime: RuntimeDep) -> Response:
    return render(request, "recalls.html", console=console, recalls=recall.list_recalls(runtime.db, console.member.brand))


@router.get("/recalls/new", response_class=HTMLResponse)
def new_recall_page(request: Request, console: Staff) -> Response:
    return render(request, "recall_new.html", console=console, form={}, preview=None)


@router.post("/recalls/preview", response_class=HTMLResponse)
def preview_recall(request: Request, console: StaffForm, runtime: RuntimeDep, gtin: Text = "", lots: Text = "",
                   reason: Text = "", reference: Text = "") -> Response:
    form = {"gtin": gtin, "lots": lots, "reason": reason, "reference": reference}
    try:
        found = recall.preview(runtime.db, console.member.brand, _criteria(gtin, lots))
    except (InvalidInput, NotFound) as exc:
        return render(request, "recall_new.html", http_status=400, console=console, form=form, preview=None, error=str(exc))
    return render(request, "recall_new.html", console=console, form=form, preview=found)


@router.post("/recalls")
def start_recall(console: StaffForm, runtime: RuntimeDep, gtin: Text = "", lots: Text = "", reason: Text = "",
                 reference: Text = "") -> Response:
    console.require(Permission.MANAGE_BRANDS)
    if not reason.strip():
        raise InvalidInput("a recall needs a reason")
    started = recall.start(runtime.db, console.member.brand, _criteria(gtin, lots), reason=reason.strip(),
                           by=console.member.actor, reference=reference.strip() or None)
    return RedirectResponse(f"/console/recalls/{started.id}", status_code=303)


@router.get("/recalls/{recall_id}", response_class=HTMLResponse)
def recall_page(request: Request, recall_id: int, console: Staff, runtime: RuntimeDep, status: str | None = None,
                location: str | None = None) -> Response:
    brand = console.member.brand
    summary = recall.get(runtime.db, brand, recall_id)
    return render(request, "recall.html", console=console, recall=summary,
                  progress=recall.progress(runtime.db, brand, recall_id),
                  units=recall.units(runtime.db, brand, recall_id, status=status or None, location=location or None,
                                     limit=500),
                  status=status, location=location)


@router.post("/recalls/{recall_id}/close")
def close_recall(recall_id: int, console: StaffForm, runtime: RuntimeDep) -> Response:
    console.require(Permission.MANAGE_BRANDS)
    recall.close(runtime.db, console.member.brand, recall_id, by=console.member.actor)
    return RedirectResponse(f"/console/recalls/{recall_id}", status_code=303)


@router.get("/lookup", response_class=HTMLResponse)
def lookup_page(request: Request, console: Staff, runtime: RuntimeDep, code: str = "") -> Response:
    if not code.strip():
        return render(request, "lookup.html", console=console, code="", state=None, history=())
    try:
        state = tracing.current_state(runtime.db, console.member.brand, code.strip())
        history = tracing.history(runtime.db, console.member.brand, code.strip())
    except (InvalidInput, NotFound) as exc:
        return render(request, "lookup.html", http_status=404 if isinstance(exc, NotFound) else 400, console=console,
                      code=code, state=None, history=(), error=str(exc))
    return render(request, "lookup.html", console=console, code=code, state=asdict(state), history=history)
