"""GS1 identifiers: keys (GTIN, GLN, SSCC), Application Identifiers, element strings and
GS1 Digital Link URIs. Pure: standard library only, no clock beyond the century window for
two-digit years, no I/O.

References: GS1 General Specifications; GS1 Digital Link: URI Syntax 1.x.
"""

from __future__ import annotations

from trace.identifiers.application_identifiers import (
    PRIMARY_KEYS,
    ApplicationIdentifier,
    application_identifier,
)
from trace.identifiers.character_sets import CharacterSet
from trace.identifiers.check_digit import compute_check_digit, verify_check_digit
from trace.identifiers.dates import DateFormat
from trace.identifiers.digital_link import DigitalLink
from trace.identifiers.element_string import ElementString
from trace.identifiers.gln import Gln
from trace.identifiers.gtin import Gtin
from trace.identifiers.sscc import Sscc

__all__ = [
    "PRIMARY_KEYS",
    "ApplicationIdentifier",
    "CharacterSet",
    "DateFormat",
    "DigitalLink",
    "ElementString",
    "Gln",
    "Gtin",
    "Sscc",
    "application_identifier",
    "compute_check_digit",
    "verify_check_digit",
]
