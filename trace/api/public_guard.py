"""Rate limiting of public endpoints, by client address."""

from __future__ import annotations

from fastapi import HTTPException, Request


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def guard_public(request: Request) -> None:
    limiter = request.app.state.rate_limiter
    if not limiter.allow(client_address(request)):
        raise HTTPException(status_code=429, detail="too many requests: slow down and retry in a minute")
