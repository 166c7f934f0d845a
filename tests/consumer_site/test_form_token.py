"""The signup form token: HMAC over brand, unit and time, checked server-side."""

from __future__ import annotations

import pytest

from consumer_site.form_token import MAX_AGE, check, issue
from trace.errors import InvalidInput

SECRET = b"s" * 40
NOW = 1_800_000_000.0


def _token() -> str:
    return issue(SECRET, brand="acme", unit_key="09506000134352/Q7X2M9K4P1", now=NOW)


def test_a_fresh_token_is_accepted_for_its_item() -> None:
    assert _token().startswith("1800000000.")
    check(SECRET, _token(), brand="acme", unit_key="09506000134352/Q7X2M9K4P1", now=NOW + 60)


@pytest.mark.parametrize(("name", "change", "message"), [
    ("other-unit", {"unit_key": "09506000134352/OTHER"}, "invalid form token: it was not issued for this item"),
    ("other-brand", {"brand": "evil"}, "invalid form token: it was not issued for this item"),
    ("other-secret", {"secret": b"t" * 40}, "invalid form token: it was not issued for this item"),
    ("too-old", {"now": NOW + MAX_AGE + 1}, f"expired form token: issued {MAX_AGE + 1} s ago, accepted for {MAX_AGE} s"),
    ("from-the-future", {"now": NOW - 3600}, f"expired form token: issued -3600 s ago, accepted for {MAX_AGE} s"),
])
def test_token_mutations_are_refused(name: str, change: dict, message: str) -> None:
    args = {"secret": SECRET, "brand": "acme", "unit_key": "09506000134352/Q7X2M9K4P1", "now": NOW + 1} | change
    secret = args.pop("secret")
    with pytest.raises(InvalidInput) as caught:
        check(secret, _token(), **args)
    assert str(caught.value) == message


@pytest.mark.parametrize("token", ["", "abc", "1800000000", "1800000000.", "x.AAAA", "1800000000.!!!!",
                                   "1800000000." + "A" * 100, "1800000001." + "A" * 22])
def test_malformed_tokens_are_refused(token: str) -> None:
    with pytest.raises(InvalidInput):
        check(SECRET, token, brand="acme", unit_key="09506000134352/Q7X2M9K4P1", now=NOW)


def test_a_changed_timestamp_breaks_the_mac() -> None:
    stamp, mac = _token().split(".")
    with pytest.raises(InvalidInput, match="not issued for this item"):
        check(SECRET, f"{int(stamp) + 1}.{mac}", brand="acme", unit_key="09506000134352/Q7X2M9K4P1", now=NOW)
