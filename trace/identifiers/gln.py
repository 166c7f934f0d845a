"""Global Location Number (GLN), the 13-digit key of a party or a physical location.

GLNs appear as AI (414) (location), AI (417) (party) and AI (410)–(416) (ship to, bill
to, …); in EPCIS as the readPoint and bizLocation (SGLN).

References: GS1 General Specifications, sections 2.4 (GLN) and 3.7.9–3.7.11.
"""

from __future__ import annotations

from dataclasses import dataclass

from trace.identifiers.check_digit import verify_numeric_key

__all__ = ["Gln"]


@dataclass(frozen=True, slots=True)
class Gln:
    """A 13-digit GLN whose check digit has been verified.

    >>> Gln.parse("9520123456788")
    Gln(value='9520123456788')
    >>> Gln.parse("9520123456788").as_hri()
    '(414)9520123456788'
    """

    value: str

    def __post_init__(self) -> None:
        verify_numeric_key(self.value, what="GLN", lengths=(13,))

    @classmethod
    def parse(cls, text: str) -> Gln:
        """Parse 13 digits; raise ``IdentifierError`` on a wrong length, character or check digit.

        References: GS1 General Specifications, section 2.4.
        """
        return cls(text)

    def __str__(self) -> str:
        return self.value

    def as_hri(self, ai: str = "414") -> str:
        """The human-readable interpretation under ``ai`` (``414`` = physical location)."""
        return f"({ai}){self.value}"
