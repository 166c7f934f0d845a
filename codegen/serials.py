"""Serial numbers for AI 21 that nobody can guess.

A random serial of 13 characters over a 32-character alphabet carries 65 bits: guessing a
valid one is far harder than the EU Falsified Medicines Directive's 1-in-10,000 rule asks,
and collisions within one GTIN are rare enough that redrawing them costs nothing. The
alphabet is Crockford's base32 (digits and capitals without I, L, O, U), every character of
which is in GS1 CSET 82 and hard to misread on a label.

References: GS1 General Specifications §3.2 (AI 21, CSET 82); Commission Delegated
Regulation (EU) 2016/161 Art. 4(b) (randomisation of serial numbers).
"""

from __future__ import annotations

import base64
import os

SERIAL_LENGTH = 13
SERIAL_BITS = SERIAL_LENGTH * 5
_RFC4648 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_CROCKFORD = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TO_CROCKFORD = bytes.maketrans(_RFC4648, _CROCKFORD)


def random_serials(count: int) -> list[str]:
    """``count`` independent random serials of 65 bits each, from the OS CSPRNG."""
    if count <= 0:
        return []
    # 10 random bytes encode to 16 base32 characters; the first 13 carry 65 uniform bits.
    encoded = base64.b32encode(os.urandom(10 * count)).translate(_TO_CROCKFORD).decode("ascii")
    return [encoded[i:i + SERIAL_LENGTH] for i in range(0, 16 * count, 16)]


SGTIN96_SERIAL_BITS = 38


def numeric_serials(count: int) -> list[str]:
    """``count`` random decimal serials below 2^38 that fit an SGTIN-96 EPC.

    SGTIN-96 holds the serial as a 38-bit integer, so a serial that must survive the round
    trip through the tag has no leading zero and is below 2^38 (274,877,906,944). Drawing
    uniformly from 1 … 2^38 − 1 gives 38 bits of randomness, *fewer* than the ≥ 60 bits of
    :func:`random_serials`: a guesser who knows the GTIN hits a valid serial with
    probability (serials minted) / 2^38, so the EU FMD 1-in-10,000 bound holds only while a
    GTIN has fewer than ~27 million numeric serials in circulation. Brands that need more,
    or the full 65 bits, mint alphanumeric serials and encode SGTIN-198 instead.

    >>> all(s.isdigit() and s[0] != "0" and int(s) < 2**38 for s in numeric_serials(100))
    True

    References: GS1 EPC Tag Data Standard 2.x §14.5.1 (SGTIN-96: 38-bit serial, no
    leading zeros); Commission Delegated Regulation (EU) 2016/161 Art. 4(b).
    """
    if count <= 0:
        return []
    raw = os.urandom(5 * count)  # 40 bits each, reduced to 38
    serials = []
    for i in range(0, 5 * count, 5):
        value = int.from_bytes(raw[i:i + 5], "big") >> 2
        serials.append(str(value or 1))  # 0 would be "0": a one-in-2^38 draw, remapped
    return serials


SERIAL_STRATEGIES = {"random": random_serials, "numeric": numeric_serials}
