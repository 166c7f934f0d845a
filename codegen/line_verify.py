"""Print-and-verify: what the line camera saw, compared with what was sent to the printer.

Sent codes come from the ZPL job itself (the ``^FD`` data of every QR ``^BQ``, GS1
DataMatrix ``^BX`` and GS1-128 ``^BC`` field, ``^FH`` hex escapes undone) or from a pool's
print log with its pool file (the URL of each logged sequence number). Seen codes come from
decoding every image in the camera's folder with zxing-cpp (QR and DataMatrix). Codes are
compared in one form: URLs as they are, GS1 element strings bracketed (``(01)…(21)…``),
which is how zxing-cpp reports a GS1 symbol.

Outcome per sent code: *matched* (seen exactly), *mismatched* (a code with the same GTIN
and serial was seen, but with other content: a misprint or a label from another job), or
*missing* (never seen). A seen code that matches nothing sent is *unknown*; an image with
no readable code is *unreadable*. Missing and mismatched labels are the rejects the line
must void (``trace.services.pools.void``).

References: ZPL II Programming Guide (^FD, ^FH, ^BQ switches, ^BX escape ``_1``, ^BC
invocation codes ``>;`` and ``>8``); GS1 General Specifications §5.10 (FNC1), §7.8
(HRI of element strings); ISO/IEC 15424 (symbology identifiers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import zxingcpp

from codegen.pool_file import PoolFile, read_log
from trace.errors import IdentifierError, InvalidInput
from trace.identifiers import DigitalLink
from trace.identifiers.element_string import GROUP_SEPARATOR, ElementString

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff"})
_FORMATS = zxingcpp.BarcodeFormat.QRCode | zxingcpp.BarcodeFormat.DataMatrix
_SYMBOL = re.compile(r"\^(B[QXC])")  # the field's symbol command, if any, before its ^FD
_HEX = re.compile(r"\\([0-9A-Fa-f]{2})")


@dataclass(frozen=True, slots=True)
class SentCode:
    """One label sent to print: its code content, and its serial when it has one."""

    content: str
    serial: str | None


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The comparison of sent and seen (every tuple in sent or file-name order)."""

    matched: tuple[str, ...]
    mismatched: tuple[str, ...]
    missing: tuple[str, ...]
    unknown: tuple[str, ...]
    unreadable: tuple[str, ...]
    rejected_serials: tuple[str, ...]
    """Serials of the missing and mismatched labels: what ``--void`` voids."""


def sent_from_zpl(text: str) -> list[SentCode]:
    """Every QR, GS1 DataMatrix and GS1-128 code in a ZPL job, in print order.

    >>> [c.content for c in sent_from_zpl("^XA^FO1,1^BQN,2,3^FH\\\\^FDQA,https://b.example/01/1?x=\\\\5E^FS^XZ")]
    ['https://b.example/01/1?x=^']
    """
    codes = []
    for field in text.split("^FS"):  # a field ends at ^FS; its data starts at its last ^FD
        head, marker, raw = field.rpartition("^FD")
        symbols = _SYMBOL.findall(head)
        if not marker or not symbols:
            continue
        command = symbols[-1]
        data = _HEX.sub(lambda m: chr(int(m.group(1), 16)), raw) if "^FH" in head else raw
        if command == "BQ":
            content = data.split(",", 1)[1] if "," in data else data  # after the QR switches "QA,"
        elif command == "BX":
            content = _fnc1_data(data.replace("__", "\x00").split("_1"))
        elif command == "BC" and data.startswith(">;>8"):
            content = _fnc1_data(["", data[4:]])
        else:
            continue
        codes.append(SentCode(content, _serial(content)))
    return codes


def sent_from_print_log(log: Path, pool: PoolFile) -> list[SentCode]:
    """The URL of every label in a pool's print log, in log order (a re-print counts once)."""
    urls = {c.sequence: c.url for c in pool.codes}
    codes = []
    for label in read_log(log):
        url = urls.get(label.sequence)
        if url is None:
            raise InvalidInput(f"print log {log} names label {label.sequence}: expected a sequence number of pool"
                               f" {pool.pool_id}")
        codes.append(SentCode(url, label.serial))
    return codes


def seen_in_images(source: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Decode every image in ``source``: the codes seen (content -> file names) and unreadable files."""
    if not source.is_dir():
        raise InvalidInput(f"invalid source {source}: expected a directory of camera images")
    from PIL import Image, UnidentifiedImageError

    seen: dict[str, list[str]] = {}
    unreadable = []
    for path in sorted(p for p in source.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES):
        try:
            with Image.open(path) as image:
                found = zxingcpp.read_barcodes(image.convert("L"), formats=_FORMATS)
        except (OSError, UnidentifiedImageError):
            found = []
        texts = [r.text for r in found if r.valid]
        if not texts:
            unreadable.append(path.name)
        for text in texts:
            seen.setdefault(text, []).append(path.name)
    return seen, unreadable


def compare(sent: Sequence[SentCode], seen: Iterable[str], unreadable: Sequence[str]) -> VerifyReport:
    """Match what was sent against what was seen (see the module docstring for the outcomes)."""
    seen_set = set(seen)
    seen_keys = {key: text for text in seen_set if (key := _key(text)) is not None}
    matched, mismatched, missing, rejected = [], [], [], []
    sent_contents = set()
    for code in dict.fromkeys(sent):  # a re-printed label was sent once as far as the camera goes
        sent_contents.add(code.content)
        if code.content in seen_set:
            matched.append(code.content)
            continue
        key = _key(code.content)
        (mismatched if key is not None and key in seen_keys else missing).append(code.content)
        if code.serial is not None:
            rejected.append(code.serial)
    claimed = {seen_keys[_key(c)] for c in mismatched if _key(c) in seen_keys}  # type: ignore[index]
    unknown = sorted(t for t in seen_set if t not in sent_contents and t not in claimed)
    return VerifyReport(matched=tuple(matched), mismatched=tuple(mismatched), missing=tuple(missing),
                        unknown=tuple(unknown), unreadable=tuple(unreadable),
                        rejected_serials=tuple(dict.fromkeys(rejected)))


def _fnc1_data(parts: list[str]) -> str:
    """Bracketed element string from FNC1-separated parts (the first part, before FNC1, is empty)."""
    text = GROUP_SEPARATOR.join(p.replace("\x00", "_") for p in parts[1:])
    try:
        return ElementString.parse_fnc1(text).as_hri()
    except IdentifierError:
        return text


def _serial(content: str) -> str | None:
    key = _key(content)
    return key[1] if key is not None else None


def _key(content: str) -> tuple[str, str] | None:
    """(primary key, serial) of a Digital Link or element string; None when it has no serial."""
    try:
        if content.startswith(("https://", "http://")):
            link = DigitalLink.parse(content)
            return (str(link.gtin), link.serial) if link.gtin is not None and link.serial else None
        elements = ElementString.parse_bracketed(content)
    except IdentifierError:
        return None
    gtin, serial = elements.get("01"), elements.get("21")
    return (gtin, serial) if gtin and serial else None
