"""EPC URIs: the pure identity URI and the tag URI, taken apart and written.

- pure identity URI: ``urn:epc:id:sgtin:0614141.812345.6789`` — what the thing *is*;
- tag URI: ``urn:epc:tag:sgtin-96:3.0614141.812345.6789`` — also how it is written on a tag
  (scheme and size, then the filter value as the first component).

Alphanumeric components (SGTIN-198 serials, SGLN-195 extensions…) may hold any of the 82
GS1 characters; the seven that have a meaning in URIs are %-escaped (TDS table A-1):
``"`` ``%`` ``&`` ``/`` ``<`` ``>`` ``?``. A reader accepts any ``%`` escape whose two hex
digits name one of the 82 characters, in either case.

References: GS1 EPC Tag Data Standard 2.x, sections 6.3 (pure identity URIs), 12.3 (tag
URIs), 5 (URI grammar, ``GS3A3Component``) and annex A (character set).
"""

from __future__ import annotations

import re

from trace.errors import IdentifierError

__all__ = ["escape", "split_pure_identity", "split_tag_uri", "unescape"]

PURE_IDENTITY_PREFIX = "urn:epc:id:"
TAG_URI_PREFIX = "urn:epc:tag:"

# TDS table A-1: the characters of CSET 82 that a URI must carry as %-escapes.
_ESCAPES = str.maketrans(
    {'"': "%22", "%": "%25", "&": "%26", "/": "%2F", "<": "%3C", ">": "%3E", "?": "%3F"}
)
_MUST_ESCAPE = frozenset('"%&/<>?')
# GS3A3Component: CSET 82 without the seven characters above, or a %-escape.
_COMPONENT = re.compile(r"(?:[0-9A-Za-z!'()*+,\-.:;=_]+|%[0-9A-Fa-f]{2})*")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")


def escape(value: str) -> str:
    """Write an alphanumeric component for a URI.

    >>> escape("32a/b")
    '32a%2Fb'
    """
    return value.translate(_ESCAPES) if _MUST_ESCAPE.intersection(value) else value


def unescape(component: str, *, what: str) -> str:
    """Read an alphanumeric URI component; the caller checks the result against CSET 82.

    >>> unescape("32a%2fb", what="SGTIN-198 serial")
    '32a/b'
    """
    end = _COMPONENT.match(component).end()  # type: ignore[union-attr]
    if end != len(component):
        raise IdentifierError(
            f"invalid {what} {component!r}: expected GS1 characters with"
            ' " % & / < > ? written as %22 %25 %26 %2F %3C %3E %3F,'
            f" found {component[end]!r} at position {end + 1}"
        )
    if "%" not in component:
        return component
    return _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), component)


def split_pure_identity(uri: str, components: dict[str, int]) -> tuple[str, list[str]]:
    """``urn:epc:id:sgtin:a.b.c`` -> ``("sgtin", ["a", "b", "c"])``.

    ``components`` maps each known namespace to its number of components; the last one
    takes the rest, dots included (a CSET 82 serial may hold dots).
    """
    if not uri.startswith(PURE_IDENTITY_PREFIX):
        raise IdentifierError(f"expected a URI starting with {PURE_IDENTITY_PREFIX!r}")
    namespace, colon, body = uri[len(PURE_IDENTITY_PREFIX) :].partition(":")
    count = components.get(namespace)
    if count is None or not colon:
        raise IdentifierError(
            f"expected one of the namespaces {', '.join(sorted(components))}"
            f" after {PURE_IDENTITY_PREFIX!r}, found {namespace!r}"
        )
    return namespace, _split(body, count, f"{PURE_IDENTITY_PREFIX}{namespace}")


def split_tag_uri(uri: str, components: dict[str, int]) -> tuple[str, str, list[str]]:
    """``urn:epc:tag:sgtin-96:3.a.b.c`` -> ``("sgtin-96", "3", ["a", "b", "c"])``."""
    if not uri.startswith(TAG_URI_PREFIX):
        raise IdentifierError(f"expected a URI starting with {TAG_URI_PREFIX!r}")
    scheme, colon, body = uri[len(TAG_URI_PREFIX) :].partition(":")
    count = components.get(scheme)
    if count is None or not colon:
        raise IdentifierError(
            f"expected one of the schemes {', '.join(components)} after {TAG_URI_PREFIX!r},"
            f" found {scheme!r}"
        )
    filter_value, *parts = _split(body, count + 1, f"{TAG_URI_PREFIX}{scheme}")
    return scheme, filter_value, parts


def _split(body: str, count: int, where: str) -> list[str]:
    parts = body.split(".", count - 1)
    if len(parts) != count:
        raise IdentifierError(
            f"expected {count} dot-separated components after {where}:, found {len(parts)}"
        )
    return parts
