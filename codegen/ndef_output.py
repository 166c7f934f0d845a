"""NFC Forum NDEF messages for NTAG21x tags: one URI record carrying the signed URL.

The message is what an NFC writer puts into the tag's NDEF file, wrapped in a Type 2 Tag
NDEF Message TLV (``03 <length> <message> FE``: one length byte below 255, else ``FF`` and
two bytes). It must fit the chip's user memory: NTAG213 144 bytes, NTAG215 504, NTAG216
888. A URL that does not fit is refused before anything is written, naming both sizes.

Output: one binary ``<gtin>_<lot>_<serial>.ndef`` file per unit (the bare NDEF message,
what phone NFC writer apps import) in a directory or a zip; or, to a text file or stdout,
one line per unit: ``<serial> <message hex>``.

References: NFC Forum NDEF 1.0, URI RTD 1.0 (prefix code 0x04 "https://"); NFC Forum
Type 2 Tag Operation §2.3 (TLV blocks); NXP NTAG213/215/216 datasheet §8.5 (user memory).
"""

from __future__ import annotations

from typing import TextIO

import ndef

from codegen.label import LabelCode, file_stem
from codegen.qr_image import ImageSink
from trace.errors import InvalidInput

NTAG_USER_BYTES = {"ntag213": 144, "ntag215": 504, "ntag216": 888}
DEFAULT_CHIP = "ntag215"  # signed codes need ~171 bytes; NTAG213 has 144


def ndef_message(url: str) -> bytes:
    """The NDEF message (one short URI record) for ``url``.

    >>> ndef_message("https://b.example/x").hex()
    'd1010c5504622e6578616d706c652f78'
    """
    return b"".join(ndef.message_encoder([ndef.UriRecord(url)]))


def tlv_size(message: bytes) -> int:
    """Bytes the message takes on a Type 2 Tag: TLV header, message, terminator TLV."""
    header = 2 if len(message) < 0xFF else 4
    return header + len(message) + 1


def check_fits(message: bytes, chip: str, *, serial: str) -> None:
    """Raise :class:`InvalidInput` naming the sizes unless ``message`` fits ``chip``."""
    capacity = NTAG_USER_BYTES[chip]
    needed = tlv_size(message)
    if needed > capacity:
        raise InvalidInput(
            f"NDEF message for serial {serial!r} does not fit {chip.upper()}: expected at most"
            f" {capacity} bytes of user memory, found {needed} bytes ({len(message)}-byte message"
            f" + {needed - len(message)} bytes TLV)")


def check_chip(chip: str) -> str:
    """Return ``chip`` if it is a known NTAG21x, else raise :class:`InvalidInput`."""
    if chip not in NTAG_USER_BYTES:
        raise InvalidInput(f"unknown NFC chip {chip!r}: expected one of {', '.join(NTAG_USER_BYTES)}")
    return chip


class NdefFileWriter:
    """One binary ``.ndef`` file per unit into ``sink`` (a directory or a zip)."""

    def __init__(self, sink: ImageSink, *, chip: str = DEFAULT_CHIP) -> None:
        self._sink = sink
        self._chip = check_chip(chip)

    def write(self, code: LabelCode) -> None:
        """Add ``<stem>.ndef`` for ``code``; refuse a message the chip cannot hold."""
        message = ndef_message(code.url)
        check_fits(message, self._chip, serial=code.serial)
        self._sink.add(f"{file_stem(code)}.ndef", message)

    def close(self) -> None:
        """Finish the sink."""
        self._sink.close()


class NdefHexWriter:
    """``<serial> <hex>`` per unit to a text stream you own."""

    def __init__(self, stream: TextIO, *, chip: str = DEFAULT_CHIP) -> None:
        self._stream = stream
        self._chip = check_chip(chip)

    def write(self, code: LabelCode) -> None:
        """Append the line of ``code``; refuse a message the chip cannot hold."""
        message = ndef_message(code.url)
        check_fits(message, self._chip, serial=code.serial)
        self._stream.write(f"{code.serial} {message.hex()}\n")

    def close(self) -> None:
        """Flush the stream (it stays open)."""
        self._stream.flush()
