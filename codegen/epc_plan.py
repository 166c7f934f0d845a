"""RFID encoding plans: what an encoder writes into each UHF tag of a minted lot.

One JSON object per line and per unit::

    {"serial": "123456", "gtin": "09506000134352", "lot": "LOT-2026/11",
     "epc_scheme": "sgtin-96", "epc_hex": "30364433400D1EC00001E240",
     "epc_tag_uri": "urn:epc:tag:sgtin-96:1.9506000.013435.123456",
     "user_memory": "https://id.acme.example/01/…?8030=…", "user_memory_bytes": 167,
     "lock": "epc:permalock user:permalock access-password:lock kill-password:lock"}

The EPC bank gets SGTIN-96 when the serial fits it (decimal, no leading zero, < 2^38),
SGTIN-198 otherwise (up to 20 alphanumeric characters). Filter value 1: a point-of-sale
trade item. User memory gets the signed GS1 Digital Link as raw UTF-8 (not ISO/IEC 15962
packed objects), but only when the chip has room: ``user_memory_bits`` is an assumption
about the chip the line encodes, not something a plan can know. Common chips: Impinj M730
and M750 hold 0 / 32 bits (no URL), Impinj Monza 4QT 512 bits (64 bytes — too small for a
signed URL of ~170 bytes), NXP UCODE 7xm-2k 2,048 bits (256 bytes: fits), NXP UCODE DNA
3,072 bits. The default is 2,048 bits (UCODE 7xm-2k); when the URL does not fit,
``user_memory`` is null and the EPC alone identifies the item (the signature is then
checked online from the stored unit).

Lock recommendation: permalock the EPC bank (and user memory when written) so the identity
cannot be rewritten in the field, and lock the access and kill passwords (each tag gets its
own random access password from the encoder: never a shared one).

References: GS1 EPC Tag Data Standard 2.x §14.5.1 (SGTIN-96), §14.5.1.2 (SGTIN-198), Table
10-1 (filter values); GS1 EPC UHF Gen2 Air Interface Protocol §6.3.2.11.3 (Lock).
"""

from __future__ import annotations

import json
from typing import TextIO

from codegen.label import LabelCode
from trace.errors import IdentifierError, InvalidInput
from trace.identifiers.epc import Epc

DEFAULT_USER_MEMORY_BITS = 2048
POS_TRADE_ITEM_FILTER = 1
_SGTIN96_SERIAL_LIMIT = 2 ** 38
_LOCK_EPC_ONLY = "epc:permalock access-password:lock kill-password:lock"
_LOCK_WITH_USER = "epc:permalock user:permalock access-password:lock kill-password:lock"


def sgtin_scheme(serial: str) -> str:
    """``sgtin-96`` when ``serial`` fits 38 bits without a leading zero, else ``sgtin-198``.

    >>> sgtin_scheme("274877906943"), sgtin_scheme("274877906944"), sgtin_scheme("0123")
    ('sgtin-96', 'sgtin-198', 'sgtin-198')
    """
    fits = serial.isdigit() and serial.isascii() and (serial == "0" or serial[0] != "0")
    return "sgtin-96" if fits and int(serial) < _SGTIN96_SERIAL_LIMIT else "sgtin-198"


def sgtin_epc(gtin: str, serial: str, *, company_prefix_length: int, scheme: str | None = None) -> Epc:
    """The SGTIN EPC (filter 1) of a GTIN-14 and serial."""
    prefix = gtin[1:1 + company_prefix_length]
    reference = gtin[0] + gtin[1 + company_prefix_length:13]
    return Epc(scheme=scheme or sgtin_scheme(serial), filter=POS_TRADE_ITEM_FILTER,
               company_prefix=prefix, reference=reference, serial=serial)


class EpcPlanWriter:
    """Writes one plan row (JSON line) per :meth:`write` to a text stream you own."""

    def __init__(self, stream: TextIO, *, company_prefix_length: int | None,
                 user_memory_bits: int = DEFAULT_USER_MEMORY_BITS) -> None:
        if company_prefix_length is None:
            raise InvalidInput("cannot plan EPC encodings: the brand has no GS1 Company Prefix length;"
                               " expected 6 to 12 (set it on the brand)")
        if user_memory_bits < 0:
            raise ValueError(f"user_memory_bits must be >= 0, got {user_memory_bits}")
        self._stream = stream
        self._prefix_length = company_prefix_length
        self._user_bytes = user_memory_bits // 8

    def row(self, code: LabelCode) -> dict[str, object]:
        """The plan of one unit (the dictionary serialised as its JSON line)."""
        try:
            epc = sgtin_epc(code.gtin, code.serial, company_prefix_length=self._prefix_length)
        except IdentifierError as exc:
            raise InvalidInput(f"cannot encode serial {code.serial!r} of GTIN {code.gtin} as an EPC: {exc}") from exc
        url_bytes = len(code.url.encode("utf-8"))
        fits = url_bytes <= self._user_bytes
        return {"serial": code.serial, "gtin": code.gtin, "lot": code.lot, "epc_scheme": epc.scheme,
                "epc_hex": epc.to_hex(), "epc_tag_uri": epc.tag_uri,
                "user_memory": code.url if fits else None, "user_memory_bytes": url_bytes if fits else 0,
                "lock": _LOCK_WITH_USER if fits else _LOCK_EPC_ONLY}

    def write(self, code: LabelCode) -> None:
        """Append the plan row of ``code``."""
        self._stream.write(json.dumps(self.row(code), separators=(", ", ": ")) + "\n")

    def close(self) -> None:
        """Flush the stream (it stays open)."""
        self._stream.flush()
