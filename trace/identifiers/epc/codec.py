"""One-call encoding and decoding: any URI form in, hex out; hex in, every form out.

References: GS1 EPC Tag Data Standard 2.x, sections 14.3 (encoding) and 14.4 (decoding).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from trace.errors import IdentifierError
from trace.identifiers.epc.uri import PURE_IDENTITY_PREFIX, TAG_URI_PREFIX
from trace.identifiers.epc.value import GS1_RESOLVER, Epc

__all__ = ["DecodedEpc", "decode", "encode"]


def encode(
    uri: str,
    *,
    scheme: str | None = None,
    filter: int | None = None,  # noqa: A002
    company_prefix_length: int | None = None,
) -> str:
    """Encode an EPC tag URI, pure identity URI or GS1 Digital Link URI as upper-case hex.

    A tag URI carries its own scheme and filter: ``scheme`` and ``filter``, if given, must
    match it. A pure identity URI needs both; a Digital Link also needs the company prefix
    length. Whenever ``company_prefix_length`` is given it must match the URI.

    >>> encode("urn:epc:id:sgtin:0614141.812345.6789", scheme="sgtin-96", filter=3)
    '3074257BF7194E4000001A85'
    >>> encode("https://id.gs1.org/00/106141412345678908", scheme="sscc-96", filter=2,
    ...        company_prefix_length=7)
    '3154257BF4499602D2000000'
    """
    if not isinstance(uri, str):
        raise TypeError(f"EPC URI must be a str, got {type(uri).__name__}")
    if uri.startswith(PURE_IDENTITY_PREFIX):
        if scheme is None or filter is None:
            _missing(uri, scheme=scheme, filter=filter)
        epc = Epc.from_pure_identity(uri, scheme=scheme, filter=filter)
    elif uri.startswith(TAG_URI_PREFIX):
        epc = Epc.from_tag_uri(uri)
        for name, asked, found in (("scheme", scheme, epc.scheme), ("filter", filter, epc.filter)):
            if asked is not None and asked != found:
                raise IdentifierError(
                    f"invalid EPC tag URI {uri!r} for {name} {asked}: the URI says {found}"
                )
    elif uri.lower().startswith(("https://", "http://")):
        if scheme is None or filter is None or company_prefix_length is None:
            _missing(uri, scheme=scheme, filter=filter, company_prefix_length=company_prefix_length)
        return Epc.from_digital_link(
            uri, scheme=scheme, filter=filter, company_prefix_length=company_prefix_length
        ).to_hex()
    else:
        raise IdentifierError(
            f"invalid EPC URI {uri!r}: expected an EPC tag URI ({TAG_URI_PREFIX}…), a pure"
            f" identity URI ({PURE_IDENTITY_PREFIX}…) or a GS1 Digital Link (https://…)"
        )
    if company_prefix_length is not None and company_prefix_length != len(epc.company_prefix):
        raise IdentifierError(
            f"invalid EPC URI {uri!r} for company prefix length {company_prefix_length}:"
            f" its company prefix {epc.company_prefix!r} has {len(epc.company_prefix)} digits"
        )
    return epc.to_hex()


def _missing(uri: str, **options: object) -> NoReturn:
    """Raise an error naming the options that are None and that ``uri`` does not imply."""
    missing = [name for name, value in options.items() if value is None]
    raise IdentifierError(
        f"cannot encode {uri!r}: it does not say its {' or '.join(missing)};"
        f" expected {' and '.join(missing)} to be given"
    )


@dataclass(frozen=True, slots=True)
class DecodedEpc:
    """Every form of a decoded EPC."""

    scheme: str
    filter: int
    tag_uri: str
    pure_identity: str
    digital_link: str
    epc: Epc


def decode(hex_text: str, *, stem: str = GS1_RESOLVER) -> DecodedEpc:
    """Decode an EPC binary encoding given as hex (trailing zero padding accepted).

    >>> decode("3154257BF4499602D2000000").digital_link
    'https://id.gs1.org/00/106141412345678908'
    """
    epc = Epc.from_hex(hex_text)
    return DecodedEpc(
        scheme=epc.scheme,
        filter=epc.filter,
        tag_uri=epc.tag_uri,
        pure_identity=epc.pure_identity,
        digital_link=epc.to_digital_link(stem).as_uri(),
        epc=epc,
    )
