"""GS1 Digital Link URIs: a GS1 key and its data as an ordinary web address.

``{stem}/{primary key AI}/{value}[/{qualifier AI}/{value}…][?{AI}={value}&…]``

- the stem is the scheme, the host and an optional path prefix chosen by the brand;
- the primary key (e.g. AI 01, GTIN) and its key qualifiers (for AI 01: 22, 10, 21, in that
  order, or 235) sit in the path;
- other GS1 data (expiry, weight, the AI 8030 digital signature…) are "data attributes" in
  the query, next to any non-GS1 parameters, which are kept;
- values are percent-encoded; everything outside the RFC 3986 unreserved set is encoded
  when Tracemark writes a URI.

References: GS1 Digital Link: URI Syntax, release 1.x (sections 4–6); GS1 Barcode Syntax
Dictionary (primary keys, qualifier sequences, data attributes); RFC 3986.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, unquote

from trace.errors import IdentifierError
from trace.identifiers.application_identifiers import (
    PRIMARY_KEYS,
    application_identifier,
    is_known_ai,
    verify_signature_association,
)
from trace.identifiers.element_string import ElementString, fnc1_element_string
from trace.identifiers.gtin import Gtin

__all__ = ["DigitalLink"]

# RFC 3986 reserved + unreserved characters and "%": anything else is illegal in a URI.
_URI_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")
# Scheme in lower or upper case (mixed case is refused, as GS1's reference parser does).
_SCHEME = re.compile(r"(https?|HTTPS?)://")
# Characters GS1's reference parser refuses in the authority; "@" also rules out userinfo
# tricks such as https://id.gs1.org@evil.example/.
_BAD_AUTHORITY = re.compile(r"[_~?#@!$&'()*+,;=%]")
_PCHAR = r"[A-Za-z0-9\-._~!$&'()*+,;=:@%]"  # RFC 3986 path characters, "/" excluded
_STEM = re.compile(rf"https?://[A-Za-z0-9\-.:\[\]]+(?:/(?:{_PCHAR}+/)*{_PCHAR}+)?")
_UNRESERVED = re.compile(r"[A-Za-z0-9\-._~]*")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")

_Pairs = tuple[tuple[str, str], ...]
# Every AI that may qualify each primary key, whichever sequence it belongs to.
_ALL_QUALIFIERS = {
    key: frozenset(ai for alternative in alternatives for ai in alternative)
    for key, alternatives in PRIMARY_KEYS.items()
}


@dataclass(frozen=True, slots=True)
class DigitalLink:
    """A valid GS1 Digital Link URI, taken apart.

    Every way of making one (:meth:`parse`, :meth:`build`, :meth:`from_element_string` or
    the constructor) validates it: if the object exists, every value is valid for its AI,
    the qualifiers are legal and in order, no AI appears twice and any AI (8030) signature
    sits next to a key that names a single instance.

    >>> dl = DigitalLink.parse("https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426")
    >>> dl.element_string()
    '^010952012345678810ABC1^2112345^17180426'
    >>> dl.lot, dl.serial
    ('ABC1', '12345')
    """

    stem: str
    primary: tuple[str, str]
    qualifiers: _Pairs = ()
    attributes: _Pairs = ()
    extra_query: _Pairs = ()

    def __post_init__(self) -> None:
        if not _STEM.fullmatch(self.stem):
            raise IdentifierError(
                f"invalid Digital Link stem {self.stem!r}: expected http(s)://host[/path]"
                " without a trailing '/', query or fragment"
            )
        key, key_value = self.primary
        alternatives = PRIMARY_KEYS.get(key)
        if alternatives is None:
            raise IdentifierError(
                f"invalid Digital Link primary key AI ({key}): expected one of"
                f" {', '.join(PRIMARY_KEYS)}"
            )
        application_identifier(key).verify(key_value)
        _verify_qualifiers(key, alternatives, self.qualifiers)
        seen = {key}
        for ai, value in self.qualifiers:
            if ai in seen:
                raise IdentifierError(f"invalid Digital Link: AI ({ai}) appears twice")
            seen.add(ai)
            application_identifier(ai).verify(value)
        key_qualifiers = _ALL_QUALIFIERS[key]
        for ai, value in self.attributes:
            if ai in key_qualifiers:
                raise IdentifierError(
                    f"invalid data attribute AI ({ai}): it is a key qualifier of AI ({key}),"
                    " expected in the URI path, found in the query"
                )
            entry = application_identifier(ai)
            if not entry.data_attribute:
                raise IdentifierError(
                    f"invalid data attribute AI ({ai}): expected an AI that GS1 allows in"
                    f" a Digital Link query, found {entry.title}"
                )
            if ai in seen:
                raise IdentifierError(f"invalid Digital Link: AI ({ai}) appears twice")
            seen.add(ai)
            entry.verify(value)
        for name, _ in self.extra_query:
            if name.isdigit():
                raise IdentifierError(
                    f"invalid Digital Link query parameter {name!r}: expected a non-numeric"
                    " name (numeric names are AIs)"
                )
        verify_signature_association(seen)

    @classmethod
    def parse(cls, uri: str) -> DigitalLink:
        """Parse a GS1 Digital Link URI (custom domains and path prefixes allowed).

        The primary key is the rightmost path segment naming a primary-key AI such that
        only AI/value pairs follow it; everything before it is the stem. An AI (01) value
        may be written as GTIN-8, -12 or -13 and is normalised to 14 digits. A fragment is
        ignored. Raises ``IdentifierError`` naming the URI and the first problem found.

        References: GS1 Digital Link: URI Syntax 1.x, sections 4 and 6 (decoding).
        """
        if not isinstance(uri, str):
            raise TypeError(f"Digital Link URI must be a str, got {type(uri).__name__}")
        try:
            return cls._parse(uri)
        except IdentifierError as exc:
            raise IdentifierError(f"invalid Digital Link URI {uri!r}: {exc}") from exc

    @classmethod
    def _parse(cls, uri: str) -> DigitalLink:
        end = _URI_CHARACTERS.match(uri).end()  # type: ignore[union-attr]
        if end != len(uri):
            raise IdentifierError(
                f"expected only URI characters (RFC 3986), found {uri[end]!r} at position {end + 1}"
            )
        scheme = _SCHEME.match(uri)
        if scheme is None:
            raise IdentifierError(f"expected scheme http:// or https://, found {uri[:8]!r}")
        rest, _, _fragment = uri[scheme.end() :].partition("#")
        rest, has_query, query = rest.partition("?")
        authority, slash, path = rest.partition("/")
        if not authority or not slash:
            raise IdentifierError("expected a host followed by a path, found none")
        bad = _BAD_AUTHORITY.search(authority)
        if bad:
            raise IdentifierError(f"expected a host name, found {bad.group()!r} in {authority!r}")
        if path.endswith("/"):
            raise IdentifierError("expected the path to end with an AI value, found a trailing '/'")
        segments = path.split("/")
        key_index = _find_primary_key(segments)
        stem = "/".join([f"{scheme.group(1).lower()}://{authority}", *segments[:key_index]])
        pairs = [
            _decoded_pair(segments[index], segments[index + 1], in_query=False)
            for index in range(key_index, len(segments), 2)
        ]
        attributes: list[tuple[str, str]] = []
        extra: list[tuple[str, str]] = []
        for parameter in query.split("&") if has_query else ():
            if not parameter:
                continue  # "?", "&&": empty parameters carry nothing
            name, _, raw = parameter.partition("=")
            if name.isdigit():
                if not is_known_ai(name):
                    raise IdentifierError(
                        f"expected numeric query parameters to be known AIs, found {name!r}"
                    )
                attributes.append(_decoded_pair(name, raw, in_query=True))
            else:
                extra.append((_decode(name, in_query=True), _decode(raw, in_query=True)))
        return cls(stem, pairs[0], tuple(pairs[1:]), tuple(attributes), tuple(extra))

    @classmethod
    def build(
        cls,
        *,
        stem: str,
        gtin: Gtin | str,
        lot: str | None = None,
        serial: str | None = None,
        attributes: Iterable[tuple[str, str]] = (),
    ) -> DigitalLink:
        """The common case: a GTIN with optional lot (AI 10), serial (AI 21) and attributes.

        >>> DigitalLink.build(stem="https://id.example.com/", gtin="9520123456788",
        ...                   lot="L1", serial="S/1").as_uri()
        'https://id.example.com/01/09520123456788/10/L1/21/S%2F1'
        """
        key = gtin.value if isinstance(gtin, Gtin) else Gtin.parse(gtin).value
        qualifiers: list[tuple[str, str]] = []
        if lot is not None:
            qualifiers.append(("10", lot))
        if serial is not None:
            qualifiers.append(("21", serial))
        return cls(stem.rstrip("/"), ("01", key), tuple(qualifiers), tuple(attributes))

    @classmethod
    def from_element_string(cls, text: str, stem: str) -> DigitalLink:
        """Turn an element string (bracketed or FNC1 form) into a Digital Link.

        The primary key goes first and its qualifiers follow in standard order; every
        other AI becomes a query attribute, in the order given. When several primary keys
        are present, the one with most qualifiers present wins (the first on a tie).

        References: GS1 Digital Link: URI Syntax 1.x, section 6 (element string to URI).
        """
        data = ElementString.parse(text)
        present = {ai for ai, _ in data.ais}
        candidates = [
            (sum(q in present for q in alternative), ai, alternative)
            for ai, _ in data.ais
            if ai in PRIMARY_KEYS
            for alternative in PRIMARY_KEYS[ai] or ((),)
        ]
        if not candidates:
            raise IdentifierError(
                f"invalid element string {text!r} for a Digital Link: expected a primary"
                f" key ({', '.join(PRIMARY_KEYS)}), found none"
            )
        _, key, alternative = max(candidates, key=lambda candidate: candidate[0])  # first wins ties
        values = dict(data.ais)
        qualifiers = tuple((q, values[q]) for q in alternative if q in present)
        in_path = {key, *alternative}
        attributes = tuple(pair for pair in data.ais if pair[0] not in in_path)
        return cls(stem.rstrip("/"), (key, values[key]), qualifiers, attributes)

    @property
    def ais(self) -> _Pairs:
        """All GS1 data in order: primary key, qualifiers, then query attributes."""
        return (self.primary, *self.qualifiers, *self.attributes)

    def get(self, ai: str) -> str | None:
        """The value of ``ai`` wherever it appears, or None."""
        for candidate, value in self.ais:
            if candidate == ai:
                return value
        return None

    @property
    def gtin(self) -> Gtin | None:
        """The AI (01) GTIN, if present."""
        value = self.get("01")
        return None if value is None else Gtin(value)

    @property
    def lot(self) -> str | None:
        """AI (10), batch/lot number."""
        return self.get("10")

    @property
    def serial(self) -> str | None:
        """AI (21), serial number."""
        return self.get("21")

    @property
    def signature(self) -> str | None:
        """AI (8030), the digital signature (base64url), if present."""
        return self.get("8030")

    def element_string(self, separator: str = "^") -> str:
        """The FNC1-form element string, ``separator`` standing for FNC1.

        References: GS1 Digital Link: URI Syntax 1.x, section 6; GS1 General
        Specifications, section 5.10.
        """
        return fnc1_element_string(self.ais, separator=separator)

    def as_uri(self) -> str:
        """The canonical URI: stem, path pairs, then attributes and extra parameters.

        References: GS1 Digital Link: URI Syntax 1.x, section 4 (percent-encoding).
        """
        parts = [path_uri(self.stem, (self.primary, *self.qualifiers))]
        query = [f"{ai}={_encode(value)}" for ai, value in self.attributes]
        query += [
            f"{_encode(name)}={_encode(value)}" if value else _encode(name)
            for name, value in self.extra_query
        ]
        if query:
            parts += ("?", "&".join(query))
        return "".join(parts)

    def __str__(self) -> str:
        return self.as_uri()


def path_uri(stem: str, pairs: Iterable[tuple[str, str]]) -> str:
    """``stem`` then ``/{ai}/{value}`` per pair, values percent-encoded as in :meth:`DigitalLink.as_uri`.

    For pairs already known to make a valid Digital Link path (nothing is checked here).
    """
    return stem + "".join(f"/{ai}/{_encode(value)}" for ai, value in pairs)


def _find_primary_key(segments: list[str]) -> int:
    """Index of the primary-key AI segment, scanning AI/value pairs back from the end."""
    index = len(segments) - 2
    while index >= 0 and is_known_ai(segments[index]):
        if segments[index] in PRIMARY_KEYS:
            return index
        index -= 2
    raise IdentifierError(
        f"expected a path ending in a primary key ({', '.join(PRIMARY_KEYS)}) followed by"
        f" its value and qualifiers, found '/{'/'.join(segments)}'"
    )


def _verify_qualifiers(
    key: str, alternatives: tuple[tuple[str, ...], ...], qualifiers: _Pairs
) -> None:
    """Raise unless the qualifier AIs follow one of ``key``'s sequences, in its order."""
    if not qualifiers:
        return
    names = [ai for ai, _ in qualifiers]
    for alternative in alternatives:
        if set(names) <= set(alternative):
            for before, after in zip(names, names[1:]):
                if before == after:
                    raise IdentifierError(f"invalid Digital Link: AI ({before}) appears twice")
                if alternative.index(before) > alternative.index(after):
                    raise IdentifierError(
                        f"invalid key qualifiers of AI ({key}): expected the order"
                        f" {', '.join(alternative)}, found {after} after {before}"
                    )
            return
    allowed = " or ".join(f"({', '.join(alternative)})" for alternative in alternatives)
    raise IdentifierError(
        f"invalid key qualifiers of AI ({key}): expected "
        + (f"qualifiers from {allowed}" if allowed else "none")
        + f", found {', '.join(names)}"
    )


