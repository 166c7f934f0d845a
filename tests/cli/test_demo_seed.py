"""`tracemark demo seed`, as `make run` calls it: the demo brand's sample codes verify as
genuine, and a development console login is printed whose password works (a new one each
run; only its hash is stored)."""

from __future__ import annotations

import json
import re

import pytest

from trace.errors import AuthenticationError
from trace.services import staff
from trace.db.database import Database
from test_cli_journey import cli_env, run  # noqa: F401  (the fixture is used by name)

BASE = "http://127.0.0.1:8000"
LOGIN = re.compile(r"^Brand console:  (\S+)  brand (\S+), (\S+), password (\S+)$", re.M)


def seed(capsys) -> tuple[list[str], tuple[str, ...]]:
    code, out, err = run(capsys, "demo", "seed")
    assert code == 0, err
    samples = re.findall(r"^  (http\S+)$", out, re.M)
    return samples, LOGIN.search(out).groups()


def test_demo_seed_prints_genuine_codes_and_a_working_console_login(cli_env, capsys, monkeypatch,
                                                                    database_url: str) -> None:
    monkeypatch.setenv("TRACEMARK_PUBLIC_BASE_URL", BASE)
    assert run(capsys, "db", "upgrade")[0] == 0
    samples, (console, brand, email, password) = seed(capsys)
    assert len(samples) == 3 and all(url.startswith(f"{BASE}/01/") for url in samples)
    for url in samples:
        code, out, _ = run(capsys, "verify", url)
        assert (code, json.loads(out)["verdict"]) == (0, "genuine")
    assert (console, brand, email) == (f"{BASE}/console/login", "demo-tea", "admin@demo-tea.example")
    db = Database.from_url(database_url)
    try:
        member = staff.sign_in(db, brand=brand, email=email, password=password)
        assert (member.email, member.role.value) == ("admin@demo-tea.example", "admin")

        again, (_, _, _, new_password) = seed(capsys)
        assert again == samples  # the demo is created once; a second seed finds it
        assert new_password != password
        assert staff.sign_in(db, brand=brand, email=email, password=new_password).id == member.id
        with pytest.raises(AuthenticationError):
            staff.sign_in(db, brand=brand, email=email, password=password)
    finally:
        db.dispose()


def test_production_demo_seed_prints_no_password(cli_env, capsys, monkeypatch) -> None:
    monkeypatch.setenv("TRACEMARK_PUBLIC_BASE_URL", BASE)
    monkeypatch.setenv("TRACEMARK_ENV", "production")
    monkeypatch.setenv("TRACEMARK_SECRET_KEY", "a-production-secret-for-this-test-only-0123456789")
    assert run(capsys, "db", "upgrade")[0] == 0
    code, out, err = run(capsys, "demo", "seed")
    assert code == 0, err
    assert "password" not in out
    assert f"Brand console:  {BASE}/console/login (add an account: tracemark staff add --brand demo-tea …)" in out
