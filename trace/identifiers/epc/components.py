"""Checks that each EPC component fits its scheme, with messages that say what would fit.

References: GS1 EPC Tag Data Standard 2.x, sections 14.3.1 (Integer: no leading zeros,
below 2^bits), 14.3.2 (String: CSET 82, 7 bits per character) and 14.5 (coding tables).
"""

from __future__ import annotations

from trace.errors import IdentifierError
from trace.identifiers.character_sets import CharacterSet, verify_characters
from trace.identifiers.epc.schemes import SCHEMES, Field, Partition, Scheme

__all__ = ["check_components"]


def check_components(
    scheme_name: str, filter_value: int, company_prefix: str, reference: str, tail: str | None
) -> tuple[Scheme, Partition]:
    """Raise ``IdentifierError`` unless the components fit ``scheme_name``; return its tables."""
    scheme = SCHEMES.get(scheme_name)
    if scheme is None:
        raise IdentifierError(
            f"unknown EPC scheme {scheme_name!r}: expected one of {', '.join(SCHEMES)}"
        )
    if type(filter_value) is not int:
        raise TypeError(f"EPC filter value must be an int, got {type(filter_value).__name__}")
    if not 0 <= filter_value <= 7:
        raise IdentifierError(f"invalid EPC filter value {filter_value}: expected 0 to 7")
    partition = scheme.by_prefix_digits.get(len(company_prefix))
    if partition is None or not (company_prefix.isascii() and company_prefix.isdigit()):
        raise IdentifierError(
            f"invalid GS1 company prefix {company_prefix!r}: expected 6 to 12 digits,"
            f" found {_describe(company_prefix)}"
        )
    # Messages are built only on failure: this runs once per EPC encoded or decoded.
    field = scheme.reference_field
    if field is Field.PADDED:
        digits = partition.reference_digits
        digits_only = reference.isascii() and reference.isdigit()
        if len(reference) != digits or (digits and not digits_only):
            raise IdentifierError(
                f"invalid {scheme.title} {scheme.reference_name} {reference!r}: expected"
                f" {digits} digits after a {len(company_prefix)}-digit company prefix,"
                f" found {_describe(reference)}"
            )
    elif field is Field.INTEGER:
        _check_integer(reference, partition.reference_bits, scheme, scheme.reference_name)
    else:
        _check_string(reference, partition.reference_digits, scheme, scheme.reference_name)
    tail_name = scheme.tail_name
    if tail_name is None:
        if tail is not None:
            raise IdentifierError(f"invalid {scheme.title}: expected no serial, found {tail!r}")
    elif tail is None:
        raise IdentifierError(f"invalid {scheme.title}: expected a {tail_name}, found none")
    elif scheme.tail_field is Field.INTEGER:
        _check_integer(tail, scheme.tail_bits, scheme, tail_name)
    else:
        _check_string(tail, scheme.tail_bits // 7, scheme, tail_name)
    return scheme, partition


def _check_integer(value: str, bits: int, scheme: Scheme, name: str) -> None:
    """Digits, no leading zeros, below ``2**bits`` (TDS 14.3.1)."""
    limit = 1 << bits
    if value.isascii() and value.isdigit() and (value[0] != "0" or len(value) == 1):
        if len(value) <= 20 and int(value) < limit:  # 20 digits: more than any 64-bit field
            return
        problem = f"expected a number below 2^{bits} ({limit}), found {value}"
    elif not value:
        problem = "expected digits, found nothing"
    elif value[0] == "0" and value.isascii() and value.isdigit():
        problem = "expected a number without leading zeros"
    else:
        position, char = next((i, c) for i, c in enumerate(value, 1) if not "0" <= c <= "9")
        problem = f"expected digits only, found {char!r} at position {position}"
    hint = f"{scheme.title} holds numbers below 2^{bits} written without leading zeros"
    if scheme.alternative:
        hint += f"; {scheme.alternative} holds other values"
    raise IdentifierError(f"invalid {scheme.title} {name} {value!r}: {problem} ({hint})")


def _check_string(value: str, most: int, scheme: Scheme, name: str) -> None:
    """1 to ``most`` characters of CSET 82 (TDS 14.3.2, annex A)."""
    what = f"{scheme.title} {name}"
    if not 1 <= len(value) <= most:
        raise IdentifierError(
            f"invalid {what} {value!r}: expected 1 to {most} characters, found {len(value)}"
        )
    verify_characters(value, CharacterSet.CSET82, what=what)


def _describe(text: str) -> str:
    """The length of a digit string, or where its first non-digit is."""
    if (text.isascii() and text.isdigit()) or not text:
        return f"{len(text)}"
    position, char = next((i, c) for i, c in enumerate(text, 1) if not "0" <= c <= "9")
    return f"{char!r} at position {position}"
