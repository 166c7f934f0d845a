"""The GS1 character sets an AI value may be drawn from.

- numeric: ``0``–``9``;
- CSET 82: the 82 characters of ISO/IEC 646 that GS1 allows in alphanumeric AIs (digits,
  upper- and lower-case letters and ``!"%&'()*+,-./:;<=>?_``);
- CSET 39: digits, upper-case letters and ``#-/`` (e.g. AI (8010) CPID);
- CSET 64: the URL- and filename-safe base64 alphabet of RFC 4648 section 5 (``A``–``Z``,
  ``a``–``z``, ``0``–``9``, ``-``, ``_``) with ``=`` allowed only as trailing padding
  (AI (8030) digital signature).

References: GS1 General Specifications, section 7.11 (figures 7.11-1 to 7.11-3).
"""

from __future__ import annotations

import enum
import re

from trace.errors import IdentifierError

__all__ = ["REGEX_CLASS", "CharacterSet", "verify_characters"]


class CharacterSet(enum.Enum):
    """A GS1 character set; ``value`` is how the General Specifications name it."""

    NUMERIC = "digits"
    CSET82 = "CSET 82"
    CSET39 = "CSET 39"
    CSET64 = "CSET 64"


REGEX_CLASS: dict[CharacterSet, str] = {
    CharacterSet.NUMERIC: "[0-9]",
    CharacterSet.CSET82: "[0-9A-Za-z" + re.escape("!\"%&'()*+,-./:;<=>?_") + "]",
    CharacterSet.CSET39: r"[0-9A-Z#\-/]",
    CharacterSet.CSET64: r"[0-9A-Za-z\-_]",  # "=" padding is handled separately
}
"""A regular-expression character class matching one character of each set."""

# One compiled pattern per set; ``match`` on these is the whole per-value cost.
_ALLOWED = {charset: re.compile(cls + "*") for charset, cls in REGEX_CLASS.items()}


_EXPECTED = {
    CharacterSet.NUMERIC: "digits only",
    CharacterSet.CSET82: "CSET 82 characters",
    CharacterSet.CSET39: "CSET 39 characters",
    CharacterSet.CSET64: "CSET 64 (base64url) characters",
}


def verify_characters(
    value: str, charset: CharacterSet, *, what: str, limit: int | None = None
) -> None:
    """Raise ``IdentifierError`` unless every character of ``value`` belongs to ``charset``.

    ``what`` names the field in the message, e.g. ``"AI (10) value"``; ``limit`` checks
    only the first ``limit`` characters (a numeric part at the start of a wider value).

    >>> verify_characters("ABC-1/2", CharacterSet.CSET82, what="AI (10) value")
    >>> verify_characters("AB C", CharacterSet.CSET82, what="AI (10) value")
    Traceback (most recent call last):
    ...
    trace.errors.IdentifierError: invalid AI (10) value 'AB C': expected CSET 82 characters, found ' ' at position 3

    References: GS1 General Specifications, section 7.11.
    """
    body = value if limit is None else value[:limit]
    if charset is CharacterSet.CSET64:
        body = _strip_base64_padding(value, what=what)
    match = _ALLOWED[charset].match(body)
    assert match is not None  # every pattern accepts the empty prefix
    end = match.end()
    if end != len(body):
        raise IdentifierError(
            f"invalid {what} {value!r}: expected {_EXPECTED[charset]},"
            f" found {body[end]!r} at position {end + 1}"
        )


def _strip_base64_padding(value: str, *, what: str) -> str:
    """Return ``value`` without its trailing ``=`` padding, checking the padding rule.

    GS1's reference linter for CSET 64 allows at most two ``=``, only at the end, and only
    when the padded length is a multiple of three; we follow it so that what we accept is
    what GS1 tools accept.
    """
    body = value.rstrip("=")
    pads = len(value) - len(body)
    if pads and (pads > 2 or len(value) % 3 != 0):
        raise IdentifierError(
            f"invalid {what} {value!r}: expected at most two '=' padding characters"
            f" ending a value whose length is a multiple of 3, found {pads}"
            f" in a value of length {len(value)}"
        )
    return body
