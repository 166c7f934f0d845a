"""Serial Shipping Container Code (SSCC), the 18-digit key of a logistic unit (AI (00)).

Tracemark puts an SSCC on every case and pallet it aggregates items into.

References: GS1 General Specifications, sections 2.2 (SSCC) and 3.2 (AI (00)).
"""

from __future__ import annotations

from dataclasses import dataclass

from trace.errors import IdentifierError
from trace.identifiers.check_digit import compute_check_digit, verify_numeric_key

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
    def build(cls, *, extension_digit: int, company_prefix: str, serial_reference: int) -> Sscc:
        """Assemble an SSCC: extension digit, GS1 Company Prefix, serial reference, check digit.

        The serial reference fills the 16 - len(company_prefix) digits left by the prefix.

        >>> Sscc.build(extension_digit=0, company_prefix="9506000", serial_reference=1).value
        '095060000000000015'

        References: GS1 General Specifications, section 2.2.1 (SSCC structure).
        """
        if not 0 <= extension_digit <= 9:
            raise IdentifierError(f"invalid SSCC extension digit {extension_digit}: expected 0 to 9")
        if not (company_prefix.isascii() and company_prefix.isdigit() and 6 <= len(company_prefix) <= 12):
            raise IdentifierError(
                f"invalid GS1 Company Prefix {company_prefix!r}: expected 6 to 12 digits")
        width = 16 - len(company_prefix)
        if not 0 <= serial_reference < 10**width:
            raise IdentifierError(
                f"invalid SSCC serial reference {serial_reference} for company prefix {company_prefix}:"
                f" expected 0 to {10**width - 1} ({width} digits)")
        payload = f"{extension_digit}{company_prefix}{serial_reference:0{width}d}"
        return cls(payload + str(compute_check_digit(payload)))

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

    def as_grouped_hri(self, company_prefix_length: int) -> str:
        """The label's human-readable line, grouped as extension, prefix, serial reference, check.

        >>> Sscc.parse("095060000000000015").as_grouped_hri(7)
        '(00) 0 9506000 000000001 5'

        References: GS1 Logistic Label Guideline, section 4 (human-readable SSCC).
        """
        if not 6 <= company_prefix_length <= 12:
            raise ValueError(f"company prefix length must be 6 to 12, got {company_prefix_length}")
        v, end = self.value, 1 + company_prefix_length
        return f"(00) {v[0]} {v[1:end]} {v[end:17]} {v[17]}"
