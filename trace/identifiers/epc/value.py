"""The ``Epc`` value: one Electronic Product Code in a binary scheme, with all its forms.

References: GS1 EPC Tag Data Standard 2.x, sections 6 (pure identity URIs), 7 (GS1 keys),
12 (tag URIs), 14 (binary encodings).
"""

from __future__ import annotations

from dataclasses import dataclass

from trace.errors import IdentifierError
from trace.identifiers.digital_link import DigitalLink
from trace.identifiers.element_string import ElementString
from trace.identifiers.epc import binary, uri
from trace.identifiers.epc.components import check_components
from trace.identifiers.epc.gs1_keys import key_pairs, split_key
from trace.identifiers.epc.schemes import SCHEMES, Field
from trace.identifiers.gln import Gln
from trace.identifiers.gtin import Gtin
from trace.identifiers.sscc import Sscc

__all__ = ["Epc"]

GS1_RESOLVER = "https://id.gs1.org"

# Components after the filter: identity namespace -> count, scheme name -> count.
_IDENTITY_COMPONENTS = {s.identity: s.components for s in SCHEMES.values()}
_TAG_COMPONENTS = {s.name: s.components for s in SCHEMES.values()}


@dataclass(frozen=True, slots=True)
class Epc:
    """An EPC in one binary scheme, every component checked against that scheme.

    ``reference`` is the component after the company prefix: the indicator digit and item
    reference (SGTIN), the extension digit and serial reference (SSCC), the location
    reference (SGLN), the asset type (GRAI) or the individual asset reference (GIAI).
    ``serial`` is the serial (SGTIN, GRAI), the GLN extension (SGLN; ``"0"`` for none) or
    ``None`` (SSCC, GIAI). Alphanumeric values are kept unescaped (``"32a/b"``).

    >>> epc = Epc.from_tag_uri("urn:epc:tag:sgtin-96:3.0614141.812345.6789")
    >>> epc.to_hex()
    '3074257BF7194E4000001A85'
    >>> epc.pure_identity
    'urn:epc:id:sgtin:0614141.812345.6789'
    >>> epc.to_digital_link().as_uri()
    'https://id.gs1.org/01/80614141123458/21/6789'
    """

    scheme: str
    filter: int
    company_prefix: str
    reference: str
    serial: str | None = None

    def __post_init__(self) -> None:
        check_components(self.scheme, self.filter, self.company_prefix, self.reference, self.serial)

    # -- reading ------------------------------------------------------------------------

    @classmethod
    def from_tag_uri(cls, text: str) -> Epc:
        """Parse ``urn:epc:tag:{scheme}:{filter}.{components}``.

        References: GS1 EPC Tag Data Standard 2.x, section 12.3.
        """
        try:
            scheme, filter_text, parts = uri.split_tag_uri(text, _TAG_COMPONENTS)
            if not (len(filter_text) == 1 and "0" <= filter_text <= "7"):
                raise IdentifierError(
                    f"invalid EPC filter value {filter_text!r}: expected one digit 0 to 7"
                )
            return cls._from_components(scheme, int(filter_text), parts)
        except IdentifierError as exc:
            raise IdentifierError(f"invalid EPC tag URI {text!r}: {exc}") from exc

    @classmethod
    def from_pure_identity(cls, text: str, *, scheme: str, filter: int) -> Epc:  # noqa: A002
        """Parse ``urn:epc:id:{namespace}:{components}`` for writing with ``scheme`` and ``filter``.

        >>> Epc.from_pure_identity("urn:epc:id:sscc:0614141.1234567890", scheme="sscc-96",
        ...                        filter=2).tag_uri
        'urn:epc:tag:sscc-96:2.0614141.1234567890'

        References: GS1 EPC Tag Data Standard 2.x, section 6.3.
        """
        try:
            namespace, parts = uri.split_pure_identity(text, _IDENTITY_COMPONENTS)
            target = SCHEMES.get(scheme)
            if target is not None and target.identity != namespace:
                raise IdentifierError(
                    f"scheme {scheme} encodes urn:epc:id:{target.identity}:…,"
                    f" found urn:epc:id:{namespace}:…"
                )
            return cls._from_components(scheme, filter, parts)
        except IdentifierError as exc:
            raise IdentifierError(f"invalid EPC pure identity URI {text!r}: {exc}") from exc

    @classmethod
    def _from_components(cls, scheme_name: str, filter_value: int, parts: list[str]) -> Epc:
        """Build from URI components, unescaping the alphanumeric ones."""
        scheme = SCHEMES.get(scheme_name)
        if scheme is None or len(parts) != scheme.components:  # the constructor says why
            return cls(scheme_name, filter_value, *parts[:3])
        if scheme.tail_field is Field.INTEGER:  # SGTIN-96, SGLN-96, GRAI-96: nothing escaped
            return cls(scheme_name, filter_value, parts[0], parts[1], parts[2])
        reference = parts[1]
        if scheme.reference_field is Field.STRING:
            reference = uri.unescape(reference, what=f"{scheme.title} {scheme.reference_name}")
        tail = parts[2] if len(parts) == 3 else None
        if tail is not None and scheme.tail_field is Field.STRING:
            tail = uri.unescape(tail, what=f"{scheme.title} {scheme.tail_name}")
        return cls(scheme_name, filter_value, parts[0], reference, tail)

    @classmethod
    def from_hex(cls, text: str) -> Epc:
        """Decode the binary form given as hex; trailing zero padding is accepted.

        >>> Epc.from_hex("3074257BF7194E4000001A8500000000").tag_uri
        'urn:epc:tag:sgtin-96:3.0614141.812345.6789'

        References: GS1 EPC Tag Data Standard 2.x, section 14.4 (decoding procedure).
        """
        try:
            scheme, value = binary.from_hex(text)
            fields = binary.unpack(scheme, value)
            return cls(scheme.name, fields.filter, fields.company_prefix, fields.reference,
                       fields.tail)
        except IdentifierError as exc:
            raise IdentifierError(f"invalid EPC binary {text!r}: {exc}") from exc

    @classmethod
    def from_digital_link(
        cls,
        link: DigitalLink | str,
        *,
        scheme: str,
        filter: int,  # noqa: A002
        company_prefix_length: int,
    ) -> Epc:
        """The EPC of a Digital Link's key: (01) + (21), (00), (414) [+ (254)], (8003) or (8004).

        A GS1 key does not say where its company prefix ends, so the caller says how many
        digits it has (6 to 12). Lot, CPV and query attributes are not part of these EPCs and
        are left behind.

        >>> Epc.from_digital_link("https://id.gs1.org/01/80614141123458/21/6789",
        ...                       scheme="sgtin-96", filter=3, company_prefix_length=7).tag_uri
        'urn:epc:tag:sgtin-96:3.0614141.812345.6789'

        References: GS1 EPC Tag Data Standard 2.x, section 7.
        """
        parsed = DigitalLink.parse(link) if isinstance(link, str) else link
        try:
            target = SCHEMES.get(scheme)
            if target is None:
                return cls(scheme, filter, "", "")  # let the constructor name the problem
            if type(company_prefix_length) is not int or not 6 <= company_prefix_length <= 12:
                raise IdentifierError(
                    f"invalid company prefix length {company_prefix_length!r}: expected 6 to 12"
                )
            prefix, reference, tail = split_key(
                target.key_ai, parsed, company_prefix_length, what=target.name
            )
            return cls(scheme, filter, prefix, reference, tail)
        except IdentifierError as exc:
            raise IdentifierError(
                f"invalid EPC for Digital Link {parsed.as_uri()!r}: {exc}"
            ) from exc

    # -- writing ------------------------------------------------------------------------

    @property
    def partition(self) -> int:
        """The partition value: 12 minus the company prefix digits."""
        return 12 - len(self.company_prefix)

    def _components(self) -> str:
        scheme = SCHEMES[self.scheme]
        reference, tail = self.reference, self.serial
        if scheme.reference_field is Field.STRING:
            reference = uri.escape(reference)
        if tail is not None and scheme.tail_field is Field.STRING:
            tail = uri.escape(tail)
        parts = f"{self.company_prefix}.{reference}"
        return parts if tail is None else f"{parts}.{tail}"

    @property
    def tag_uri(self) -> str:
        """``urn:epc:tag:sgtin-96:3.0614141.812345.6789``"""
        return f"urn:epc:tag:{self.scheme}:{self.filter}.{self._components()}"

    @property
    def pure_identity(self) -> str:
        """``urn:epc:id:sgtin:0614141.812345.6789``"""
        return f"urn:epc:id:{SCHEMES[self.scheme].identity}:{self._components()}"

    def to_int(self) -> int:
        """The binary encoding as an integer of the scheme's bit size."""
        scheme = SCHEMES[self.scheme]
        return binary.pack(scheme, self.filter, scheme.by_prefix_digits[len(self.company_prefix)],
                           self.company_prefix, self.reference, self.serial)

    def to_hex(self) -> str:
        """Upper-case hex, padded with zero bits to whole 16-bit words (52 digits for 198 bits)."""
        return binary.to_hex(SCHEMES[self.scheme], self.to_int())

    def to_bytes(self) -> bytes:
        """The words to write to the EPC memory bank (after the StoredCRC and PC words)."""
        return bytes.fromhex(self.to_hex())

    def to_digital_link(self, stem: str = GS1_RESOLVER) -> DigitalLink:
        """The GS1 Digital Link of this EPC's key, under ``stem``.

        >>> Epc.from_tag_uri("urn:epc:tag:sgln-96:1.0614141.12345.400").to_digital_link(
        ...     "https://example.com").as_uri()
        'https://example.com/414/0614141123452/254/400'
        """
        key, *qualifiers = self._key_pairs()
        return DigitalLink(stem.rstrip("/"), key, tuple(qualifiers))

    def element_string(self) -> ElementString:
        """The GS1 element string of this EPC's key, e.g. ``(01)80614141123458(21)6789``."""
        return ElementString(self._key_pairs())

    def _key_pairs(self) -> tuple[tuple[str, str], ...]:
        key_ai = SCHEMES[self.scheme].key_ai
        return key_pairs(key_ai, self.company_prefix, self.reference, self.serial)

    # -- GS1 keys and the standard's names for the components ----------------------------

    @property
    def gtin(self) -> Gtin | None:
        """The GTIN-14 of an SGTIN, indicator digit first, with its check digit."""
        return Gtin(self._key_pairs()[0][1]) if self.scheme.startswith("sgtin") else None

    @property
    def sscc(self) -> Sscc | None:
        """The 18-digit SSCC of an SSCC EPC."""
        return Sscc(self._key_pairs()[0][1]) if self.scheme.startswith("sscc") else None

    @property
    def gln(self) -> Gln | None:
        """The GLN of an SGLN (without its extension)."""
        return Gln(self._key_pairs()[0][1]) if self.scheme.startswith("sgln") else None

    def _named(self, family: str) -> str | None:
        return self.reference if self.scheme.startswith(family) else None

    @property
    def item_reference(self) -> str | None:
        """SGTIN: indicator digit and item reference."""
        return self._named("sgtin")

    @property
    def serial_reference(self) -> str | None:
        """SSCC: extension digit and serial reference."""
        return self._named("sscc")

    @property
    def location_reference(self) -> str | None:
        """SGLN: location reference (empty with a 12-digit company prefix)."""
        return self._named("sgln")

    @property
    def extension(self) -> str | None:
        """SGLN: the GLN extension, ``"0"`` when there is none."""
        return self.serial if self.scheme.startswith("sgln") else None

    @property
    def asset_type(self) -> str | None:
        """GRAI: asset type."""
        return self._named("grai")

    @property
    def asset_reference(self) -> str | None:
        """GIAI: individual asset reference."""
        return self._named("giai")
