"""NFC tags through nfcpy: read the NDEF URI record of a tapped tag, write one when encoding.

Reading: every NFC Forum tag type nfcpy supports (Type 2 — NTAG21x, Ultralight —, Type
3, Type 4…) exposes its NDEF message; the first URI record (or the URI of a Smart Poster)
is the item's Digital Link and becomes a :class:`~readers.scan.Scan` with the tag's UID.
After a tap the reader waits until the tag has left the field, so holding a tag on the
reader records it once.

Writing (the production line encodes each minted URL): :func:`write_uri` replaces the
NDEF message with one URI record, refusing a tag that is not NDEF-formatted, read-only or
too small, and reads the message back to check it.

References: NFC Forum Type 2 Tag Technical Specification (capability container, NDEF
message TLV); NFC Forum NDEF 1.0 and URI Record Type Definition (RTD-URI, prefix codes);
NXP NTAG213/215/216 data sheet (memory organisation).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from readers.errors import ReaderError
from readers.scan import OnInvalid, Scan, SourceKind, parse_scanned_text, utc_now, warn_invalid
from trace.errors import InvalidInput

__all__ = ["read_uri", "scan_from_tag", "scans_from_frontend", "scans_from_reader", "write_uri"]

_PRESENCE_POLL_SECONDS = 0.1


def read_uri(tag: Any) -> str:
    """The URI of the tag's first NDEF URI record (or Smart Poster).

    Raises ``InvalidInput`` naming the tag when it has no NDEF message or no URI in it.
    """
    import ndef

    ndef_area = tag.ndef
    if ndef_area is None:
        raise InvalidInput(f"NFC tag {_uid(tag)} carries no NDEF message: expected a URI record")
    for record in ndef_area.records:
        # ``iri`` is the text as stored; ndeflib's ``uri`` would percent-encode the '=' of
        # a Digital Link query (?8030=…), changing the signed URL.
        if isinstance(record, ndef.UriRecord):
            return str(record.iri)
        if isinstance(record, ndef.SmartposterRecord) and record.resource is not None:
            return str(record.resource.iri)
    raise InvalidInput(f"NFC tag {_uid(tag)} has no URI record in its NDEF message")


def scan_from_tag(tag: Any, *, clock: Callable[[], datetime] = utc_now) -> Scan:
    """The scan of a tapped tag: its URI recognised, its UID kept (upper-case hex)."""
    return parse_scanned_text(read_uri(tag), source=SourceKind.NFC, time=clock(), tag_uid=_uid(tag))


def write_uri(tag: Any, url: str) -> None:
    """Replace the tag's NDEF message with a single URI record for ``url``, then verify it.

    Raises ``ReaderError`` when the tag is not NDEF-formatted, is read-only, is too
    small for the record, fails the write, or reads back something else.

    References: NFC Forum URI Record Type Definition (the prefix byte shortens
    ``https://`` to one byte); NFC Forum Type 2 Tag, NDEF write procedure.
    """
    import ndef
    import nfc.tag

    ndef_area = tag.ndef
    if ndef_area is None:
        raise ReaderError(f"cannot write NFC tag {_uid(tag)}: it is not NDEF-formatted")
    if not ndef_area.is_writeable:
        raise ReaderError(f"cannot write NFC tag {_uid(tag)}: its NDEF area is read-only")
    record = ndef.UriRecord(url)
    size = len(b"".join(ndef.message_encoder([record])))
    if size > ndef_area.capacity:
        raise ReaderError(
            f"cannot write {url!r} to NFC tag {_uid(tag)}: the message needs {size} bytes,"
            f" the tag holds {ndef_area.capacity}"
        )
    try:
        ndef_area.records = [record]
        changed = ndef_area.has_changed  # re-reads the tag and compares with what was written
    except nfc.tag.TagCommandError as exc:
        raise ReaderError(f"writing NFC tag {_uid(tag)} failed: {exc}") from exc
    if changed or tag.ndef is None:
        raise ReaderError(f"NFC tag {_uid(tag)} does not read back the URI just written")


def scans_from_frontend(
    clf: Any,
    *,
    once: bool = False,
    stop: threading.Event | None = None,
    clock: Callable[[], datetime] = utc_now,
    on_invalid: OnInvalid = warn_invalid,
) -> Iterator[Scan]:
    """A scan per tap on an opened ``nfc.ContactlessFrontend``; ``once``: the first tap only."""
    stopped = stop.is_set if stop is not None else (lambda: False)
    rdwr = {"on-connect": lambda tag: False, "beep-on-connect": False}
    while not stopped():
        tag = clf.connect(rdwr=rdwr, terminate=stopped)
        if tag is None:
            return  # terminated by stop
        if tag is False:
            raise ReaderError("the NFC reader stopped working (device error or unsupported tag)")
        try:
            yield scan_from_tag(tag, clock=clock)
        except InvalidInput as exc:
            on_invalid(_uid(tag), exc)
        if once:
            return
        while not stopped() and tag.is_present:
            time.sleep(_PRESENCE_POLL_SECONDS)


def scans_from_reader(path: str = "usb", **options: Any) -> Iterator[Scan]:
    """Open the NFC reader at ``path`` (nfcpy syntax: ``usb``, ``usb:054c:06c3``, ``tty:USB0:pn532``).

    Options are those of :func:`scans_from_frontend`. Raises ``ReaderError`` when no
    reader is found there.
    """
    import nfc

    try:
        clf = nfc.ContactlessFrontend(path)
    except OSError as exc:
        raise ReaderError(f"no NFC reader at {path!r}: {exc.strerror or exc}") from exc
    with clf:
        yield from scans_from_frontend(clf, **options)


def _uid(tag: Any) -> str:
    return bytes(tag.identifier).hex().upper()
