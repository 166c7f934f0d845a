"""API keys: issued once in clear, stored as SHA-256 of the token, checked on every request.

A token is ``tm_<prefix>_<secret>`` with 32 random bytes of secret: far too much entropy to
brute-force, so a fast unkeyed hash is the right storage (as for GitHub tokens); the prefix
finds the row without scanning.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from trace.db.base import utc_now
from trace.db.database import Database
from trace.db.models import ApiKey, Brand
from trace.domain.access import Principal, Role
from trace.errors import AuthenticationError, InvalidInput, NotFound
from trace.services.lookups import brand_by_slug


@dataclass(frozen=True, slots=True)
class IssuedApiKey:
    token: str
    prefix: str
    role: Role
    brand: str | None
    name: str


def _hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def issue_api_key(db: Database, *, role: str, brand: str | None, name: str) -> IssuedApiKey:
    """Create a key; the returned token is the only time it exists in clear."""
    try:
        role_value = Role(role)
    except ValueError:
        raise InvalidInput(f"invalid role {role!r}: expected one of {', '.join(r.value for r in Role)}") from None
    if brand is None and role_value is not Role.ADMIN:
        raise InvalidInput(f"invalid API key: a {role_value.value} key must be bound to a brand (--brand)")
    prefix = secrets.token_hex(6)
    token = f"tm_{prefix}_{secrets.token_urlsafe(32)}"
    with db.transaction() as session:
        brand_id = brand_by_slug(session, brand).id if brand is not None else None
        session.add(ApiKey(prefix=prefix, token_hash=_hash(token), brand_id=brand_id, role=role_value.value, name=name))
    return IssuedApiKey(token=token, prefix=prefix, role=role_value, brand=brand, name=name)


def authenticate(db: Database, token: str) -> Principal:
    """The principal behind ``token``; AuthenticationError for anything that does not match."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "tm" or not parts[1]:
        raise AuthenticationError("invalid API key: expected a token of the form tm_<prefix>_<secret>")
    with db.reading() as session:
        row = session.execute(
            select(ApiKey, Brand.slug).outerjoin(Brand, Brand.id == ApiKey.brand_id).where(ApiKey.prefix == parts[1])
        ).first()
    if row is None or not hmac.compare_digest(row[0].token_hash, _hash(token)):
        raise AuthenticationError("invalid API key: no key matches this token")
    key, brand = row
    if key.revoked_at is not None:
        raise AuthenticationError(f"invalid API key: key {key.prefix} was revoked")
    return Principal(key_prefix=key.prefix, role=Role(key.role), brand=brand)


def revoke_api_key(db: Database, prefix: str) -> None:
    with db.transaction() as session:
        key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
        if key is None:
            raise NotFound(f"unknown API key {prefix!r}")
        key.revoked_at = utc_now()
