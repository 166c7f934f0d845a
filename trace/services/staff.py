"""Brand staff accounts for the console: salted scrypt passwords, signed sessions, CSRF tokens.

A session is a cookie ``{user_id}.{expires}.{mac}`` with the MAC an HMAC (keyed by the
server secret) over the user id and expiry: any API worker can check it without a session
table (DESIGN.md §6), and a tampered id or expiry is refused. Every request also reloads the
account, so disabling a user ends their sessions at once. The CSRF token is an HMAC of the
session cookie under another purpose: per session, never guessable from outside.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from trace.crypto.base64url import b64url_decode, b64url_encode
from trace.crypto.secretbox import keyed_hash
from trace.db.base import utc_now
from trace.db.catalog import Brand
from trace.db.database import Database
from trace.db.staff import StaffUser
from trace.domain.access import Principal, Role
from trace.errors import AuthenticationError, Conflict, InvalidInput, NotFound
from trace.services.lookups import brand_by_slug

SESSION_SECONDS = 12 * 3600  # one working day
MIN_PASSWORD = 10
# scrypt cost: N=2^14, r=8, p=1 (RFC 7914 §2's interactive-login recommendation), 16-byte salt.
SCRYPT_N, SCRYPT_R, SCRYPT_P, SALT_BYTES = 2**14, 8, 1, 16
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A signed-in staff member: who, for which brand, in which role."""

    id: int
    brand: str
    email: str
    role: Role

    def principal(self) -> Principal:
        """The same permission model as API keys (trace.domain.access)."""
        return Principal(key_prefix=f"staff:{self.id}", role=self.role, brand=self.brand)

    @property
    def actor(self) -> str:
        return f"staff:{self.email}"


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` for ``password``; a fresh random salt unless one is given."""
    salt = salt if salt is not None else os.urandom(SALT_BYTES)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64url_encode(salt)}${b64url_encode(digest)}"


def password_matches(password: str, stored: str) -> bool:
    """Whether ``password`` hashes to ``stored`` (constant-time comparison)."""
    scheme, n, r, p, salt, digest = stored.split("$")
    if scheme != "scrypt":
        raise ValueError(f"unknown password hash scheme {scheme!r}")
    computed = hashlib.scrypt(password.encode(), salt=b64url_decode(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    return hmac.compare_digest(computed, b64url_decode(digest))


def add_staff(db: Database, *, brand: str, email: str, role: Role, password: str) -> StaffMember:
    """Create a console account for ``brand``; the password is stored only as a salted hash."""
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise InvalidInput(f"invalid e-mail address {email!r}")
    _check_password(password)
    with db.transaction() as session:
        brand_row = brand_by_slug(session, brand)
        if session.scalar(select(StaffUser.id).where(StaffUser.brand_id == brand_row.id, StaffUser.email == email)):
            raise Conflict(f"staff account {email!r} already exists for brand {brand_row.slug!r}")
        user = StaffUser(brand_id=brand_row.id, email=email, role=role.value, password_hash=hash_password(password))
        session.add(user)
        session.flush()
        return StaffMember(id=user.id, brand=brand_row.slug, email=email, role=role)


def sign_in(db: Database, *, brand: str, email: str, password: str) -> StaffMember:
    """The account for these credentials, or AuthenticationError (one message for every failure)."""
    refused = AuthenticationError("wrong brand, e-mail or password")
    with db.reading() as session:
        try:
            brand_row = brand_by_slug(session, brand.strip())
        except NotFound:
            raise refused from None
        user = session.scalar(select(StaffUser).where(StaffUser.brand_id == brand_row.id,
                                                      StaffUser.email == email.strip().lower()))
        if user is None or user.disabled_at is not None or not password_matches(password, user.password_hash):
            raise refused
        return StaffMember(id=user.id, brand=brand_row.slug, email=user.email, role=Role(user.role))


def _session_mac(secret: bytes, user_id: int, expires: int) -> str:
    return b64url_encode(keyed_hash(secret, "console-session", f"{user_id}\n{expires}".encode())[:20])


def issue_session(secret: bytes, member: StaffMember, *, now: float) -> str:
    """A session cookie value for ``member``, valid for SESSION_SECONDS from ``now``."""
    expires = int(now) + SESSION_SECONDS
    return f"{member.id}.{expires}.{_session_mac(secret, member.id, expires)}"


def session_user(db: Database, secret: bytes, cookie: str, *, now: float) -> StaffMember:
    """The live account a session cookie names, or AuthenticationError (tampered, expired, disabled)."""
    parts = cookie.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        raise AuthenticationError("invalid session: expected '<user>.<expires>.<mac>'")
    user_id, expires = int(parts[0]), int(parts[1])
    if not hmac.compare_digest(parts[2], _session_mac(secret, user_id, expires)):
        raise AuthenticationError("invalid session: bad signature")
    if expires <= now:
        raise AuthenticationError("session expired: sign in again")
    with db.reading() as session:
        user = session.get(StaffUser, user_id)
        if user is None or user.disabled_at is not None:
            raise AuthenticationError("invalid session: the account is gone or disabled")
        brand = session.get(Brand, user.brand_id)
        return StaffMember(id=user.id, brand=brand.slug, email=user.email, role=Role(user.role))


def csrf_token(secret: bytes, cookie: str) -> str:
    """The anti-forgery token for forms of the session ``cookie``."""
    return b64url_encode(keyed_hash(secret, "console-csrf", cookie.encode())[:20])


def csrf_ok(secret: bytes, cookie: str, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(token.encode(), csrf_token(secret, cookie).encode())


def set_password(db: Database, *, brand: str, email: str, password: str) -> StaffMember:
    """Give an account a new password (stored only as a salted hash); a disabled account stays disabled."""
    _check_password(password)
    with db.transaction() as session:
        brand_row, user = _account(session, brand, email)
        user.password_hash = hash_password(password)
        return StaffMember(id=user.id, brand=brand_row.slug, email=user.email, role=Role(user.role))


def disable_staff(db: Database, *, brand: str, email: str) -> None:
    """Disable an account: its sessions stop working at the next request."""
    with db.transaction() as session:
        _, user = _account(session, brand, email)
        user.disabled_at = utc_now()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password too short: expected at least {MIN_PASSWORD} characters, got {len(password)}")


def _account(session: Session, brand: str, email: str) -> tuple[Brand, StaffUser]:
    """The brand and its account ``email``, or NotFound naming both."""
    brand_row = brand_by_slug(session, brand)
    email = email.strip().lower()
    user = session.scalar(select(StaffUser).where(StaffUser.brand_id == brand_row.id, StaffUser.email == email))
    if user is None:
        raise NotFound(f"unknown staff account {email!r} of brand {brand_row.slug!r}")
    return brand_row, user
