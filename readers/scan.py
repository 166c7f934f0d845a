"""The scan value: one identifier read at a station, and the text it was read from.

Whatever the carrier (a QR code, a GS1 DataMatrix, an NFC tag, a UHF RFID tag), a read
ends as a :class:`Scan` whose ``identifier`` is canonical, so the same item read twice
through different carriers yields the same string:

- GS1 Digital Link URIs and GS1 element strings become the constrained canonical Digital
  Link ``https://id.gs1.org/{key}/{value}[/{qualifier}/{value}]`` (primary key and its most
  specific qualifier; lot, data attributes and the AI 8030 signature left out), as EPCIS
  2.0 writes instance identifiers and CBV 2.0 hashes them;
- EPC binary (hex from an RFID tag), EPC tag URIs and pure identity URIs become the pure
  identity URI ``urn:epc:id:…`` (it keeps the company prefix length, which a Digital Link
  does not carry).

Scanned text is recognised by its shape:

- ``http(s)://…``: a GS1 Digital Link (custom domains and ``?8030=`` signatures allowed);
- ``]d2`` / ``]Q3`` / ``]C1`` / ``]e0`` + FNC1 form: GS1 element string behind the ISO/IEC
  15424 symbology identifier a scanner prepends (GS, ``\\x1d``, as separator); any other
  symbology identifier (``]Q1https://…``) is dropped and the rest recognised;
- ``(01)…(21)…``: bracketed element string; digits first: FNC1 form without identifier;
- ``urn:epc:id:…`` / ``urn:epc:tag:…``: EPC URIs;
- 24 or more hex digits: an EPC binary encoding (SGTIN-96 is 24, SGTIN-198 52). A string
  of digits only is tried as an element string first.

>>> parse_scanned_text("]d2010952012345678810ABC1\\x1d2112345").identifier
'https://id.gs1.org/01/09520123456788/21/12345'
>>> parse_scanned_text("3074257BF7194E4000001A85").identifier
'urn:epc:id:sgtin:0614141.812345.6789'

References: ISO/IEC 15424 (symbology identifiers); GS1 General Specifications 5.1.2 and
5.10; GS1 Digital Link: URI Syntax 1.2; GS1 EPC Tag Data Standard 2.x, sections 6, 12
and 14; EPCIS 2.0 and CBV 2.0 section 8.9 (identifiers in events).
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from trace.domain.epcis import EpcisIdentifier, parse_identifier
from trace.errors import IdentifierError, InvalidInput
from trace.identifiers import DigitalLink
from trace.identifiers.epc import Epc, decode

__all__ = [
    "GS1_RESOLVER",
    "Command",
    "OnInvalid",
    "Reading",
    "Scan",
    "SourceKind",
    "identifier_from_epc_hex",
    "parse_scanned_text",
    "reading_from_text",
    "utc_now",
    "warn_invalid",
]

GS1_RESOLVER = "https://id.gs1.org"
# ISO/IEC 15424: "]", a symbology code character, a modifier character.
_SYMBOLOGY_IDENTIFIER = re.compile(r"\][A-Za-z][0-9A-Za-z]")
# The identifiers under which a scanner reports GS1 element strings (GS1 GenSpecs 5.1.2).
_GS1_SYMBOLOGIES = frozenset({"]d2", "]Q3", "]C1", "]e0"})
_HEX = re.compile(r"[0-9A-Fa-f]{24,}")
# Keyboard wedges end a scan with CR and/or LF; GS (\x1d) is data and must survive.
_LINE_ENDS = " \t\r\n"
_EXPECTED = (
    "expected a GS1 Digital Link URI, a GS1 element string ((01)…, FNC1/GS form, with or"
    " without a ]d2/]Q3/]C1/]e0 symbology identifier), an EPC URI (urn:epc:id:… or"
    " urn:epc:tag:…) or an EPC in hex"
)


class SourceKind(str, enum.Enum):
    """Which kind of reader produced a scan."""

    KEYBOARD = "keyboard"
    """A keyboard-wedge scanner (or anything else typing a line per scan)."""
    SERIAL = "serial"
    IMAGE = "image"
    NFC = "nfc"
    RFID = "rfid"


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True)
class Scan:
    """One identifier read at a station.

    ``identifier`` is canonical (see the module docstring); ``raw`` is the text or hex as
    read; ``time`` is timezone-aware UTC. ``antenna`` and ``peak_rssi`` (dBm) come from
    RFID readers, ``tag_uid`` (hex) from NFC tags.
    """

    identifier: str
    raw: str
    source: SourceKind
    time: datetime
    antenna: int | None = None
    peak_rssi: int | None = None
    tag_uid: str | None = None

    def __post_init__(self) -> None:
        if self.time.tzinfo is None or self.time.utcoffset() != timedelta(0):
            raise ValueError(f"scan time must be timezone-aware UTC, got {self.time!r}")

    @property
    def epcis(self) -> EpcisIdentifier:
        """The identifier as EPCIS sees it (its GS1 AIs and index key)."""
        return parse_identifier(self.identifier)

    @property
    def key(self) -> str:
        """The GS1 element string key: equal for the same item in any spelling."""
        return self.epcis.key

    @property
    def is_sscc(self) -> bool:
        """True for a logistic unit (case, pallet): a GS1 key AI (00)."""
        ais = self.epcis.ais
        return bool(ais) and ais[0][0] == "00"

    @property
    def is_instance(self) -> bool:
        """True when the identifier names one object, not a class (a GTIN without serial).

        References: EPCIS 2.0, ObjectEvent and AggregationEvent (epcList, childEPCs: instances).
        """
        ais = dict(self.epcis.ais)
        if "00" in ais or "8004" in ais:
            return True
        if "01" in ais or "8006" in ais:
            return "21" in ais
        if "8003" in ais:  # GRAI: 14 digits, then an optional serial
            return len(ais["8003"]) > 14
        return False


@dataclass(frozen=True, slots=True)
class Command:
    """A station command read like a scan (a ``CLOSE`` barcode or typed line)."""

    text: str
    source: SourceKind
    time: datetime


Reading = Scan | Command
OnInvalid = Callable[[str, InvalidInput], None]
"""What a source calls with text it cannot read (and then goes on reading)."""

_log = logging.getLogger("readers")


def warn_invalid(text: str, error: InvalidInput) -> None:
    """The default :data:`OnInvalid`: log a warning and go on."""
    _log.warning("%s", error)


def parse_scanned_text(
    text: str,
    *,
    source: SourceKind = SourceKind.KEYBOARD,
    time: datetime | None = None,
    antenna: int | None = None,
    peak_rssi: int | None = None,
    tag_uid: str | None = None,
) -> Scan:
    """Recognise scanned text and return its :class:`Scan` (``time`` defaults to now).

    Raises ``InvalidInput`` naming the text when it is none of the accepted forms, and
    ``IdentifierError`` (an ``InvalidInput``) when it has a form but an invalid value.
    """
    if not isinstance(text, str):
        raise TypeError(f"scanned text must be a str, got {type(text).__name__}")
    return Scan(_identify(text), text, source, time or utc_now(), antenna, peak_rssi, tag_uid)


def reading_from_text(
    text: str,
    *,
    source: SourceKind,
    time: datetime | None = None,
    commands: Collection[str] = (),
) -> Reading:
    """A :class:`Command` when the text (without line ends) is one of ``commands``, else a scan."""
    body = text.strip(_LINE_ENDS)
    if body in commands:
        return Command(body, source, time or utc_now())
    return parse_scanned_text(body, source=source, time=time)


def identifier_from_epc_hex(hex_text: str) -> str:
    """The pure identity URI of an EPC binary encoding given as hex.

    References: GS1 EPC Tag Data Standard 2.x, section 14.4 (decoding).
    """
    return decode(hex_text).pure_identity


def _identify(text: str) -> str:
    body = text.strip(_LINE_ENDS)
    if not body:
        raise InvalidInput(f"empty scan {text!r}: {_EXPECTED}")
    try:
        if _SYMBOLOGY_IDENTIFIER.match(body):
            if body[:3] in _GS1_SYMBOLOGIES:
                return _from_element_string(body)
            body = body[3:]  # not GS1 data: what follows the identifier is the message
            if not body:
                raise InvalidInput(f"empty scan {text!r}: a symbology identifier and no data")
        if body[:8].lower().startswith(("https://", "http://")):
            link = DigitalLink.parse(body)
            return parse_identifier(link.as_uri()).as_digital_link()
        if body.startswith("urn:epc:"):
            return _from_epc_urn(body)
        if body[0] in "(^\x1d":
            return _from_element_string(body)
        if _HEX.fullmatch(body):
            return _from_hex_or_digits(body)
        if body[:2].isdigit():
            return _from_element_string(body)
    except IdentifierError as exc:
        raise IdentifierError(f"invalid scan {text!r}: {exc}") from exc
    raise InvalidInput(f"unrecognised scan {text!r}: {_EXPECTED}")


def _from_element_string(body: str) -> str:
    link = DigitalLink.from_element_string(body, GS1_RESOLVER)
    return parse_identifier(link.as_uri()).as_digital_link()


def _from_epc_urn(body: str) -> str:
    if body.startswith("urn:epc:tag:"):
        return Epc.from_tag_uri(body).pure_identity
    if body.startswith("urn:epc:id:"):
        parse_identifier(body)  # raises IdentifierError if malformed
        return body
    raise IdentifierError(
        f"unsupported EPC URI {body!r}: expected a pure identity URI (urn:epc:id:…)"
        " or a tag URI (urn:epc:tag:…)"
    )


def _from_hex_or_digits(body: str) -> str:
    """Hex that is all digits may be an element string (``0109520…21…``): that reading wins."""
    if body.isdigit():
        try:
            return _from_element_string(body)
        except IdentifierError:
            pass
    return identifier_from_epc_hex(body)
