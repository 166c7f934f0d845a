"""Where SSCC labels go: ZPL or CSV to a file or stdout, PDF to a file, PNG to a directory or zip.

The output is checked before any SSCC is allocated (an allocation is final: SSCCs are never
handed out twice, so a run that cannot write its labels would waste its range), and files
appear whole (``<name>.part`` renamed into place) or not at all.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from codegen.output_path import DirectoryOutput, PendingFile, check_directory, check_file
from codegen.qr_image import ZipSink
from codegen.sscc_images import write_pdf, write_png
from codegen.sscc_labels import SsccLabel, write_csv, write_zpl
from trace.errors import InvalidInput

SsccFormat = Literal["zpl", "pdf", "csv", "png"]
FORMATS: tuple[str, ...] = ("zpl", "pdf", "csv", "png")


def check_output(fmt: str, out: Path | None) -> None:
    """Raise :class:`InvalidInput` unless ``fmt`` can be written to ``out`` (None: stdout)."""
    if fmt not in FORMATS:
        raise InvalidInput(f"invalid format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if out is None:
        if fmt in ("pdf", "png"):
            raise InvalidInput(f"format {fmt} needs --out (a file{' or directory' if fmt == 'png' else ''})")
        return
    if fmt == "png" and out.suffix != ".zip":
        check_directory(out)
    else:
        check_file(out)


def write_labels(fmt: str, labels: Iterable[SsccLabel], out: Path | None) -> int:
    """Write ``labels`` as ``fmt`` to ``out`` (or stdout); returns how many labels."""
    if out is None:
        writer = write_zpl if fmt == "zpl" else write_csv
        return writer(iter(labels), sys.stdout)
    if fmt == "png" and out.suffix != ".zip":
        directory = DirectoryOutput(out)
        try:
            return write_png(labels, directory)
        except BaseException:
            directory.discard()
            raise
    pending = PendingFile(out, text=fmt in ("zpl", "csv"))
    try:
        if fmt == "zpl":
            count = write_zpl(iter(labels), pending.stream)
        elif fmt == "csv":
            count = write_csv(iter(labels), pending.stream)
        elif fmt == "pdf":
            count = write_pdf(labels, pending.stream)
        else:
            count = write_png(labels, ZipSink(pending.stream))
    except BaseException:
        pending.discard()
        raise
    pending.commit()
    return count
