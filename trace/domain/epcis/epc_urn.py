"""EPC pure identity URNs as EPCIS carries them, and the GS1 keys (AI, value) they stand for.

An EPC URN writes a GS1 key split at the GS1 Company Prefix, without its check digit:
``urn:epc:id:sgtin:0614141.107346.2017`` is GTIN ``10614141073464`` (indicator digit ``1``
moved to the front, check digit ``4`` added) with serial ``2017``. Going from URN to key
needs nothing else; going back needs the company prefix length, which the URN's dot
records and the key does not.

Only what EPCIS events need is here (no binary tag encodings): the GS1 schemes below,
the class-level ``lgtin`` and the ``idpat:sgtin:…​.*`` pattern of a whole GTIN.

References: GS1 EPC Tag Data Standard 2.x, sections 6 (EPC URIs, pattern URIs) and 7
(correspondence between EPCs and GS1 keys), appendix A (characters of URI components).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from trace.errors import IdentifierError
from trace.identifiers import application_identifier, compute_check_digit

__all__ = ["GS1_SCHEMES", "ais_from_epc_urn", "epc_urn_from_ais", "plain_sgtin"]

_Pairs = tuple[tuple[str, str], ...]

# TDS appendix A: characters allowed in an EPC URI component; a few more travel %-escaped.
_COMPONENT = re.compile(r"(?:[A-Za-z0-9\-_.,:;=!'()*+]|%[0-9A-Fa-f]{2})+")
_ESCAPED = {char: f"%{ord(char):02X}" for char in '"%&/<>?'}
_DIGITS = re.compile(r"[0-9]+")
# The SGTIN most events are made of, when nothing in it needs more than this to be valid:
# digits where digits go and a serial of 1-20 unescaped URI component characters (all in
# AI (21)'s character set). Anything else takes the general path below.
_PLAIN_SGTIN = re.compile(r"urn:epc:id:sgtin:([0-9]{6,12})\.([0-9]+)\.([A-Za-z0-9\-_.,:;=!'()*+]{1,20})")


@dataclass(frozen=True, slots=True)
class _Scheme:
    """One EPC scheme: how many dot-separated fields, which are digits, and the key they make."""

    fields: tuple[str, ...]
    """Names for messages; the first is always the GS1 Company Prefix."""
    key_digits: int | None
    """Digits of company prefix + second field together (None: the second field is free text)."""
    to_ais: Callable[[list[str]], _Pairs]
    from_ais: Callable[[dict[str, str], int], list[str]]
    """(AI values, company prefix length) -> the URN fields."""


def _check(payload: str) -> str:
    return payload + str(compute_check_digit(payload))


def _indicator_first(cp: str, ref: str) -> str:
    """GTIN-14 / SSCC order: the leading digit of the reference goes before the prefix."""
    return _check(ref[:1] + cp + ref[1:])


# The GTIN of an SGTIN's first two fields: the same few products recur in every event of
# a capture (only the serial changes), so their check digits are computed once.
_sgtin_gtin = functools.lru_cache(maxsize=4096)(_indicator_first)


def _split_indicator_first(key: str, cp_len: int) -> tuple[str, str]:
    body = key[:-1]
    return body[1 : 1 + cp_len], body[:1] + body[1 + cp_len :]


def _split(key: str, cp_len: int) -> tuple[str, str]:
    body = key[:-1]
    return body[:cp_len], body[cp_len:]


GS1_SCHEMES: dict[str, _Scheme] = {
    "id:sgtin": _Scheme(
        ("company prefix", "indicator and item reference", "serial"), 13,
        lambda f: (("01", _indicator_first(f[0], f[1])), ("21", f[2])),
        lambda v, n: [*_split_indicator_first(v["01"], n), v["21"]],
    ),
    "id:sscc": _Scheme(
        ("company prefix", "extension and serial reference"), 17,
        lambda f: (("00", _indicator_first(f[0], f[1])),),
        lambda v, n: list(_split_indicator_first(v["00"], n)),
    ),
    "id:sgln": _Scheme(
        ("company prefix", "location reference", "extension"), 12,
        lambda f: (("414", _check(f[0] + f[1])),) + ((("254", f[2]),) if f[2] != "0" else ()),
        lambda v, n: [*_split(v["414"], n), v.get("254", "0")],
    ),
    "id:pgln": _Scheme(
        ("company prefix", "party reference"), 12,
        lambda f: (("417", _check(f[0] + f[1])),),
        lambda v, n: list(_split(v["417"], n)),
    ),
    "id:grai": _Scheme(
        ("company prefix", "asset type", "serial"), 12,
        lambda f: (("8003", "0" + _check(f[0] + f[1]) + f[2]),),
        lambda v, n: [*_split(v["8003"][1:14], n), v["8003"][14:]],
    ),
    "id:giai": _Scheme(
        ("company prefix", "individual asset reference"), None,
        lambda f: (("8004", f[0] + f[1]),),
        lambda v, n: [v["8004"][:n], v["8004"][n:]],
    ),
    "id:gsrn": _Scheme(
        ("company prefix", "service reference"), 17,
        lambda f: (("8018", _check(f[0] + f[1])),),
        lambda v, n: list(_split(v["8018"], n)),
    ),
    "id:gsrnp": _Scheme(
        ("company prefix", "service reference"), 17,
        lambda f: (("8017", _check(f[0] + f[1])),),
        lambda v, n: list(_split(v["8017"], n)),
    ),
    "id:gdti": _Scheme(
        ("company prefix", "document type", "serial"), 12,
        lambda f: (("253", _check(f[0] + f[1]) + f[2]),),
        lambda v, n: [*_split(v["253"][:13], n), v["253"][13:]],
    ),
    "id:sgcn": _Scheme(
        ("company prefix", "coupon reference", "serial"), 12,
        lambda f: (("255", _check(f[0] + f[1]) + f[2]),),
        lambda v, n: [*_split(v["255"][:13], n), v["255"][13:]],
    ),
    "class:lgtin": _Scheme(
        ("company prefix", "indicator and item reference", "lot"), 13,
        lambda f: (("01", _indicator_first(f[0], f[1])), ("10", f[2])),
        lambda v, n: [*_split_indicator_first(v["01"], n), v["10"]],
    ),
    "idpat:sgtin": _Scheme(
        ("company prefix", "indicator and item reference", "serial"), 13,
        lambda f: (("01", _indicator_first(f[0], f[1])),),
        lambda v, n: [*_split_indicator_first(v["01"], n), "*"],
    ),
}
"""``{kind}:{scheme}`` -> its layout; the URN is ``urn:epc:{kind}:{scheme}:{fields joined by .}``."""

# The AIs each scheme's key is made of, to pick the scheme for a key (epc_urn_from_ais).
_SCHEME_OF_AIS = {
    ("01", "21"): "id:sgtin", ("00",): "id:sscc", ("414",): "id:sgln", ("414", "254"): "id:sgln",
    ("417",): "id:pgln", ("8003",): "id:grai", ("8004",): "id:giai", ("8018",): "id:gsrn",
    ("8017",): "id:gsrnp", ("253",): "id:gdti", ("255",): "id:sgcn", ("01", "10"): "class:lgtin",
    ("01",): "idpat:sgtin",
}


def ais_from_epc_urn(urn: str) -> _Pairs:
    """The GS1 (AI, value) pairs an EPC URN stands for; raise ``IdentifierError`` if malformed.

    >>> ais_from_epc_urn("urn:epc:id:sgtin:0614141.107346.2017")
    (('01', '10614141073464'), ('21', '2017'))
    >>> ais_from_epc_urn("urn:epc:id:sgln:0614141.07346.0")
    (('414', '0614141073467'),)

    References: GS1 EPC Tag Data Standard 2.x, sections 6 and 7.
    """
    plain = plain_sgtin(urn)
    if plain is not None:
        return (("01", plain[0]), ("21", plain[1]))
    parts = urn.split(":", 4)
    if len(parts) != 5 or parts[:2] != ["urn", "epc"]:
        raise IdentifierError(f"invalid EPC URI {urn!r}: expected urn:epc:id|class|idpat:scheme:…")
    kind_scheme = f"{parts[2]}:{parts[3]}"
    scheme = GS1_SCHEMES.get(kind_scheme)
    if scheme is None:
        raise IdentifierError(
            f"invalid EPC URI {urn!r}: unsupported scheme {kind_scheme!r}, expected one of"
            f" {', '.join(GS1_SCHEMES)}"
        )
    fields = parts[4].split(".", len(scheme.fields) - 1)
    try:
        _verify_fields(fields, scheme, pattern=parts[2] == "idpat")
        ais = scheme.to_ais([unquote(field) for field in fields])
        for ai, value in ais:
            application_identifier(ai).verify(value)
    except IdentifierError as exc:
        raise IdentifierError(f"invalid EPC URI {urn!r}: {exc}") from None
    return ais


def plain_sgtin(urn: str) -> tuple[str, str] | None:
    """(GTIN-14, serial) of an SGTIN URN that needs no more checking than one pattern (digits
    where digits go, a serial of unescaped AI (21) characters); None for any other URN, which
    :func:`ais_from_epc_urn` checks field by field.

    >>> plain_sgtin("urn:epc:id:sgtin:0614141.107346.2017")
    ('10614141073464', '2017')
    """
    plain = _PLAIN_SGTIN.fullmatch(urn)
    if plain is None or len(plain[1]) + len(plain[2]) != 13:
        return None
    return _sgtin_gtin(plain[1], plain[2]), plain[3]


def epc_urn_from_ais(ais: _Pairs, *, company_prefix_length: int) -> str:
    """The EPC URN of GS1 (AI, value) pairs, split after ``company_prefix_length`` digits.

    >>> epc_urn_from_ais((("01", "10614141073464"), ("21", "2017")), company_prefix_length=7)
    'urn:epc:id:sgtin:0614141.107346.2017'
    """
    if not 6 <= company_prefix_length <= 12:
        raise ValueError(f"company prefix length must be 6 to 12, got {company_prefix_length}")
    kind_scheme = _SCHEME_OF_AIS.get(tuple(ai for ai, _ in ais))
    if kind_scheme is None:
        raise IdentifierError(
            f"no EPC URI for GS1 key AIs {', '.join(ai for ai, _ in ais)}: expected one of the"
            " combinations of an SGTIN, SSCC, SGLN, PGLN, GRAI, GIAI, GSRN, GSRNP, GDTI, SGCN or LGTIN"
        )
    fields = GS1_SCHEMES[kind_scheme].from_ais(dict(ais), company_prefix_length)
    return f"urn:epc:{kind_scheme}:" + ".".join(_escape(field) for field in fields)


def _verify_fields(fields: list[str], scheme: _Scheme, *, pattern: bool) -> None:
    names = scheme.fields
    if len(fields) != len(names) or not all(fields):
        raise IdentifierError(
            f"expected {len(names)} dot-separated fields ({', '.join(names)}), found"
            f" {len([field for field in fields if field])}"
        )
    if pattern and fields[-1] != "*":
        raise IdentifierError("expected a pattern ending in '.*' (a whole GTIN)")
    for name, field in zip(names, fields[:-1] if pattern else fields):
        if _COMPONENT.fullmatch(field) is None:
            raise IdentifierError(f"invalid {name} {field!r}: expected URI component characters")
    company_prefix, second = fields[0], fields[1]
    if _DIGITS.fullmatch(company_prefix) is None or not 6 <= len(company_prefix) <= 12:
        raise IdentifierError(f"invalid company prefix {company_prefix!r}: expected 6 to 12 digits")
    if scheme.key_digits is not None:
        if _DIGITS.fullmatch(second) is None:
            raise IdentifierError(f"invalid {names[1]} {second!r}: expected digits")
        if len(company_prefix) + len(second) != scheme.key_digits:
            raise IdentifierError(
                f"expected company prefix and {names[1]} to have {scheme.key_digits} digits"
                f" together, found {len(company_prefix) + len(second)}"
            )


def _escape(field: str) -> str:
    return "".join(_ESCAPED.get(char, char) for char in field)
