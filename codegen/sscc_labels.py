"""Case and pallet labels: one SSCC per label, in ZPL and CSV (images: ``codegen.sscc_images``).

Each label carries the SSCC three ways, plus the tag's EPC:

- a GS1-128 barcode of ``(00)`` + the 18 digits: in ZPL ``^BCN,…,N,N,N`` (no mode, no
  printer-computed check digit: the SSCC already ends in its own) with field data
  ``>;>800…``: ``>;`` is Start Code C (numeric pairs) and ``>8`` is FNC1, which in first
  position makes Code 128 a GS1-128 symbol;
- a QR code of the SSCC's GS1 Digital Link on the brand's resolver, ``<domain>/00/<sscc>``;
- the human-readable line ``(00) 0 9506000 000000001 5`` (extension digit, company prefix,
  serial reference, check digit);
- the SSCC-96 EPC hex to write to an RFID tag on the case or pallet, with the TDS filter
  value of the level: 2 for a case ("full case for transport"), 6 for a pallet ("unit load").

The ZPL label is 4 × 6 in (812 × 1218 dots at 203 dpi); the GS1-128 module is 4 dots
(0.49 mm, the minimum X-dimension for logistic labels) and its bars 264 dots (33 mm) high.

References: ZPL II Programming Guide, ^BC and "Code 128 Invocation Characters" (``>;``
Start Code C, ``>8`` FNC1), its UCC/EAN-128 SSCC example; GS1 General Specifications
§2.2.1, §5.4.4 (GS1-128 symbol dimensions for logistic units); GS1 Logistic Label
Guideline; EPC Tag Data Standard §10 (SSCC filter values) and §14.5.2 (SSCC-96).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, TextIO

from trace.identifiers import Sscc
from trace.identifiers.epc import decode, encode
from trace.services.sscc import SsccAllocation

Level = Literal["case", "pallet"]

# EPC TDS §10 filter values for SSCC (see trace.identifiers.epc.FILTER_VALUES["sscc"]).
FILTER_BY_LEVEL: dict[str, int] = {"case": 2, "pallet": 6}

CSV_COLUMNS = ("sscc", "hri", "digital_link", "epc_hex", "epc_tag_uri")


@dataclass(frozen=True, slots=True)
class SsccLabel:
    """Everything printed or encoded for one logistic unit."""

    sscc: Sscc
    hri: str
    digital_link: str
    epc_hex: str
    epc_tag_uri: str

    @property
    def element_string(self) -> str:
        """The GS1-128 content in bracketed form, ``(00)`` + 18 digits."""
        return self.sscc.as_hri()


def sscc_label(sscc: Sscc, *, domain: str, company_prefix_length: int, level: Level = "case") -> SsccLabel:
    """The label content of ``sscc`` for a brand resolving at ``domain``.

    >>> label = sscc_label(Sscc.parse("095060000000000015"), domain="https://id.acme.example",
    ...                    company_prefix_length=7)
    >>> label.hri, label.digital_link, label.epc_hex
    ('(00) 0 9506000 000000001 5', 'https://id.acme.example/00/095060000000000015', '315644334000000001000000')
    """
    link = f"{domain}/00/{sscc.value}"
    epc_hex = encode(link, scheme="sscc-96", filter=FILTER_BY_LEVEL[level],
                     company_prefix_length=company_prefix_length)
    return SsccLabel(sscc=sscc, hri=sscc.as_grouped_hri(company_prefix_length), digital_link=link,
                     epc_hex=epc_hex, epc_tag_uri=decode(epc_hex).tag_uri)


def labels_of(allocation: SsccAllocation, *, level: Level = "case") -> Iterator[SsccLabel]:
    """The labels of every SSCC of ``allocation``, in order."""
    for sscc in allocation.ssccs:
        yield sscc_label(sscc, domain=allocation.domain, company_prefix_length=allocation.company_prefix_length,
                         level=level)


def zpl_field_data(sscc: Sscc) -> str:
    """The ^BC field data: Start Code C, FNC1, then AI 00 and the 18 digits.

    >>> zpl_field_data(Sscc.parse("095060000000000015"))
    '>;>800095060000000000015'
    """
    return f">;>800{sscc.value}"


def zpl_label(label: SsccLabel) -> str:
    """One 4 × 6 in label (203 dpi, LF line ends) for ``label``."""
    return _template() % (_escape(label.hri), _escape(label.digital_link), label.epc_hex,
                          zpl_field_data(label.sscc), _escape(label.hri))


def write_zpl(labels: Iterator[SsccLabel], stream: TextIO) -> int:
    """Write one ZPL format per label; returns how many."""
    count = 0
    for label in labels:
        stream.write(zpl_label(label))
        count += 1
    return count


def write_csv(labels: Iterator[SsccLabel], stream: TextIO) -> int:
    """Write a header and one CSV row per label (RFC 4180, CRLF); returns how many rows."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for label in labels:
        writer.writerow((label.sscc.value, label.hri, label.digital_link, label.epc_hex, label.epc_tag_uri))
        count += 1
    return count


def _escape(value: str) -> str:
    return value.replace("\\", "\\5C").replace("^", "\\5E").replace("~", "\\7E")


@functools.cache
def _template() -> str:
    return ("^XA\n^CI28\n^PW812\n^LL1218\n"
            "^FO40,40^A0N,36,26^FDSSCC^FS\n"
            "^FO40,90^A0N,56,40^FH\\^FD%s^FS\n"
            # QR: model 2, 6-dot modules, error correction Q (see codegen.zpl for the switches).
            "^FO40,180^BQN,2,6^FH\\^FDQA,%s^FS\n"
            "^FO40,700^A0N,28,20^FDEPC %s^FS\n"
            "^FO60,820^BY4^BCN,264,N,N,N^FD%s^FS\n"
            "^FO60,1110^A0N,48,34^FH\\^FD%s^FS\n"
            "^XZ\n")
