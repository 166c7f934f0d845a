"""How each value is written in the CBV 2.0 Event Hash ID pre-hash string.

- timestamps: UTC, ``Z``, exactly three fractional digits, a fourth digit of 5–9 rounding
  the third up (``2023-01-18T11:04:03.1415Z`` -> ``2023-01-18T11:04:03.142Z``);
- numbers: no trailing zeros, no exponent, no quotes (``1.0`` -> ``1``);
- CBV URNs (``urn:epcglobal:cbv:bizstep:…``) -> their web URIs (``https://ref.gs1.org/cbv/…``);
- compact IRIs with a bound prefix (``gs1:Temperature``) -> full IRIs;
- EPC URNs and GS1 Digital Links on any domain -> the constrained canonical Digital Link
  ``https://id.gs1.org/{key}/{value}[/{qualifier}/{value}]`` without query;
- every string stripped of surrounding whitespace.

References: CBV 2.0 (GS1, 2022), section 8.9 (EPCIS Event Hash ID: pre-hash string rules).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from trace.domain.epcis.identifiers import parse_identifier
from trace.domain.epcis.jsonld import expand_curie
from trace.errors import IdentifierError

__all__ = ["canonical_number", "canonical_time", "canonical_value"]

_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_MILLISECOND = Decimal("0.001")
# CBV 1.x URN vocabularies and their CBV 2.0 web vocabulary equivalents (CBV 2.0 section 8.9).
_CBV_URNS = (
    ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
    ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
    ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"),
    ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"),
    ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"),
)


def canonical_time(text: str) -> str:
    """An xsd:dateTimeStamp in UTC with millisecond precision (text that is no timestamp: stripped).

    >>> canonical_time("2005-04-03T20:33:31.116000-06:00")
    '2005-04-04T02:33:31.116Z'
    >>> canonical_time("2023-01-18T11:04:59.9996+00:00")
    '2023-01-18T11:05:00.000Z'
    """
    text = text.strip()
    match = _TIME.fullmatch(text)
    if match is None:
        return text
    date, time, fraction, offset = match.groups()
    whole = datetime.fromisoformat(f"{date}T{time}{'+00:00' if offset in 'Zz' else offset}")
    if fraction is None or len(fraction) <= 4:  # whole milliseconds at most: nothing to round
        millis = int(f"{fraction[1:] if fraction else ''}000"[:3])
    else:
        millis = int(Decimal(fraction).quantize(_MILLISECOND, rounding=ROUND_HALF_UP) * 1000)
    moment = whole.astimezone(timezone.utc) + timedelta(milliseconds=millis)
    return f"{moment.replace(tzinfo=None).isoformat(timespec='milliseconds')}Z"


def canonical_number(value: int | float | str | Decimal) -> str:
    """A number without trailing zeros, exponent or sign of positive values.

    >>> canonical_number(452.0), canonical_number("23.0"), canonical_number(0.1), canonical_number("+1.50")
    ('452', '23', '0.1', '1.5')
    """
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _identifier(text: str) -> str:
    try:
        return parse_identifier(text).as_digital_link()
    except IdentifierError:
        return text  # not valid as a GS1 identifier: hashed as written (parse_event reports it)


def canonical_value(value: Any, prefixes: Mapping[str, str], *, numeric_text: bool = False) -> str:
    """The pre-hash form of a JSON scalar (bool/number/string); ``""`` for null.

    ``numeric_text`` also rewrites strings that read as numbers (``"23.0"`` -> ``23``), as
    CBV 2.0 does for extension values, which JSON-LD leaves as untyped text.
    """
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("urn:epc:") and "urn" not in prefixes:  # most values: EPCs (as below, sooner)
            return _identifier(text)
    elif value is None:
        return ""
    elif isinstance(value, bool):
        return "true" if value else "false"
    elif isinstance(value, (int, float, Decimal)):
        return canonical_number(value)
    else:
        text = str(value).strip()
    text = expand_curie(text, prefixes)
    for urn, web in _CBV_URNS:
        if text.startswith(urn):
            return web + text[len(urn):]
    if text.startswith(("urn:epc:", "https://", "http://")):
        return _identifier(text)
    if numeric_text and _NUMBER.fullmatch(text):
        try:
            return canonical_number(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
            return text
    return text