def _decoded_pair(ai: str, raw: str, *, in_query: bool) -> tuple[str, str]:
    """Decode one AI value; an AI (01) value may be a GTIN-8/12/13 and becomes 14 digits."""
    if not raw:
        raise IdentifierError(f"expected a value for AI ({ai}), found none")
    value = _decode(raw, in_query=in_query)
    if ai == "01":
        value = Gtin.parse(value).value
    return ai, value


def _decode(raw: str, *, in_query: bool) -> str:
    """Undo percent-encoding; in the query, ``+`` also means a space (as in HTML forms)."""
    bad = _BAD_PERCENT.search(raw)
    if bad:
        raise IdentifierError(
            f"expected '%' followed by two hex digits, found {raw[bad.start():bad.start() + 3]!r}"
            f" in {raw!r}"
        )
    if in_query:
        raw = raw.replace("+", " ")
    if "%" not in raw:
        return raw
    try:
        return unquote(raw, errors="strict")
    except UnicodeDecodeError:
        raise IdentifierError(f"expected percent-encoded UTF-8, found {raw!r}") from None


def _encode(value: str) -> str:
    """Percent-encode everything outside the RFC 3986 unreserved set (fast when nothing is)."""
    if (value.isalnum() and value.isascii()) or _UNRESERVED.fullmatch(value):
        return value
    return quote(value, safe="")
