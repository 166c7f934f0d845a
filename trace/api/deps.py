"""Dependencies as ``Annotated`` aliases: the runtime, the caller, the permission it needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Request

from trace.domain.access import Permission, Principal
from trace.errors import AuthenticationError, PermissionDenied
from trace.runtime import Runtime
from trace.services.api_keys import authenticate
from verify.trusted_keys import KeyRingCache


# Trivial lookups are ``async def``: FastAPI runs a plain ``def`` dependency in its thread
# pool, a round trip between threads per request (the consumer scan paid two: this one and
# its own sync endpoint).
async def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


async def get_key_rings(request: Request) -> KeyRingCache:
    return request.app.state.key_rings


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
KeyRingsDep = Annotated[KeyRingCache, Depends(get_key_rings)]


def get_principal(
    runtime: RuntimeDep,
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> Principal:
    token = x_api_key
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "bearer" or not value:
            raise AuthenticationError("invalid Authorization header: expected 'Bearer <API key>'")
        token = value.strip()
    if not token:
        raise AuthenticationError("missing API key: send 'Authorization: Bearer <API key>'")
    return authenticate(runtime.db, token)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require(permission: Permission) -> Callable[[Principal], Principal]:
    def check(principal: PrincipalDep) -> Principal:
        if not principal.can(permission):
            raise PermissionDenied(f"forbidden: role {principal.role.value} may not {permission.value.replace('_', ' ')}")
        return principal

    return check


def check_brand(principal: Principal, brand: str) -> None:
    """Brands are isolated: a key bound to one brand sees nothing of another."""
    if not principal.sees_brand(brand):
        raise PermissionDenied(f"forbidden: this API key is not allowed to act for brand {brand!r}")


Reader = Annotated[Principal, Depends(require(Permission.READ))]
Minter = Annotated[Principal, Depends(require(Permission.MINT))]
CatalogAdmin = Annotated[Principal, Depends(require(Permission.MANAGE_CATALOG))]
KeyAdmin = Annotated[Principal, Depends(require(Permission.MANAGE_KEYS))]
BrandAdmin = Annotated[Principal, Depends(require(Permission.MANAGE_BRANDS))]
