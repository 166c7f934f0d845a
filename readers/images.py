"""Scans from camera images: one image file, a folder of them, or a folder being watched.

Each image is decoded with zxing-cpp (QR Code, Data Matrix, GS1-128, DataBar…). GS1
symbols are rebuilt as a scanner would transmit them — the ISO/IEC 15424 symbology
identifier (``]d2``, ``]Q3``…) followed by the FNC1-form data with GS separators — so
they go through the same :func:`readers.scan.parse_scanned_text` as keyboard scans. The
scan time is the file's modification time: when the camera wrote the picture, not when
the station got round to it.

A watched folder is polled; a file is read once its size has stayed the same for one
poll (a camera may still be writing it). Files are read oldest first.

References: ISO/IEC 15424 (symbology identifiers); ISO/IEC 16022 (Data Matrix) and
ISO/IEC 18004 (QR Code); GS1 General Specifications section 5 (GS1 DataMatrix, GS1 QR
Code: FNC1 in first position, GS as separator).
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

from readers.scan import OnInvalid, Reading, SourceKind, reading_from_text, warn_invalid
from trace.errors import InvalidInput

__all__ = ["IMAGE_SUFFIXES", "decode_image", "scans_from_folder", "scans_from_image", "scans_from_images"]

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"})


def decode_image(path: Path) -> tuple[str, ...]:
    """The text of every barcode in the image, as a scanner would send it (no duplicates).

    Raises ``InvalidInput`` naming the file if it is not a readable image.
    """
    import zxingcpp  # imported here: a station without cameras need not load it
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            barcodes = zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)
    except (OSError, UnidentifiedImageError) as exc:
        raise InvalidInput(f"cannot read image {str(path)!r}: expected a PNG/JPEG/… file ({exc})") from exc
    texts = []
    for barcode in barcodes:
        text = barcode.text
        if barcode.content_type == zxingcpp.ContentType.GS1:
            text = barcode.symbology_identifier + text
        texts.append(text)
    return tuple(dict.fromkeys(texts))


def scans_from_image(
    path: Path, *, commands: Collection[str] = (), on_invalid: OnInvalid = warn_invalid
) -> Iterator[Reading]:
    """A reading per barcode found in the image at ``path``."""
    try:
        time = _modified(path)
        texts = decode_image(path)
    except InvalidInput as exc:
        on_invalid(str(path), exc)
        return
    except OSError as exc:
        on_invalid(str(path), InvalidInput(f"cannot read image {str(path)!r}: {exc.strerror or exc}"))
        return
    if not texts:
        on_invalid(str(path), InvalidInput(f"no barcode found in image {str(path)!r}"))
    for text in texts:
        try:
            yield reading_from_text(text, source=SourceKind.IMAGE, time=time, commands=commands)
        except InvalidInput as exc:
            on_invalid(text, exc)


def scans_from_folder(
    folder: Path,
    *,
    watch: bool = False,
    poll_seconds: float = 1.0,
    stop: threading.Event | None = None,
    commands: Collection[str] = (),
    on_invalid: OnInvalid = warn_invalid,
) -> Iterator[Reading]:
    """Readings from every image in ``folder``, oldest first; with ``watch``, new ones as they come."""
    done: set[Path] = set()
    sizes: dict[Path, int] = {}
    while True:
        for path in _images(folder, exclude=done):
            if watch:
                size = path.stat().st_size
                if sizes.get(path) != size:
                    sizes[path] = size  # seen growing (or for the first time): next poll
                    continue
            done.add(path)
            sizes.pop(path, None)
            yield from scans_from_image(path, commands=commands, on_invalid=on_invalid)
        if not watch:
            return
        waiter = stop or threading.Event()
        if waiter.wait(poll_seconds):
            return


def scans_from_images(
    path: Path,
    *,
    watch: bool = False,
    poll_seconds: float = 1.0,
    stop: threading.Event | None = None,
    commands: Collection[str] = (),
    on_invalid: OnInvalid = warn_invalid,
) -> Iterator[Reading]:
    """One image file, or a folder (watched when ``watch``); ``InvalidInput`` if neither exists."""
    if path.is_dir():
        return scans_from_folder(path, watch=watch, poll_seconds=poll_seconds, stop=stop,
                                 commands=commands, on_invalid=on_invalid)
    if path.is_file():
        return scans_from_image(path, commands=commands, on_invalid=on_invalid)
    raise InvalidInput(f"no image file or folder at {str(path)!r}")


def _modified(path: Path) -> datetime:
    """The file's modification time, exact to the microsecond (no float rounding)."""
    seconds, nanoseconds = divmod(path.stat().st_mtime_ns, 1_000_000_000)
    return datetime.fromtimestamp(seconds, timezone.utc) + timedelta(microseconds=nanoseconds // 1000)


def _images(folder: Path, *, exclude: set[Path]) -> list[Path]:
    try:
        entries = [p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p not in exclude]
    except OSError as exc:
        raise InvalidInput(f"cannot list image folder {str(folder)!r}: {exc.strerror or exc}") from exc
    stamped = []
    for entry in entries:
        try:
            stamped.append((entry.stat().st_mtime, entry.name, entry))
        except FileNotFoundError:
            continue  # removed since listing
    return [entry for _, _, entry in sorted(stamped)]
