"""Serial Shipping Container Code (SSCC), the 18-digit key of a logistic unit (AI (00)).

Tracemark puts an SSCC on every case and pallet it aggregates items into.

References: GS1 General Specifications, sections 2.2 (SSCC) and 3.2 (AI (00)).
"""

from __future__ import annotations

from dataclasses import dataclass

from trace.identifiers.check_digit import verify_numeric_key

__all__ = ["Sscc"]


@dataclass(frozen=True, slots=True)
class Sscc:
    """An 18-digit SSCC whose check digit has been verified.

    >>> Sscc.parse("006141411234567890")
    Sscc(value='006141411234567890')
    >>> Sscc.parse("006141411234567890").extension_digit
    0
    """

    value: str

    def __post_init__(self) -> None:
        verify_numeric_key(self.value, what="SSCC", lengths=(18,))

    @classmethod
    def parse(cls, text: str) -> Sscc:
        """Parse 18 digits; raise ``IdentifierError`` on a wrong length, character or check digit.

        References: GS1 General Specifications, section 2.2.
        """
        return cls(text)

    def __str__(self) -> str:
        return self.value

    @property
    def extension_digit(self) -> int:
        """The first digit, which the company uses to extend its serial reference capacity."""
        return int(self.value[0])

    def as_hri(self) -> str:
        """The human-readable interpretation, ``(00)`` followed by the 18 digits.

        >>> Sscc.parse("006141411234567890").as_hri()
        '(00)006141411234567890'
        """
        return f"(00){self.value}"
