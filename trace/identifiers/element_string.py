"""GS1 element strings: a sequence of (AI, value) pairs, in bracketed or FNC1 form.

Two written forms exist:

- the human-readable interpretation (HRI): ``(01)09520123456788(10)ABC1(21)12345``;
- the FNC1 form that barcodes carry: ``^010952012345678810ABC1^2112345``, where ``^``
  stands for the FNC1 symbol character. A leading FNC1 marks GS1 data; inside the string a
  separator follows every variable-length value that is not last. Scanners report the
  separator as ASCII GS (``\\x1d``) and announce GS1 data with an AIM symbology identifier
  (``]d2`` DataMatrix, ``]Q3`` QR Code, ``]C1`` GS1-128, ``]e0`` GS1 DataBar), which
  replaces the leading FNC1.

References: GS1 General Specifications, sections 3.1 (element strings), 5.10
(concatenation, FNC1 and predefined-length AIs), 5.1.2 (symbology identifiers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from trace.errors import IdentifierError
from trace.identifiers.application_identifiers import (
    application_identifier,
    is_known_ai,
    match_ai,
)

__all__ = ["ElementString", "fnc1_element_string"]

FNC1 = "^"
GROUP_SEPARATOR = "\x1d"
_SEPARATORS = (FNC1, GROUP_SEPARATOR)
# AIM symbology identifiers under which a scanner reports GS1 AI data.
_SYMBOLOGY_IDENTIFIERS = ("]d2", "]Q3", "]C1", "]e0")
_BRACKETED_AI = re.compile(r"\((\d{2,4})\)")


@dataclass(frozen=True, slots=True)
class ElementString:
    """(AI, value) pairs in the order given, each value valid for its AI, no AI twice.

    >>> es = ElementString.parse("(01)09520123456788(10)ABC1(21)12345")
    >>> es.as_fnc1()
    '^010952012345678810ABC1^2112345'
    >>> ElementString.parse("]d2010952012345678810ABC1\\x1d2112345") == es
    True
    """

    ais: tuple[tuple[str, str], ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for ai, value in self.ais:
            application_identifier(ai).verify(value)
            if ai in seen:
                raise IdentifierError(
                    f"invalid element string: expected each AI once, found AI ({ai}) twice"
                )
            seen.add(ai)

    @classmethod
    def parse(cls, text: str) -> ElementString:
        """Parse either the bracketed form or the FNC1 form (told apart by a leading ``(``).

        References: GS1 General Specifications, sections 3.1 and 5.10.
        """
        if not isinstance(text, str):
            raise TypeError(f"element string must be a str, got {type(text).__name__}")
        if text.startswith("("):
            return cls.parse_bracketed(text)
        return cls.parse_fnc1(text)

    @classmethod
    def parse_bracketed(cls, text: str) -> ElementString:
        """Parse ``(AI)value(AI)value…``.

        A value runs up to the next ``(`` that opens a known AI, so a value may contain
        brackets as long as they do not look like one.

        >>> ElementString.parse_bracketed("(10)A(1)(21)7").ais
        (('10', 'A(1)'), ('21', '7'))
        """
        markers = [m for m in _BRACKETED_AI.finditer(text) if is_known_ai(m.group(1))]
        if not markers or markers[0].start() != 0:
            raise IdentifierError(
                f"invalid element string {text!r}: expected it to start with a known"
                f" (AI), found {text[:6]!r}"
            )
        pairs = []
        for index, marker in enumerate(markers):
            end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
            pairs.append((marker.group(1), text[marker.end() : end]))
        return cls._checked(tuple(pairs), text)

    @classmethod
    def parse_fnc1(cls, text: str) -> ElementString:
        """Parse the FNC1 form, with ``^`` or GS as separator and an optional AIM prefix.

        >>> ElementString.parse_fnc1("^01095201234567883103000195").ais
        (('01', '09520123456788'), ('3103', '000195'))
        """
        position = 0
        if text.startswith("]"):
            if text[:3] not in _SYMBOLOGY_IDENTIFIERS:
                raise IdentifierError(
                    f"invalid element string {text!r}: expected a GS1 symbology identifier"
                    f" ({', '.join(_SYMBOLOGY_IDENTIFIERS)}), found {text[:3]!r}"
                )
            position = 3
        if text[position : position + 1] in _SEPARATORS:
            position += 1  # the leading FNC1
        if position == len(text):
            raise IdentifierError(f"invalid element string {text!r}: expected AIs, found none")
        pairs = []
        while position < len(text):
            entry = match_ai(text, position)
            if entry is None:
                raise IdentifierError(
                    f"invalid element string {text!r}: expected a known AI at position"
                    f" {position + 1}, found {text[position:position + 4]!r}"
                )
            start = position + len(entry.ai)
            if entry.fnc1_required:
                end = _next_separator(text, start)
                position = end + 1
            else:
                end = start + entry.max_length
                position = end + 1 if text[end : end + 1] in _SEPARATORS else end
            value = text[start:end]
            try:
                entry.verify(value)  # now, so the first bad field is the one reported
            except IdentifierError as exc:
                raise IdentifierError(f"invalid element string {text!r}: {exc}") from exc
            pairs.append((entry.ai, value))
        return cls._checked(tuple(pairs), text)

    @classmethod
    def _checked(cls, pairs: tuple[tuple[str, str], ...], text: str) -> ElementString:
        """Construct, naming the whole input in the message if a value is invalid."""
        try:
            return cls(pairs)
        except IdentifierError as exc:
            raise IdentifierError(f"invalid element string {text!r}: {exc}") from exc

    def get(self, ai: str) -> str | None:
        """The value of ``ai``, or None when it is absent."""
        for candidate, value in self.ais:
            if candidate == ai:
                return value
        return None

    def as_hri(self) -> str:
        """The bracketed human-readable form, ``(AI)value…``."""
        return "".join(f"({ai}){value}" for ai, value in self.ais)

    def as_fnc1(self, separator: str = FNC1) -> str:
        """The FNC1 form; ``separator`` stands for FNC1, leading and between fields."""
        return fnc1_element_string(self.ais, separator=separator)

    def __str__(self) -> str:
        return self.as_hri()


def fnc1_element_string(ais: Iterable[tuple[str, str]], *, separator: str = FNC1) -> str:
    """Concatenate already-valid (AI, value) pairs into the FNC1 form.

    A leading ``separator`` stands for the FNC1 in first position; one more follows each
    variable-length (not predefined-length) value that another AI follows.

    >>> fnc1_element_string([("01", "09520123456788"), ("10", "ABC1"), ("21", "12345")])
    '^010952012345678810ABC1^2112345'

    References: GS1 General Specifications, section 5.10.1 (figure 5.10.1-2).
    """
    parts = [separator]
    needs_separator = False
    for ai, value in ais:
        if needs_separator:
            parts.append(separator)
        parts.append(ai)
        parts.append(value)
        needs_separator = application_identifier(ai).fnc1_required
    return "".join(parts)


def _next_separator(text: str, start: int) -> int:
    """Index of the next ``^`` or GS at or after ``start``, or ``len(text)``."""
    ends = [index for index in (text.find(sep, start) for sep in _SEPARATORS) if index >= 0]
    return min(ends, default=len(text))
