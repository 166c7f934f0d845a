"""The GS1 Application Identifiers Tracemark reads and writes, and how to validate their values.

Each entry records what the GS1 General Specifications (section 3) and the GS1 Barcode
Syntax Dictionary say about one AI: its data title, format (written in GS1's notation,
e.g. ``N14`` or ``X..20``; ``[...]`` marks an optional trailing component), whether its
value is a date, where its check digit sits, whether it may be a GS1 Digital Link data
attribute, and — through :data:`PRIMARY_KEYS` — which AIs are Digital Link primary keys
and which key qualifiers they take, in order. AIs outside this table are rejected as
unknown: the table is an allowlist.

Values not validated beyond format, check digit and date: ISO 3166/4217 codes (AI 421–426,
391n, 393n), the GMN check pair (8013), the importer index (7040), the "zero" first digit
of GRAI (8003) and the no-leading-zero rule of AI (8011).

References: GS1 General Specifications, sections 3.2–3.11 (AI definitions), 5.10.1
(figure 5.10.1-2, predefined-length AIs); GS1 Barcode Syntax
Dictionary (github.com/gs1/gs1-syntax-dictionary); GS1 Digital Link: URI Syntax 1.x,
section 4 (primary keys and key qualifiers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from trace.errors import IdentifierError
from trace.identifiers.character_sets import REGEX_CLASS, CharacterSet, verify_characters
from trace.identifiers.check_digit import compute_check_digit
from trace.identifiers.dates import DateFormat, verify_date

__all__ = [
    "ApplicationIdentifier",
    "PRIMARY_KEYS",
    "application_identifier",
    "is_known_ai",
    "match_ai",
    "verify_signature_association",
]


# First two digits of the AIs whose values have a predefined length and therefore need no
# FNC1 separator after them (figure 5.10.1-2; 04 and 18–19 are reserved there too).
_PREDEFINED_LENGTH_PREFIXES = frozenset(
    "00 01 02 03 04 11 12 13 14 15 16 17 18 19 20 31 32 33 34 35 36 41".split()
)

_CHARSET_LETTERS = {
    "N": CharacterSet.NUMERIC,
    "X": CharacterSet.CSET82,
    "Y": CharacterSet.CSET39,
    "Z": CharacterSet.CSET64,
}
_COMPONENT = re.compile(r"(\[)?([NXYZ])(\.\.)?(\d+)\]?")


@dataclass(frozen=True, slots=True)
class ApplicationIdentifier:
    """What GS1 defines for one AI: enough to validate a value and to lay out an element string."""

    ai: str
    title: str
    format: str
    charset: CharacterSet
    min_length: int
    max_length: int
    numeric_prefix: int
    """Leading characters that must be digits even when ``charset`` is wider (AI 253, 8003)."""
    check_digit: tuple[int, int] | None
    """``(start, end)``: ``value[start:end]`` ends in a mod-10 check digit."""
    date: DateFormat | None
    data_attribute: bool
    """May appear in the query string of a GS1 Digital Link URI."""
    pattern: re.Pattern[str] = field(repr=False, compare=False)
    """Length and characters in one regex: the fast path of :meth:`verify`."""

    @property
    def fnc1_required(self) -> bool:
        """True when a separator must follow the value if another AI comes after it."""
        return self.ai[:2] not in _PREDEFINED_LENGTH_PREFIXES

    @property
    def fixed_length(self) -> int | None:
        """The length every value has, or None for variable-length AIs."""
        return self.max_length if self.min_length == self.max_length else None

    @property
    def is_primary_key(self) -> bool:
        """True for AIs that can be the primary key of a GS1 Digital Link URI."""
        return self.ai in PRIMARY_KEYS

    def verify(self, value: str) -> None:
        """Raise ``IdentifierError`` unless ``value`` is a valid value for this AI.

        >>> application_identifier("17").verify("181332")
        Traceback (most recent call last):
        ...
        trace.errors.IdentifierError: invalid AI (17) value '181332': expected a month 01-12, found 13

        References: GS1 General Specifications, section 3 (the AI's format) and 7.12.
        """
        if self.pattern.fullmatch(value) is None:
            self._verify_format(value)  # raises, except for CSET 64 padding
        if self.check_digit is not None:
            start, end = self.check_digit
            expected_digit = compute_check_digit(value[start : end - 1])
            if ord(value[end - 1]) - 48 != expected_digit:
                raise IdentifierError(
                    f"invalid AI ({self.ai}) value {value!r}: check digit should be {expected_digit},"
                    f" found {value[end - 1]}"
                )
        if self.date is not None:
            verify_date(value, self.date, what=f"AI ({self.ai}) value")

    def _verify_format(self, value: str) -> None:
        """Check length and characters one by one, raising with a precise message."""
        what = f"AI ({self.ai}) value"
        length = len(value)
        if not self.min_length <= length <= self.max_length:
            expected = (
                f"{self.max_length}"
                if self.min_length == self.max_length
                else f"{self.min_length} to {self.max_length}"
            )
            raise IdentifierError(
                f"invalid {what} {value!r}: expected {expected} characters ({self.format}),"
                f" found {length}"
            )
        if self.numeric_prefix:
            verify_characters(value, CharacterSet.NUMERIC, what=what, limit=self.numeric_prefix)
        verify_characters(value, self.charset, what=what)


_TABLE: dict[str, ApplicationIdentifier] = {}


def _define(
    ais: str,
    title: str,
    fmt: str,
    *,
    check: tuple[int, int] | None = None,
    date: DateFormat | None = None,
    attribute: bool = True,
) -> None:
    """Add one AI, or a range such as ``"3100-3105"``, to the table."""
    components = [_COMPONENT.fullmatch(part) for part in fmt.split()]
    if any(part is None for part in components):
        raise ValueError(f"bad AI format {fmt!r}")
    min_length = max_length = numeric_prefix = 0
    charsets = []
    for part in components:
        assert part is not None
        optional, letter, variable, size = part.group(1), part.group(2), part.group(3), int(part.group(4))
        charsets.append(_CHARSET_LETTERS[letter])
        max_length += size
        if not optional:
            min_length += 1 if variable else size
        if letter == "N" and len(set(charsets)) == 1 and not variable:
            numeric_prefix += size
    charset = charsets[-1]
    if charset is CharacterSet.NUMERIC:
        numeric_prefix = 0
    pattern = _fast_pattern(charset, min_length, max_length, numeric_prefix)
    first, _, last = ais.partition("-")
    for number in range(int(first), int(last or first) + 1):
        ai = str(number).zfill(len(first))
        _TABLE[ai] = ApplicationIdentifier(
            ai, title, fmt, charset, min_length, max_length, numeric_prefix, check, date,
            attribute, pattern,
        )


def _fast_pattern(
    charset: CharacterSet, min_length: int, max_length: int, numeric_prefix: int
) -> re.Pattern[str]:
    """One regex for "right length, right characters" (a cheaper check than the full one).

    CSET 64 values with "=" padding miss it and take the detailed path, which accepts them.
    """
    rest_min = max(min_length - numeric_prefix, 0)
    rest_max = max_length - numeric_prefix
    return re.compile(f"[0-9]{{{numeric_prefix}}}{REGEX_CLASS[charset]}{{{rest_min},{rest_max}}}")


_D0 = DateFormat.YYMMD0
# Identification keys and their qualifiers.
_define("00", "SSCC", "N18", check=(0, 18))
_define("01", "GTIN", "N14", check=(0, 14))
_define("02", "CONTENT", "N14", check=(0, 14))
_define("03", "MTO GTIN", "N14", check=(0, 14), attribute=False)
_define("10", "BATCH/LOT", "X..20")
_define("11", "PROD DATE", "N6", date=_D0)
_define("12", "DUE DATE", "N6", date=_D0)
_define("13", "PACK DATE", "N6", date=_D0)
_define("15", "BEST BEFORE or BEST BY", "N6", date=_D0)
_define("16", "SELL BY", "N6", date=_D0)
_define("17", "USE BY OR EXPIRY", "N6", date=_D0)
_define("20", "VARIANT", "N2")
_define("21", "SERIAL", "X..20", attribute=False)
_define("22", "CPV", "X..20", attribute=False)
_define("235", "TPX", "X..28", attribute=False)
_define("240", "ADDITIONAL ID", "X..30")
_define("241", "CUST. PART No.", "X..30")
_define("242", "MTO VARIANT", "N..6")
_define("243", "PCN", "X..20")
_define("250", "SECONDARY SERIAL", "X..30")
_define("251", "REF. TO SOURCE", "X..30")
_define("253", "GDTI", "N13 [X..17]", check=(0, 13))
_define("254", "GLN EXTENSION COMPONENT", "X..20", attribute=False)
_define("255", "GCN", "N13 [N..12]", check=(0, 13))
_define("30", "VAR. COUNT", "N..8")
_define("37", "COUNT", "N..8")
# Trade and logistic measures: AI 3abn, n = implied decimal places (section 3.6).
for _prefix, _title in (
    ("310", "NET WEIGHT (kg)"), ("311", "LENGTH (m)"), ("312", "WIDTH (m)"),
    ("313", "HEIGHT (m)"), ("314", "AREA (m²)"), ("315", "NET VOLUME (l)"),
    ("316", "NET VOLUME (m³)"), ("320", "NET WEIGHT (lb)"), ("321", "LENGTH (in)"),
    ("322", "LENGTH (ft)"), ("323", "LENGTH (yd)"), ("324", "WIDTH (in)"),
    ("325", "WIDTH (ft)"), ("326", "WIDTH (yd)"), ("327", "HEIGHT (in)"),
    ("328", "HEIGHT (ft)"), ("329", "HEIGHT (yd)"), ("330", "GROSS WEIGHT (kg)"),
    ("331", "LENGTH (m), log"), ("332", "WIDTH (m), log"), ("333", "HEIGHT (m), log"),
    ("334", "AREA (m²), log"), ("335", "VOLUME (l), log"), ("336", "VOLUME (m³), log"),
    ("337", "KG PER m²"), ("340", "GROSS WEIGHT (lb)"), ("341", "LENGTH (in), log"),
    ("342", "LENGTH (ft), log"), ("343", "LENGTH (yd), log"), ("344", "WIDTH (in), log"),
    ("345", "WIDTH (ft), log"), ("346", "WIDTH (yd), log"), ("347", "HEIGHT (in), log"),
    ("348", "HEIGHT (ft), log"), ("349", "HEIGHT (yd), log"), ("350", "AREA (in²)"),
    ("351", "AREA (ft²)"), ("352", "AREA (yd²)"), ("353", "AREA (in²), log"),
    ("354", "AREA (ft²), log"), ("355", "AREA (yd²), log"), ("356", "NET WEIGHT (tr oz)"),
    ("357", "NET VOLUME (oz)"), ("360", "NET VOLUME (qt)"), ("361", "NET VOLUME (gal.)"),
    ("362", "VOLUME (qt), log"), ("363", "VOLUME (gal.), log"), ("364", "NET VOLUME (in³)"),
    ("365", "NET VOLUME (ft³)"), ("366", "NET VOLUME (yd³)"), ("367", "VOLUME (in³), log"),
    ("368", "VOLUME (ft³), log"), ("369", "VOLUME (yd³), log"),
):
    _define(f"{_prefix}0-{_prefix}5", _title, "N6")
_define("3900-3909", "AMOUNT", "N..15")
_define("3910-3919", "AMOUNT", "N3 N..15")
_define("3920-3929", "PRICE", "N..15")
_define("3930-3939", "PRICE", "N3 N..15")
_define("3940-3943", "PRCNT OFF", "N4")
_define("3950-3955", "PRICE/UoM", "N6")
_define("400", "ORDER NUMBER", "X..30")
_define("401", "GINC", "X..30")
_define("402", "GSIN", "N17", check=(0, 17))
_define("403", "ROUTE", "X..30")
for _ai, _title in (
    ("410", "SHIP TO LOC"), ("411", "BILL TO"), ("412", "PURCHASE FROM"),
    ("413", "SHIP FOR LOC"), ("414", "LOC No."), ("415", "PAY TO"),
    ("416", "PROD/SERV LOC"), ("417", "PARTY"),
):
    _define(_ai, _title, "N13", check=(0, 13))
_define("420", "SHIP TO POST", "X..20")
_define("421", "SHIP TO POST", "N3 X..9")
_define("422", "ORIGIN", "N3")
_define("423", "COUNTRY - INITIAL PROCESS", "N3 [N..12]")
_define("424", "COUNTRY - PROCESS", "N3")
_define("425", "COUNTRY - DISASSEMBLY", "N3 [N..12]")
_define("426", "COUNTRY - FULL PROCESS", "N3")
_define("427", "ORIGIN SUBDIVISION", "X..3")
_define("7001", "NSN", "N13")
_define("7002", "MEAT CUT", "X..30")
_define("7003", "EXPIRY TIME", "N10", date=DateFormat.YYMMDDHHMM)
_define("7004", "ACTIVE POTENCY", "N..4")
_define("7005", "CATCH AREA", "X..12")
_define("7006", "FIRST FREEZE DATE", "N6", date=DateFormat.YYMMDD)
_define("7008", "AQUATIC SPECIES", "X..3")
_define("7009", "FISHING GEAR TYPE", "X..10")
_define("7010", "PROD METHOD", "X..2")
_define("7020", "REFURB LOT", "X..20")
_define("7021", "FUNC STAT", "X..20")
_define("7022", "REV STAT", "X..20")
_define("7023", "GIAI - ASSEMBLY", "X..30")
_define("7040", "UIC+EXT", "N1 X3", attribute=False)
for _ai, _title in (
    ("710", "NHRN PZN"), ("711", "NHRN CIP"), ("712", "NHRN CN"), ("713", "NHRN DRN"),
    ("714", "NHRN AIM"), ("715", "NHRN NDC"), ("716", "NHRN AIC"), ("717", "NHRN SRN"),
):
    _define(_ai, _title, "X..20")
_define("7240", "PROTOCOL", "X..20")
_define("8001", "DIMENSIONS", "N14")
_define("8002", "CMT No.", "X..20")
_define("8003", "GRAI", "N14 [X..16]", check=(1, 14))
_define("8004", "GIAI", "X..30")
_define("8005", "PRICE PER UNIT", "N6")
_define("8006", "ITIP", "N18", check=(0, 14))
_define("8007", "IBAN", "X..34")
_define("8009", "OPTSEN", "X..50")
_define("8010", "CPID", "Y..30")
_define("8011", "CPID SERIAL", "N..12", attribute=False)
_define("8012", "VERSION", "X..20")
_define("8013", "GMN", "X..25")
_define("8017", "GSRN - PROVIDER", "N18", check=(0, 18))
_define("8018", "GSRN - RECIPIENT", "N18", check=(0, 18))
_define("8019", "SRIN", "N..10", attribute=False)
_define("8020", "REF No.", "X..25", attribute=False)
_define("8026", "ITIP CONTENT", "N18", check=(0, 14))
_define("8030", "DIGSIG", "Z..90")
_define("8200", "PRODUCT URL", "X..70", attribute=False)
_define("90", "INTERNAL", "X..30")
_define("91-99", "INTERNAL", "X..90")

PRIMARY_KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "00": (),
    "01": (("22", "10", "21"), ("235",)),
    "253": (),
    "255": (),
    "401": (),
    "402": (),
    "414": (("254",), ("7040",)),
    "415": (("8020",),),
    "417": (("7040",),),
    "8003": (),
    "8004": (("7040",),),
    "8006": (("22", "10", "21"),),
    "8010": (("8011",),),
    "8013": (),
    "8017": (("8019",),),
    "8018": (("8019",),),
}
"""Digital Link primary key AI -> its alternative key-qualifier sequences, each in the only
order the path may use (any qualifier may be left out; alternatives do not mix)."""

# AI (8030) signs a single instance, so it needs a key that names one (the AI's mandatory
# associations in the General Specifications / Syntax Dictionary): any one of these sets.
_SIGNATURE_KEYS: tuple[frozenset[str], ...] = tuple(
    frozenset(combo.split("+"))
    for combo in "00 01+21 03+21 253 255 8003 8004 8006+21 8010+8011 8017 8018".split()
)


def application_identifier(ai: str) -> ApplicationIdentifier:
    """Return the table entry for ``ai``; raise ``IdentifierError`` when it is not known.

    >>> application_identifier("10").title
    'BATCH/LOT'
    """
    try:
        return _TABLE[ai]
    except KeyError:
        raise IdentifierError(
            f"unknown application identifier {ai!r}: expected one of the GS1 AIs Tracemark"
            " supports (see trace.identifiers.application_identifiers)"
        ) from None


def is_known_ai(ai: str) -> bool:
    """True when ``ai`` is in the table."""
    return ai in _TABLE


def match_ai(text: str, position: int = 0) -> ApplicationIdentifier | None:
    """Return the AI that ``text`` starts with at ``position``, or None.

    GS1 allocates AIs so that none is a prefix of another, so the first 2-, 3- or 4-digit
    match is the only one.
    """
    for length in (2, 3, 4):
        entry = _TABLE.get(text[position : position + length])
        if entry is not None:
            return entry
    return None


def verify_signature_association(ais: Iterable[str]) -> None:
    """Raise ``IdentifierError`` if AI (8030) is present without a single-instance key.

    References: GS1 General Specifications, AI (8030) mandatory associations; GS1
    Barcode Syntax Dictionary entry 8030 (``req=00,01+21,03+21,253,255,8003,8004,
    8006+21,8010+8011,8017,8018``).
    """
    present = set(ais)
    if "8030" in present and not any(combo <= present for combo in _SIGNATURE_KEYS):
        raise IdentifierError(
            "invalid AI (8030) digital signature: expected it together with a key that"
            " identifies one instance (00, 01+21, 03+21, 253, 255, 8003, 8004, 8006+21,"
            f" 8010+8011, 8017 or 8018), found AIs {', '.join(sorted(present))}"
        )
