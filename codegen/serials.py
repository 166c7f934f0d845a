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
