"""Errors as RFC 9457 problem JSON with a stable machine-readable ``code``, in one place."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from trace.errors import (
    AuthenticationError,
    Conflict,
    EpcisValidationError,
    InvalidInput,
    LedgerError,
    NotFound,
    PermissionDenied,
    SignatureError,
    TraceError,
)

STATUS_BY_ERROR: tuple[tuple[type[TraceError], int], ...] = (
    (InvalidInput, 400),
    (SignatureError, 400),
    (AuthenticationError, 401),
    (PermissionDenied, 403),
    (NotFound, 404),
    (Conflict, 409),
    (LedgerError, 409),
)


def status_for(error: TraceError) -> int:
    for kind, status in STATUS_BY_ERROR:
        if isinstance(error, kind):
            return status
    return 500


def problem(status: int, code: str, title: str, detail: str, **extra: object) -> JSONResponse:
    body = {"type": f"https://tracemark.dev/problems/{code}", "title": title, "status": status,
            "code": code, "detail": detail, **extra}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(TraceError)
    async def _trace_error(_: Request, exc: TraceError) -> JSONResponse:
        status = status_for(exc)
        detail = str(exc) if status < 500 else "internal error; the server log has the details"
        extra = {}
        if isinstance(exc, EpcisValidationError):
            extra["errors"] = [{"eventIndex": p.event_index, "pointer": p.pointer, "message": p.message}
                               for p in exc.errors]
        return problem(status, exc.code, type(exc).__name__, detail, **extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": "/".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"field": "", "message": "invalid request"}
        return problem(422, "invalid_request", "Invalid request",
                       f"{first['field']}: {first['message']}", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 429: "rate_limited"}.get(exc.status_code, "http_error")
        return problem(exc.status_code, code, str(exc.detail), str(exc.detail))
