"""What a carrier renderer receives for one minted item, and the text printed beside it.

The minting job builds one :class:`LabelCode` per item (the URL is already signed) and
hands it to a writer from :mod:`codegen.writers`. Renderers only lay the values out;
they never parse or re-sign the URL.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True, slots=True)
class LabelCode:
    """One minted item as it goes onto a label.

    ``url`` is the signed GS1 Digital Link URI that the QR code carries, e.g.
    ``https://brand.example/01/09520123456788/10/LOT1/21/7QK3M9XH2D4PA?8030=…``.

    References: GS1 Digital Link URI Syntax; GS1 General Specifications, Application
    Identifiers 01 (GTIN), 10 (batch/lot), 21 (serial), 17 (expiration date).
    """

    url: str
    gtin: str
    lot: str
    serial: str
    expires: datetime.date | None = None


def human_readable_lines(code: LabelCode) -> tuple[str, ...]:
    """Return the text lines printed next to the QR code, top to bottom.

    The expiry line is left out when the item has no expiry date.

    >>> human_readable_lines(LabelCode("https://b.example/01/09520123456788/10/L1/21/S1",
    ...                                "09520123456788", "L1", "S1", datetime.date(2027, 3, 1)))
    ('GTIN 09520123456788', 'LOT L1', 'SN S1', 'EXP 2027-03-01')
    """
    lines = (f"GTIN {code.gtin}", f"LOT {code.lot}", f"SN {code.serial}")
    if code.expires is None:
        return lines
    return (*lines, f"EXP {code.expires.isoformat()}")


def file_stem(code: LabelCode) -> str:
    """Return ``<gtin>_<lot>_<serial>`` made safe as a file or zip-entry name.

    A lot or serial may hold any GS1 CSET 82 character, including ``/``, ``:`` and ``*``,
    which a file system or a zip extractor would read as a path or reject. Every character
    outside ``A-Z a-z 0-9 . - ~`` is percent-encoded (``/`` → ``%2F``, ``_`` → ``%5F``), so
    the name is reversible and two different codes never share a file.

    >>> file_stem(LabelCode("https://b.example/x", "09520123456788", "A/B_1", "S1"))
    '09520123456788_A%2FB%5F1_S1'
    """
    return "_".join(_quote_part(part) for part in (code.gtin, code.lot, code.serial))


def _quote_part(part: str) -> str:
    # quote() never encodes "_", but "_" is the separator between the three parts.
    return quote(part, safe="").replace("_", "%5F")
