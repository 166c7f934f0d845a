"""From EPC components to GS1 keys and back (what a Digital Link carries).

An EPC splits a GS1 key at the end of the GS1 Company Prefix and leaves out the check
digit; the key puts the indicator (GTIN) or extension digit (SSCC) *first*:

- SGTIN ``0614141.812345.6789`` -> GTIN ``8`` ``0614141`` ``12345`` + check digit ``8``,
  serial (21) ``6789``;
- SSCC ``0614141.1234567890`` -> ``1`` ``0614141`` ``234567890`` + check digit ``8``;
- SGLN ``0614141.12345.400`` -> GLN ``0614141`` ``12345`` + check digit ``2``, extension
  (254) ``400``; the extension ``0`` means "no extension" and has no AI (254);
- GRAI ``0614141.12345.400`` -> AI (8003) ``0`` ``0614141`` ``12345`` + check digit, serial;
- GIAI ``0614141.12345`` -> AI (8004) ``061414112345``.

Going back needs the company prefix length, which no GS1 key records.

References: GS1 EPC Tag Data Standard 2.x, section 7 (correspondence between EPCs and GS1
keys: 7.3 SGTIN, 7.4 SSCC, 7.5 SGLN, 7.6 GRAI, 7.7 GIAI).
"""

from __future__ import annotations

from trace.errors import IdentifierError
from trace.identifiers.check_digit import compute_check_digit
from trace.identifiers.digital_link import DigitalLink

__all__ = ["key_pairs", "split_key"]

_Pairs = tuple[tuple[str, str], ...]


def key_pairs(key_ai: str, company_prefix: str, reference: str, tail: str | None) -> _Pairs:
    """The GS1 key and its qualifier as (AI, value) pairs, key first.

    >>> key_pairs("01", "0614141", "812345", "6789")
    (('01', '80614141123458'), ('21', '6789'))
    """
    if key_ai in ("01", "00"):
        body = reference[:1] + company_prefix + reference[1:]
        pairs: _Pairs = ((key_ai, body + str(compute_check_digit(body))),)
        return pairs + ((("21", tail),) if tail is not None else ())
    if key_ai == "414":
        body = company_prefix + reference
        pairs = ((key_ai, body + str(compute_check_digit(body))),)
        return pairs + ((("254", tail),) if tail is not None and tail != "0" else ())
    if key_ai == "8003":
        body = "0" + company_prefix + reference
        return ((key_ai, body + str(compute_check_digit(body)) + (tail or "")),)
    return ((key_ai, company_prefix + reference),)  # 8004


def split_key(
    key_ai: str, link: DigitalLink, prefix_length: int, *, what: str
) -> tuple[str, str, str | None]:
    """(company prefix, reference, tail) for the EPC of ``link``'s key; ``what`` names the scheme.

    Only the key and its serial (or GLN extension) are read: a lot (10), CPV (22) or query
    attributes have no place in these EPC schemes and are left behind.
    """
    found, key = link.primary
    if found != key_ai:
        raise IdentifierError(
            f"{what} encodes a GS1 key AI ({key_ai}), found AI ({found}) in the Digital Link"
        )
    if key_ai in ("01", "00"):
        last = len(key) - 1  # before the check digit
        tail = link.serial if key_ai == "01" else None
        if key_ai == "01" and tail is None:
            raise IdentifierError(f"{what} needs a serial, AI (21); the Digital Link has none")
        return key[1 : 1 + prefix_length], key[0] + key[1 + prefix_length : last], tail
    if key_ai == "414":
        return key[:prefix_length], key[prefix_length:12], link.get("254") or "0"
    if key_ai == "8003":
        if key[0] != "0":
            raise IdentifierError(
                f"{what} encodes a GRAI whose first digit is 0, found {key[0]!r} in {key!r}"
            )
        if len(key) == 14:
            raise IdentifierError(f"{what} needs a GRAI with a serial, found {key!r} without one")
        return key[1 : 1 + prefix_length], key[1 + prefix_length : 13], key[14:]
    if len(key) <= prefix_length:
        raise IdentifierError(
            f"{what} needs an asset reference after a {prefix_length}-digit company prefix,"
            f" found {key!r}"
        )
    return key[:prefix_length], key[prefix_length:], None
