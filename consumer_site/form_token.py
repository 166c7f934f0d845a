"""The signup form's anti-forgery token: an HMAC over the brand, the unit and the time of issue.

The page carries ``{issued_at}.{mac}``; ``POST /signup`` accepts it only for the same brand
and unit, within ``MAX_AGE`` seconds. No server-side session is needed, so any API worker
can check a token another one issued (DESIGN.md §6: no single process).
"""

from __future__ import annotations

import hmac

from trace.crypto.base64url import b64url_decode, b64url_encode
from trace.crypto.secretbox import keyed_hash
from trace.errors import InvalidInput

PURPOSE = "signup-form"
MAX_AGE = 24 * 3600  # a page left open for a day still works
CLOCK_SKEW = 300  # workers' clocks may differ a little


def _mac(secret: bytes, brand: str, unit_key: str, issued_at: int) -> bytes:
    message = "\n".join((brand, unit_key, str(issued_at))).encode()
    return keyed_hash(secret, PURPOSE, message)[:16]


def issue(secret: bytes, *, brand: str, unit_key: str, now: float) -> str:
    """A token for a form about ``unit_key`` of ``brand``, issued at ``now`` (Unix seconds)."""
    issued_at = int(now)
    return f"{issued_at}.{b64url_encode(_mac(secret, brand, unit_key, issued_at))}"


def check(secret: bytes, token: str, *, brand: str, unit_key: str, now: float) -> None:
    """Accept ``token`` for this brand and unit at ``now``, or raise.

    Raises:
        InvalidInput: malformed, for another brand/unit/secret, too old or from the future.
    """
    stamp, _, mac_text = token.partition(".")
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12 or not mac_text or len(mac_text) > 64:
        raise InvalidInput("invalid form token: expected '<issued_at>.<mac>'")
    issued_at = int(stamp)
    try:
        mac = b64url_decode(mac_text)
    except (ValueError, TypeError) as exc:
        raise InvalidInput("invalid form token: the MAC is not base64url") from exc
    if not hmac.compare_digest(mac, _mac(secret, brand, unit_key, issued_at)):
        raise InvalidInput("invalid form token: it was not issued for this item")
    age = now - issued_at
    if age > MAX_AGE or age < -CLOCK_SKEW:
        raise InvalidInput(f"expired form token: issued {int(age)} s ago, accepted for {MAX_AGE} s")
