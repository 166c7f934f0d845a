"""The EPC binary encoding as one Python integer: packing, unpacking and the hex form.

A whole EPC is built and taken apart with shifts and masks on a single ``int`` (no
per-bit strings), which keeps an SGTIN-96 encoding to a few microseconds.

Layout (most significant bit first), see :mod:`trace.identifiers.epc.schemes`:
``header (8) | filter (3) | partition (3) | company prefix | reference | tail``.

- integers (company prefix, references, numeric serials) are unsigned big-endian;
- strings (SGTIN-198 serials…) are 7 bits per character, then zero bits to the field's size;
- the hex form is upper case and padded with zero bits to whole 16-bit words; a reader
  accepts longer input whose extra bits are all zero (e.g. a 128-bit EPC bank read of an
  SGTIN-96 tag) and rejects anything else.

References: GS1 EPC Tag Data Standard 2.x, sections 14.3 (integer and string encoding
methods), 14.4 (decoding), 15.1 (EPC memory bank contents).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from trace.errors import IdentifierError
from trace.identifiers.epc.schemes import SCHEME_BY_HEADER, Field, Partition, Scheme

__all__ = ["Unpacked", "from_hex", "pack", "to_hex", "unpack"]

# Longest hex input read: a full 496-bit EPC bank, rounded up.
_MAX_HEX_DIGITS = 128
_HEX = re.compile(r"[0-9A-Fa-f]+")


class Unpacked(NamedTuple):
    """The fields of an EPC binary encoding, as the URI would write them (strings unescaped)."""

    filter: int
    partition: Partition
    company_prefix: str
    reference: str
    tail: str | None


def pack(scheme: Scheme, filter_value: int, partition: Partition, company_prefix: str,
         reference: str, tail: str | None) -> int:
    """The EPC as an integer of ``scheme.bits`` bits; the fields must already be valid."""
    value = (scheme.header << 3 | filter_value) << 3 | partition.value
    value = value << partition.prefix_bits | int(company_prefix)
    if scheme.reference_field is Field.STRING:
        ref = pack_string(reference, partition.reference_bits)
    else:
        ref = int(reference) if reference else 0
    value = value << partition.reference_bits | ref
    value <<= scheme.tail_bits  # RESERVED tails stay zero bits
    if tail is not None:
        if scheme.tail_field is Field.STRING:
            value |= pack_string(tail, scheme.tail_bits)
        else:
            value |= int(tail)
    return value


def unpack(scheme: Scheme, value: int) -> Unpacked:
    """Take apart an integer of ``scheme.bits`` bits whose header is ``scheme.header``.

    Raises ``IdentifierError`` for a partition value of 7, a number too large for its digits,
    non-zero reserved bits or a string that is not 7-bit characters followed by zeros.
    """
    top = value >> (scheme.bits - 14)
    filter_value, partition_value = top >> 3 & 7, top & 7
    if partition_value >= len(scheme.partitions):
        raise IdentifierError(
            f"expected a partition value from 0 to 6, found {partition_value}"
        )
    partition = scheme.partitions[partition_value]
    tail: str | None = None
    tail_bits = scheme.tail_bits
    tail_value = value & ((1 << tail_bits) - 1)
    if scheme.tail_field is Field.INTEGER:
        tail = str(tail_value)
    elif scheme.tail_field is Field.STRING:
        tail = unpack_string(tail_value, tail_bits, what=str(scheme.tail_name))
    elif tail_value:
        raise IdentifierError(
            f"expected the last {tail_bits} bits (reserved) to be zero, found {tail_value:#x}"
        )
    value >>= tail_bits
    ref_bits = partition.reference_bits
    ref_value = value & ((1 << ref_bits) - 1)
    if scheme.reference_field is Field.STRING:
        reference = unpack_string(ref_value, ref_bits, what=scheme.reference_name)
    elif scheme.reference_field is Field.INTEGER:
        reference = str(ref_value)
    else:
        reference = _digits(ref_value, partition.reference_digits, what=scheme.reference_name)
    prefix_value = value >> ref_bits & ((1 << partition.prefix_bits) - 1)
    company_prefix = _digits(prefix_value, partition.prefix_digits, what="company prefix")
    return Unpacked(filter_value, partition, company_prefix, reference, tail)


def to_hex(scheme: Scheme, value: int) -> str:
    """Upper-case hex of ``value`` padded with zero bits to whole 16-bit words."""
    return format(value << (scheme.hex_digits * 4 - scheme.bits), scheme.hex_format)


def from_hex(text: str) -> tuple[Scheme, int]:
    """Find the scheme from the header and return it with the EPC as an integer.

    Trailing zero padding beyond the scheme's size is accepted and dropped.
    """
    if not isinstance(text, str):
        raise TypeError(f"EPC hex must be a str, got {type(text).__name__}")
    if not _HEX.fullmatch(text):
        bad = next((c for c in text if c not in "0123456789ABCDEFabcdef"), "")
        found = f"{bad!r}" if bad else "nothing"
        raise IdentifierError(f"expected hexadecimal digits, found {found}")
    if len(text) > _MAX_HEX_DIGITS:
        raise IdentifierError(
            f"expected at most {_MAX_HEX_DIGITS} hex digits (a full EPC bank), found {len(text)}"
        )
    scheme = SCHEME_BY_HEADER.get(int(text[:2], 16)) if len(text) >= 2 else None
    if scheme is None:
        known = ", ".join(f"{s.header:02X} ({s.name})" for s in SCHEME_BY_HEADER.values())
        raise IdentifierError(f"expected a header {known}, found {text[:2].upper()!r}")
    bits = 4 * len(text)
    if bits < scheme.bits:
        raise IdentifierError(
            f"expected at least {-(-scheme.bits // 4)} hex digits for {scheme.name},"
            f" found {len(text)}"
        )
    value = int(text, 16)
    extra = bits - scheme.bits
    if value & ((1 << extra) - 1):
        raise IdentifierError(
            f"expected the {extra} bits after the {scheme.bits}-bit {scheme.name} to be zero"
            " padding, found other bits set"
        )
    return scheme, value >> extra


def pack_string(text: str, bits: int) -> int:
    """7-bit ASCII codes, first character most significant, zero-padded to ``bits``."""
    value = 0
    for code in text.encode("ascii"):
        value = value << 7 | code
    return value << (bits - 7 * len(text))


def unpack_string(value: int, bits: int, *, what: str) -> str:
    """Inverse of :func:`pack_string`: characters up to the first zero, then zeros only."""
    chars = []
    shift = bits - 7
    while shift >= 0:
        code = value >> shift & 0x7F
        if not code:
            break
        chars.append(chr(code))
        shift -= 7
    rest = shift + 7  # bits below the last character read
    if value & ((1 << rest) - 1):
        raise IdentifierError(
            f"expected the {what} to end with zero bits, found non-zero bits after"
            f" {''.join(chars)!r}"
        )
    return "".join(chars)


def _digits(value: int, digits: int, *, what: str) -> str:
    """``value`` as exactly ``digits`` decimal digits (zero digits: the value must be 0)."""
    if value >= 10**digits:
        raise IdentifierError(f"expected the {what} to fit {digits} digits, found {value}")
    return str(value).zfill(digits) if digits else ""
