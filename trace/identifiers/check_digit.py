"""The GS1 mod-10 check digit shared by GTIN, GLN, SSCC and the other numeric keys.

Counting from the right, the digits to the left of the check digit are weighted 3, 1, 3, 1…;
the check digit is whatever brings the weighted sum up to a multiple of ten.

References: GS1 General Specifications, section 7.9.1 (standard check digit calculation).
"""

from __future__ import annotations

from trace.errors import IdentifierError

__all__ = ["compute_check_digit", "verify_check_digit", "verify_numeric_key"]


def compute_check_digit(payload: str) -> int:
    """Return the GS1 check digit for ``payload`` (the digits *before* the check digit).

    >>> compute_check_digit("0952012345678")
    8
    >>> compute_check_digit("00000000000001")
    7

    Raises ``ValueError`` when ``payload`` is empty or holds anything but ASCII digits:
    callers validate outside input first, so this is a programmer mistake.

    References: GS1 General Specifications, section 7.9.1.
    """
    if not payload or not (payload.isascii() and payload.isdigit()):
        raise ValueError(f"check digit payload must be ASCII digits, got {payload!r}")
    # Counting from the right, odd positions weigh 3 and even positions 1. Summing the
    # ASCII bytes and removing the "0" offsets keeps the loop in C (one call per minted code).
    reversed_bytes = payload[::-1].encode("ascii")
    odd, even = reversed_bytes[::2], reversed_bytes[1::2]
    total = 3 * (sum(odd) - 48 * len(odd)) + sum(even) - 48 * len(even)
    return -total % 10


def verify_check_digit(number: str, *, what: str) -> None:
    """Raise ``IdentifierError`` unless the last digit of ``number`` is its GS1 check digit.

    ``what`` names the identifier in the message (``"GTIN"``, ``"SSCC"``…). ``number`` must
    already be known to be at least two ASCII digits.

    >>> verify_check_digit("09520123456788", what="GTIN")
    >>> verify_check_digit("09520123456789", what="GTIN")
    Traceback (most recent call last):
    ...
    trace.errors.IdentifierError: invalid GTIN '09520123456789': check digit should be 8, found 9

    References: GS1 General Specifications, section 7.9.1.
    """
    expected = compute_check_digit(number[:-1])
    found = ord(number[-1]) - 48
    if expected != found:
        raise IdentifierError(
            f"invalid {what} {number!r}: check digit should be {expected}, found {found}"
        )


def verify_numeric_key(text: str, *, what: str, lengths: tuple[int, ...]) -> None:
    """Raise ``IdentifierError`` unless ``text`` is a GS1 numeric key of one of ``lengths``.

    A numeric key is ASCII digits only, of an allowed length, ending in its mod-10 check
    digit. Messages name the key, the input, the expectation and what was found.

    >>> verify_numeric_key("9520123456788", what="GLN", lengths=(13,))
    >>> verify_numeric_key("952012345678", what="GLN", lengths=(13,))
    Traceback (most recent call last):
    ...
    trace.errors.IdentifierError: invalid GLN '952012345678': expected 13 digits, found 12

    References: GS1 General Specifications, sections 3.2 (AI formats) and 7.9.1.
    """
    if not isinstance(text, str):
        raise TypeError(f"{what} must be given as a str, got {type(text).__name__}")
    if (text, lengths) in _VERIFIED:
        return
    for position, char in enumerate(text, start=1):
        if not ("0" <= char <= "9"):
            raise IdentifierError(
                f"invalid {what} {text!r}: expected digits only, found {char!r} at position {position}"
            )
    if len(text) not in lengths:
        raise IdentifierError(
            f"invalid {what} {text!r}: expected {_describe_lengths(lengths)} digits, found {len(text)}"
        )
    verify_check_digit(text, what=what)
    if len(_VERIFIED) >= _VERIFIED_LIMIT:
        _VERIFIED.clear()
    _VERIFIED.add((text, lengths))


# Keys verified lately, by text and allowed lengths: a scan meets the same GTIN several
# times (its URL, its signature, its unit) and a production line's codes share a handful.
_VERIFIED: set[tuple[str, tuple[int, ...]]] = set()
_VERIFIED_LIMIT = 65_536


def _describe_lengths(lengths: tuple[int, ...]) -> str:
    """``(8, 12, 13, 14)`` -> ``"8, 12, 13 or 14"``."""
    words = [str(length) for length in lengths]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
