"""The EPC binary schemes Tracemark encodes, and their partition tables.

Every scheme here lays its bits out the same way (TDS section 14.5):

``header (8) | filter (3) | partition (3) | company prefix | reference | tail``

The 3-bit partition value says how the bits after it are split between the GS1 Company
Prefix (6 to 12 digits) and the reference that follows it; the tail is a serial, a GLN
extension, reserved zero bits (SSCC-96) or nothing (GIAI).

References: GS1 EPC Tag Data Standard 2.x, sections 14.2 (headers, table 14-1), 14.5
(coding and partition tables) and 10 (filter values).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

__all__ = ["FILTER_VALUES", "SCHEMES", "SCHEME_BY_HEADER", "Field", "Partition", "Scheme"]


class Field(enum.Enum):
    """How a component is written in the URI and coded in binary (TDS section 14.3)."""

    PADDED = "padded integer"
    """Fixed number of digits, leading zeros kept (company prefix, item reference…)."""
    INTEGER = "integer"
    """Decimal without leading zeros, coded as an unsigned integer (SGTIN-96 serial)."""
    STRING = "string"
    """CSET 82 characters, 7 bits each, zero-padded (SGTIN-198 serial)."""
    RESERVED = "reserved"
    """Zero bits with no URI component (the last 24 bits of SSCC-96)."""


@dataclass(frozen=True, slots=True)
class Partition:
    """One row of a partition table: company prefix and reference sizes for one value."""

    value: int
    prefix_bits: int
    prefix_digits: int
    reference_bits: int
    reference_digits: int
    """Exact digits (PADDED reference) or the most characters allowed (INTEGER, STRING)."""


# Company prefix bits for partition values 0..6 (12..6 digits): the same in every table.
_PREFIX_BITS = (40, 37, 34, 30, 27, 24, 20)


def _table(total_bits: int, total_digits: int) -> tuple[Partition, ...]:
    """A partition table where prefix + reference hold ``total_bits`` / ``total_digits``."""
    return tuple(
        Partition(value, bits, 12 - value, total_bits - bits, total_digits - (12 - value))
        for value, bits in enumerate(_PREFIX_BITS)
    )


@dataclass(frozen=True, slots=True)
class Scheme:
    """An EPC binary coding scheme: its header, size, component layout and GS1 key."""

    name: str
    """Tag URI name, e.g. ``sgtin-96``."""
    header: int
    bits: int
    identity: str
    """Pure identity URI namespace, e.g. ``sgtin``."""
    key_ai: str
    """The GS1 Application Identifier of the key this scheme encodes, e.g. ``01``."""
    reference_name: str
    reference_field: Field
    partitions: tuple[Partition, ...]
    """Indexed by partition value (0 to 6)."""
    tail_name: str | None
    tail_field: Field | None
    tail_bits: int
    alternative: str | None
    """The scheme to use for what this one cannot hold (sgtin-96 -> sgtin-198)."""
    by_prefix_digits: dict[int, Partition] = field(init=False, repr=False, compare=False)
    title: str = field(init=False, repr=False, compare=False)
    """Upper-case name as the standard prints it, e.g. ``SGTIN-96``."""
    hex_digits: int = field(init=False, repr=False, compare=False)
    """Hex digits of the binary form: the EPC memory bank holds whole 16-bit words, so 198
    bits are written as 208 (TDS section 15.1, EPC bank contents)."""
    hex_format: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Derived once here so that encoding and decoding only look them up.
        def derive(name: str, value: object) -> None:
            object.__setattr__(self, name, value)

        derive("by_prefix_digits", {p.prefix_digits: p for p in self.partitions})
        derive("title", self.name.upper())
        derive("hex_digits", -(-self.bits // 16) * 4)
        derive("hex_format", f"0{self.hex_digits}X")

    @property
    def components(self) -> int:
        """Dot-separated components of the pure identity URI."""
        return 2 if self.tail_name is None else 3


_SGTIN = _table(44, 13)  # indicator digit + item reference share the 13 - prefix digits
_SSCC = _table(58, 17)  # extension digit + serial reference
_SGLN = _table(41, 12)  # location reference; 0 digits (1 bit) with a 12-digit prefix
_GRAI = _table(44, 12)  # asset type
_GIAI_96 = _table(82, 25)  # numeric asset reference: at most 25 - prefix digits fit 82 bits
_GIAI_202 = _table(188, 30)  # AI (8004) holds at most 30 characters in all

SCHEMES: dict[str, Scheme] = {
    scheme.name: scheme
    for scheme in (
        # name, header, bits, identity, key AI, reference name and field, partition table,
        # tail name, field and bits, scheme for what this one cannot hold
        Scheme("sgtin-96", 0x30, 96, "sgtin", "01", "item reference", Field.PADDED, _SGTIN,
               "serial", Field.INTEGER, 38, "sgtin-198"),
        Scheme("sgtin-198", 0x36, 198, "sgtin", "01", "item reference", Field.PADDED, _SGTIN,
               "serial", Field.STRING, 140, None),
        Scheme("sscc-96", 0x31, 96, "sscc", "00", "serial reference", Field.PADDED, _SSCC,
               None, Field.RESERVED, 24, None),
        Scheme("sgln-96", 0x32, 96, "sgln", "414", "location reference", Field.PADDED, _SGLN,
               "extension", Field.INTEGER, 41, "sgln-195"),
        Scheme("sgln-195", 0x39, 195, "sgln", "414", "location reference", Field.PADDED, _SGLN,
               "extension", Field.STRING, 140, None),
        Scheme("grai-96", 0x33, 96, "grai", "8003", "asset type", Field.PADDED, _GRAI,
               "serial", Field.INTEGER, 38, "grai-170"),
        Scheme("grai-170", 0x37, 170, "grai", "8003", "asset type", Field.PADDED, _GRAI,
               "serial", Field.STRING, 112, None),
        Scheme("giai-96", 0x34, 96, "giai", "8004", "asset reference", Field.INTEGER, _GIAI_96,
               None, None, 0, "giai-202"),
        Scheme("giai-202", 0x38, 202, "giai", "8004", "asset reference", Field.STRING, _GIAI_202,
               None, None, 0, None),
    )
}
"""Scheme name -> scheme, for every scheme Tracemark reads and writes."""

SCHEME_BY_HEADER: dict[int, Scheme] = {scheme.header: scheme for scheme in SCHEMES.values()}

FILTER_VALUES: dict[str, tuple[str, ...]] = {
    "sgtin": (
        "all others",
        "point of sale (POS) trade item",
        "full case for transport",
        "reserved",
        "inner pack trade item grouping for handling",
        "reserved",
        "unit load",
        "unit inside trade item or component inside a product not intended for individual sale",
    ),
    "sscc": (
        "all others", "reserved", "full case for transport", "reserved",
        "reserved", "reserved", "unit load", "reserved",
    ),
}
"""Meaning of each filter value (index 0..7) for SGTIN and SSCC (TDS section 10, filter
value tables); for the other schemes only 0, "all others", is defined so far."""
