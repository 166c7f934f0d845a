"""Global Trade Item Number (GTIN), the key of AI (01).

A GTIN is printed as GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13) or GTIN-14; in element
strings and Digital Link URIs it is always written as 14 digits, left-padded with zeros.
Tracemark stores and compares GTINs only in that 14-digit form.

References: GS1 General Specifications, sections 2.1 (GTIN) and 3.2 (AI (01)).
"""

from __future__ import annotations

from dataclasses import dataclass

from trace.identifiers.check_digit import verify_numeric_key

__all__ = ["Gtin"]

_GTIN_LENGTHS = (8, 12, 13, 14)


@dataclass(frozen=True, slots=True)
class Gtin:
    """A GTIN in its 14-digit form, whose check digit has been verified.

    Build one with :meth:`parse`; the constructor accepts only the 14-digit form.

    >>> Gtin.parse("9520123456788")
    Gtin(value='09520123456788')
    >>> str(Gtin.parse("09520123456788"))
    '09520123456788'
    """

    value: str

    def __post_init__(self) -> None:
        verify_numeric_key(self.value, what="GTIN-14", lengths=(14,))

    @classmethod
    def parse(cls, text: str) -> Gtin:
        """Parse a GTIN-8, -12, -13 or -14 digit string and normalise it to 14 digits.

        Raises ``IdentifierError`` for anything else, e.g.
        ``invalid GTIN '09520123456789': check digit should be 8, found 9``.

        >>> Gtin.parse("02345673").value
        '00000002345673'

        References: GS1 General Specifications, section 2.1.2 (GTIN formats).
        """
        verify_numeric_key(text, what="GTIN", lengths=_GTIN_LENGTHS)
        return cls(text.rjust(14, "0"))

    def __str__(self) -> str:
        return self.value

    @property
    def check_digit(self) -> int:
        """The last digit (already verified)."""
        return int(self.value[-1])

    def as_gtin14(self) -> str:
        """The 14-digit form used in element strings, EPCIS and Digital Link URIs."""
        return self.value

    def as_hri(self) -> str:
        """The human-readable interpretation, ``(01)`` followed by the 14 digits.

        >>> Gtin.parse("9520123456788").as_hri()
        '(01)09520123456788'
        """
        return f"(01){self.value}"
