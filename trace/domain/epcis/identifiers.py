"""The identifiers in EPCIS events, and one key per identified thing, whatever its spelling.

EPCIS 2.0 lets a sender name the same item as an EPC URN (``urn:epc:id:sgtin:…``), as a
GS1 Digital Link URI (``https://id.gs1.org/01/…/21/…``, on any domain) or, for things
without a GS1 key, as any absolute URI of its own (``urn:acme:unit:123``). Indexing and
traceability queries must treat the first two as one thing. The key used here is the GS1
element string of the identifying AIs (``0110614141073464212017``: AI 01 GTIN, AI 21
serial): both URN and Digital Link yield it without knowing the company prefix length,
which a Digital Link does not carry. Private URIs are their own key.

A Digital Link is reduced to the identifying part that CBV 2.0 keeps for the Event Hash
ID: the primary key and the one qualifier that makes it most specific (serial before lot;
CPV dropped), without data attributes or query.

References: EPCIS 2.0 (GS1, 2022), identifier syntaxes (EPC URI, Digital Link, private
URIs); CBV 2.0 section 8.9 (constrained canonical Digital Link); GS1 Digital Link: URI
Syntax 1.2, section 4.11 (canonical form); GS1 EPC Tag Data Standard 2.x, section 7.
"""

from __future__ import annotations

import functools

from dataclasses import dataclass, field
from typing import Literal

from trace.domain.epcis.epc_urn import ais_from_epc_urn, epc_urn_from_ais, plain_sgtin
from trace.domain.epcis.schema import is_uri
from trace.errors import IdentifierError
from trace.identifiers import DigitalLink
from trace.identifiers.application_identifiers import PRIMARY_KEYS, application_identifier
from trace.identifiers.digital_link import path_uri
from trace.identifiers.element_string import fnc1_element_string

__all__ = ["EpcisIdentifier", "parse_identifier"]

CANONICAL_STEM = "https://id.gs1.org"

# Which key qualifiers a constrained canonical Digital Link keeps, per primary key, most
# specific first; at most one is kept (CBV 2.0 section 8.9: 01 / 01 21 / 01 10 / 01 235 /
# 414 254 / 8006 21 / 8006 10 / 8010 8011; other primary keys stand alone).
_KEPT_QUALIFIERS = {"01": ("21", "10", "235"), "8006": ("21", "10"), "414": ("254",), "8010": ("8011",)}

Kind = Literal["epc", "digital_link", "private"]


@dataclass(frozen=True, slots=True)
class EpcisIdentifier:
    """An identifier as written in an event, and the key it is indexed under.

    >>> urn = parse_identifier("urn:epc:id:sgtin:0614141.107346.2017")
    >>> link = parse_identifier("https://brand.example/01/10614141073464/10/L1/21/2017?17=250101")
    >>> urn.key == link.key == "0110614141073464212017"
    True
    >>> link.as_digital_link()
    'https://id.gs1.org/01/10614141073464/21/2017'
    """

    uri: str
    """As given."""
    kind: Kind
    ais: tuple[tuple[str, str], ...]
    """The identifying GS1 (AI, value) pairs; empty for a private URI."""
    key: str = field(init=False, repr=False, compare=False)
    """The index key: the GS1 element string (no leading FNC1), or the URI itself if private."""
    _link: str | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Capture asks for the key of every identifier several times: computed once.
        object.__setattr__(self, "key", _element_string_key(self.ais) if self.ais else self.uri)

    @property
    def is_gs1(self) -> bool:
        """True when the identifier is a GS1 key (EPC URN or Digital Link)."""
        return bool(self.ais)

    def as_digital_link(self) -> str:
        """The constrained canonical GS1 Digital Link (``https://id.gs1.org/…``); private URIs unchanged.

        References: CBV 2.0 section 8.9; GS1 Digital Link: URI Syntax 1.2, section 4.11.
        """
        if not self.ais:
            return self.uri
        if self._link is None:
            object.__setattr__(self, "_link", _canonical_digital_link(self.ais))
        return self._link  # type: ignore[return-value]

    def as_epc_urn(self, *, company_prefix_length: int) -> str:
        """The EPC URN, splitting the key after the GS1 Company Prefix of the given length.

        Raises ``IdentifierError`` for a private URI or a key with no EPC scheme.
        """
        if not self.ais:
            raise IdentifierError(f"no EPC URI for {self.uri!r}: it is not a GS1 identifier")
        return epc_urn_from_ais(self.ais, company_prefix_length=company_prefix_length)


