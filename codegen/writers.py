"""Choose and open the carrier output for a minting run.

The minting job calls :func:`check_output` before it touches the database, then
:func:`open_writer` and ``write()`` for each minted code, then ``close()``::

    check_output("pdf", Path("lot-2026-11.pdf"))
    ...
    with open_writer("pdf", Path("lot-2026-11.pdf")) as writer:
        for code in minted:
            writer.write(code)

Leaving the ``with`` block through an exception calls ``abort()``: the partial file (or
the images written so far) is deleted, so no output ever lists codes whose minting was
rolled back. Output to stdout cannot be taken back; it is streamed as produced.

=======  ==================================================  =============
format   ``out``                                             ``out=None``
=======  ==================================================  =============
csv      a file                                              stdout (text)
zpl      a file                                              stdout (text)
svg/png  a new or empty directory, or a file ending ``.zip``  refused
pdf      a file                                              refused
datamatrix  ZPL with GS1 DataMatrix: a file                  stdout (text)
dm-svg/dm-png  DataMatrix images: a directory or ``.zip``    refused
epc      RFID encoding plan, JSON lines: a file              stdout (text)
ndef     ``.ndef`` per unit: a directory or ``.zip``;        stdout (hex
         hex lines: any other file name                      lines)
=======  ==================================================  =============

``datamatrix``, ``epc`` and ``ndef`` take their settings from :class:`CarrierOptions`.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Protocol, TextIO, cast

from codegen.csv_output import CsvWriter
from codegen.datamatrix import DataMatrixImageWriter, DataMatrixZplWriter
from codegen.epc_plan import DEFAULT_USER_MEMORY_BITS, EpcPlanWriter
from codegen.label import LabelCode
from codegen.ndef_output import DEFAULT_CHIP, NdefFileWriter, NdefHexWriter
from codegen.output_path import DirectoryOutput, PendingFile, check_directory, check_file
from codegen.pdf_sheet import PdfSheetWriter
from codegen.qr_image import ImageKind, ImageSink, ImageWriter, ZipSink
from codegen.zpl import ZplWriter
from trace.errors import InvalidInput

FORMATS = ("csv", "zpl", "svg", "png", "pdf", "datamatrix", "dm-svg", "dm-png", "epc", "ndef")
_TEXT_FORMATS = ("csv", "zpl", "datamatrix", "epc", "ndef")
_IMAGE_FORMATS = ("svg", "png", "dm-svg", "dm-png")


@dataclass(frozen=True, slots=True)
class CarrierOptions:
    """Settings of the RFID and NFC carriers (ignored by the others)."""

    company_prefix_length: int | None = None
    user_memory_bits: int = DEFAULT_USER_MEMORY_BITS
    nfc_chip: str = DEFAULT_CHIP


class CodeWriter(Protocol):
    """Receives minted codes one at a time and renders them as they come."""

    def write(self, code: LabelCode) -> None: ...

    def close(self) -> None:
        """Finish the output file(s); calling it again does nothing."""
        ...


class _Target(Protocol):
    def commit(self) -> None: ...

    def discard(self) -> None: ...


def check_output(fmt: str, out: Path | None) -> None:
    """Raise :class:`InvalidInput` unless output ``fmt`` can be written to ``out``.

    Nothing is created. ``out=None`` means stdout, which only csv and zpl accept.

    >>> check_output("csv", Path("/nonexistent/x.csv"))
    Traceback (most recent call last):
    ...
    trace.errors.InvalidInput: cannot write to /nonexistent/x.csv: directory does not exist
    """
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown output format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if out is None:
        if fmt not in _TEXT_FORMATS:
            raise InvalidInput(f"cannot write {fmt} to stdout: give an output path")
    elif (fmt in _IMAGE_FORMATS or _ndef_files(fmt, out)) and not _is_zip(out):
        check_directory(out)
    else:
        check_file(out)


def open_writer(
    fmt: str, out: Path | None, *, stdout: TextIO | BinaryIO | None = None,
    options: CarrierOptions = CarrierOptions(),
) -> OutputWriter:
    """Check ``out`` (see :func:`check_output`) and return a writer for format ``fmt``.

    ``stdout`` replaces ``sys.stdout`` when ``out`` is None; it may be a text or a binary
    stream (binary streams receive UTF-8). It is flushed, never closed.
    """
    check_output(fmt, out)
    if out is None:
        stream, target = _stdout_text(stdout if stdout is not None else sys.stdout)
        return _bind(lambda: _text_writer(fmt, stream, options), target)
    if fmt in _TEXT_FORMATS and not _ndef_files(fmt, out):
        text_file = PendingFile(out, text=True)
        return _bind(lambda: _text_writer(fmt, text_file.stream, options), text_file)
    if fmt == "pdf":
        pdf_file = PendingFile(out, text=False)
        return _bind(lambda: PdfSheetWriter(pdf_file.stream), pdf_file)
    if _is_zip(out):
        zip_file = PendingFile(out, text=False)
        return _bind(lambda: _file_writer(fmt, ZipSink(zip_file.stream), options), zip_file)
    directory = DirectoryOutput(out)
    return _bind(lambda: _file_writer(fmt, directory, options), directory)


def _file_writer(fmt: str, sink: ImageSink, options: CarrierOptions) -> CodeWriter:
    if fmt == "ndef":
        return NdefFileWriter(sink, chip=options.nfc_chip)
    if fmt.startswith("dm-"):
        return DataMatrixImageWriter(cast(ImageKind, fmt[3:]), sink)
    return ImageWriter(cast(ImageKind, fmt), sink)


def _ndef_files(fmt: str, out: Path) -> bool:
    """NDEF goes to binary files for a directory or a zip, to hex lines otherwise."""
    return fmt == "ndef" and (_is_zip(out) or out.is_dir() or out.suffix == "")


class OutputWriter:
    """A :class:`CodeWriter` bound to its output; a context manager.

    ``close()`` finishes the format and puts the file in place; ``abort()`` removes what
    was written. Both are idempotent, and whichever comes first wins.
    """

    def __init__(self, writer: CodeWriter, target: _Target) -> None:
        self._writer = writer
        self._target = target
        self._finished = False

    def write(self, code: LabelCode) -> None:
        """Render ``code`` into the output."""
        if self._finished:
            raise ValueError("write() on a closed writer")
        self._writer.write(code)

    def close(self) -> None:
        """Finish the output; later calls do nothing."""
        if self._finished:
            return
        self._finished = True
        try:
            self._writer.close()
        except BaseException:
            self._target.discard()
            raise
        self._target.commit()

    def abort(self) -> None:
        """Drop the output written so far (stdout cannot be taken back); later calls do nothing."""
        if self._finished:
            return
        self._finished = True
        self._target.discard()

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


class _StreamTarget:
    """Stdout: flushed at the end, never closed, never undone."""

    def __init__(self, stream: TextIO, wrapper: io.TextIOWrapper | None) -> None:
        self._stream = stream
        self._wrapper = wrapper

    def commit(self) -> None:
        self._stream.flush()
        if self._wrapper is not None:
            self._wrapper.detach()  # leave the caller's binary stream open
            self._wrapper = None

    discard = commit


def _bind(make_writer: Callable[[], CodeWriter], target: _Target) -> OutputWriter:
    # A format that fails to start (e.g. the CSV header cannot be written) leaves nothing.
    try:
        writer = make_writer()
    except BaseException:
        target.discard()
        raise
    return OutputWriter(writer, target)


def _stdout_text(stream: TextIO | BinaryIO) -> tuple[TextIO, _StreamTarget]:
    if isinstance(stream, (io.RawIOBase, io.BufferedIOBase)):
        wrapper = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
        return wrapper, _StreamTarget(wrapper, wrapper)
    return stream, _StreamTarget(stream, None)  # type: ignore[arg-type]


def _text_writer(fmt: str, stream: TextIO, options: CarrierOptions) -> CodeWriter:
    if fmt == "csv":
        return CsvWriter(stream)
    if fmt == "datamatrix":
        return DataMatrixZplWriter(stream)
    if fmt == "epc":
        return EpcPlanWriter(stream, company_prefix_length=options.company_prefix_length,
                             user_memory_bits=options.user_memory_bits)
    if fmt == "ndef":
        return NdefHexWriter(stream, chip=options.nfc_chip)
    return ZplWriter(stream)


def _is_zip(out: Path) -> bool:
    return out.suffix.lower() == ".zip"
