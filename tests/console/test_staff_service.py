"""Staff accounts: salted scrypt hashes (no clear text stored), signed sessions, CSRF tokens."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from support.factories import seeded_catalog
from trace.db.staff import StaffUser
from trace.domain.access import Role
from trace.errors import AuthenticationError, Conflict
from trace.services import staff

SECRET = b"s" * 40
PASSWORD = "correct horse battery"


def test_password_is_stored_only_as_salted_scrypt(runtime) -> None:
    seeded_catalog(runtime)
    staff.add_staff(runtime.db, brand="acme", email="Ana@Acme.example", role=Role.ADMIN, password=PASSWORD)
    staff.add_staff(runtime.db, brand="acme", email="bo@acme.example", role=Role.VIEWER, password=PASSWORD)
    with runtime.db.reading() as session:
        stored = {u.email: u.password_hash for u in session.scalars(select(StaffUser))}
    assert set(stored) == {"ana@acme.example", "bo@acme.example"}
    for value in stored.values():
        assert PASSWORD not in value and value.startswith("scrypt$16384$8$1$")
    assert stored["ana@acme.example"] != stored["bo@acme.example"]  # per-user salt
    assert staff.sign_in(runtime.db, brand="acme", email="ana@acme.example", password=PASSWORD).role is Role.ADMIN
    with pytest.raises(AuthenticationError, match="wrong brand, e-mail or password"):
        staff.sign_in(runtime.db, brand="acme", email="ana@acme.example", password=PASSWORD + "x")
    with pytest.raises(Conflict):
        staff.add_staff(runtime.db, brand="acme", email="ana@acme.example", role=Role.VIEWER, password=PASSWORD)


def test_hash_is_deterministic_for_a_given_salt() -> None:
    salt = bytes(range(16))
    assert staff.hash_password("pw", salt=salt) == staff.hash_password("pw", salt=salt)
    assert staff.password_matches("pw", staff.hash_password("pw", salt=salt))
    assert not staff.password_matches("pW", staff.hash_password("pw", salt=salt))


def test_session_cookie_is_signed_and_expires(runtime) -> None:
    seeded_catalog(runtime)
    member = staff.add_staff(runtime.db, brand="acme", email="ana@acme.example", role=Role.ADMIN, password=PASSWORD)
    cookie = staff.issue_session(SECRET, member, now=1_000_000)
    assert staff.session_user(runtime.db, SECRET, cookie, now=1_000_001) == member
    user_id, expires, mac = cookie.split(".")
    for tampered in (f"{int(user_id) + 1}.{expires}.{mac}", f"{user_id}.{int(expires) + 3600}.{mac}",
                     f"{user_id}.{expires}.{mac[:-2]}AA", "garbage"):
        with pytest.raises(AuthenticationError, match="invalid session"):
            staff.session_user(runtime.db, SECRET, tampered, now=1_000_001)
    with pytest.raises(AuthenticationError, match="invalid session: bad signature"):
        staff.session_user(runtime.db, b"another secret" * 3, cookie, now=1_000_001)
    with pytest.raises(AuthenticationError, match="expired"):
        staff.session_user(runtime.db, SECRET, cookie, now=1_000_000 + staff.SESSION_SECONDS)
    staff.disable_staff(runtime.db, brand="acme", email="ana@acme.example")
    with pytest.raises(AuthenticationError, match="disabled"):
        staff.session_user(runtime.db, SECRET, cookie, now=1_000_001)


def test_csrf_token_is_bound_to_the_session() -> None:
    token = staff.csrf_token(SECRET, "1.2.abc")
    assert staff.csrf_ok(SECRET, "1.2.abc", token)
    assert not staff.csrf_ok(SECRET, "1.2.abd", token)
    assert not staff.csrf_ok(SECRET, "1.2.abc", None)
    assert not staff.csrf_ok(SECRET, "1.2.abc", "")