# Primary keys of predefined length: no FNC1 separates them from a qualifier that follows.
_PREDEFINED_LENGTH_KEYS = frozenset(ai for ai in PRIMARY_KEYS if not application_identifier(ai).fnc1_required)


def _element_string_key(ais: tuple[tuple[str, str], ...]) -> str:
    """``fnc1_element_string(ais)`` without its leading FNC1; the one- and two-AI keys nearly
    every event names (an SGTIN: GTIN then serial) are joined directly."""
    if len(ais) == 1:
        return ais[0][0] + ais[0][1]
    if len(ais) == 2 and ais[0][0] in _PREDEFINED_LENGTH_KEYS:
        return ais[0][0] + ais[0][1] + ais[1][0] + ais[1][1]
    return fnc1_element_string(ais)[1:]


# The AIs of a valid Digital Link path: a primary key alone (its AI) or with one of its
# qualifiers (the pair); every form an EPC URN or a constrained Digital Link reduces to.
_VALID_PATHS = frozenset(
    set(PRIMARY_KEYS)
    | {(key, qualifier) for key, alternatives in PRIMARY_KEYS.items()
       for alternative in alternatives for qualifier in alternative}
)


def _canonical_digital_link(ais: tuple[tuple[str, str], ...]) -> str:
    # The values were checked when the identifier was parsed: a known valid path is only
    # written out; anything else goes through DigitalLink's own checks.
    if (ais[0][0] if len(ais) == 1 else (ais[0][0], ais[1][0]) if len(ais) == 2 else None) in _VALID_PATHS:
        return path_uri(CANONICAL_STEM, ais)
    return DigitalLink(CANONICAL_STEM, ais[0], ais[1:]).as_uri()


@functools.lru_cache(maxsize=65536)
def parse_identifier(uri: str) -> EpcisIdentifier:
    """Classify and check one identifier from an event; raise ``IdentifierError`` if malformed.

    - ``urn:epc:…`` must be a well-formed EPC URN of a supported GS1 scheme;
    - ``http(s)://`` URIs that parse as GS1 Digital Link are GS1 identifiers; on the GS1
      resolver host ``id.gs1.org`` they must parse (a wrong check digit there is a mistake,
      not a private URI); elsewhere a URI that does not parse is private;
    - any other absolute URI is private; anything else is rejected.
    """
    if uri.startswith("urn:epc:"):
        sgtin = plain_sgtin(uri)  # most identifiers: one pattern, no field-by-field checks
        if sgtin is not None:
            return _sgtin(uri, *sgtin)
        return EpcisIdentifier(uri, "epc", ais_from_epc_urn(uri))
    if uri.startswith(("https://", "http://")):
        try:
            link = DigitalLink.parse(uri)
        except IdentifierError:
            if uri.split("/", 3)[2].lower() == "id.gs1.org":
                raise
        else:
            return EpcisIdentifier(uri, "digital_link", _constrained(link))
    if not is_uri(uri):
        raise IdentifierError(f"invalid identifier {uri!r}: expected an absolute URI")
    return EpcisIdentifier(uri, "private", ())


def _sgtin(uri: str, gtin: str, serial: str) -> EpcisIdentifier:
    """The identifier of a checked SGTIN, its canonical Digital Link written at once (``01/…/21/…``
    is a valid path; the serial only needs escaping when it holds more than letters and digits)."""
    # Every field set here as __init__/__post_init__ would (key: AI 01 has a predefined
    # length, no FNC1 follows it): the one identifier built a thousand times per document.
    identifier = object.__new__(EpcisIdentifier)
    setattr_ = object.__setattr__
    setattr_(identifier, "uri", uri)
    setattr_(identifier, "kind", "epc")
    setattr_(identifier, "ais", (("01", gtin), ("21", serial)))
    setattr_(identifier, "key", f"01{gtin}21{serial}")
    plain = serial.isalnum() and serial.isascii()
    setattr_(identifier, "_link", f"{CANONICAL_STEM}/01/{gtin}/21/{serial}" if plain else None)
    return identifier


def _constrained(link: DigitalLink) -> tuple[tuple[str, str], ...]:
    """The primary key and its most specific kept qualifier (CBV 2.0 section 8.9)."""
    present = dict(link.qualifiers)
    for ai in _KEPT_QUALIFIERS.get(link.primary[0], ()):
        if ai in present:
            return (link.primary, (ai, present[ai]))
    return (link.primary,)
