"""Where carrier output goes: checks made before minting, and output that appears whole.

Minting writes to the database and to the output in one run. An output path that cannot
be written must therefore be refused before the first code is minted (``check_file``,
``check_directory``), and a run that fails half-way must not leave a file of codes that
were never stored: single files are written under ``<name>.part`` and renamed into place
by ``commit()``; ``discard()`` removes what was written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO

from trace.errors import InvalidInput


def check_file(path: Path) -> None:
    """Raise :class:`InvalidInput` unless a file can be created or replaced at ``path``.

    >>> check_file(Path("/nonexistent/x.csv"))
    Traceback (most recent call last):
    ...
    trace.errors.InvalidInput: cannot write to /nonexistent/x.csv: directory does not exist
    """
    if path.is_dir():
        raise _cannot(path, "it is a directory")
    # The file is replaced by a rename, which the directory allows even for a read-only file.
    if path.exists() and not os.access(path, os.W_OK):
        raise _cannot(path, "file is not writable")
    _check_parent(path)


def check_directory(path: Path) -> None:
    """Raise :class:`InvalidInput` unless files can be written into directory ``path``.

    A directory that does not exist yet is accepted when its parent exists and is writable
    (:class:`DirectoryOutput` creates it). An existing directory must be empty: label
    files left from an earlier run would be printed again with the new ones, and every
    second print of a code looks like a copy when it is scanned.
    """
    if not path.exists():
        _check_parent(path)
    elif not path.is_dir():
        raise _cannot(path, "it is not a directory")
    elif any(path.iterdir()):
        raise _cannot(path, "directory is not empty")
    else:
        _probe(path, path)


class PendingFile:
    """A file written as ``<path>.part`` and renamed to ``path`` by :meth:`commit`."""

    def __init__(self, path: Path, *, text: bool) -> None:
        self.path = path
        self._part = path.with_name(path.name + ".part")
        try:
            if text:
                # newline="": the csv module writes its own CRLF; ZPL lines end in LF.
                self.stream: IO = open(self._part, "w", encoding="utf-8", newline="")
            else:
                self.stream = open(self._part, "wb")
        except OSError as exc:
            raise _cannot(path, _reason(exc)) from exc
        self._done = False

    def commit(self) -> None:
        """Close the file and move it into place; later calls do nothing."""
        if self._done:
            return
        self._done = True
        self.stream.close()
        os.replace(self._part, self.path)

    def discard(self) -> None:
        """Close and delete the partial file; later calls do nothing."""
        if self._done:
            return
        self._done = True
        self.stream.close()
        self._part.unlink(missing_ok=True)


class DirectoryOutput:
    """A directory that receives one file per code; :meth:`discard` removes them again."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._created = not path.exists()
        try:
            path.mkdir(exist_ok=True)
        except OSError as exc:
            raise _cannot(path, _reason(exc)) from exc
        self._written: list[Path] = []

    def add(self, name: str, data: bytes) -> None:
        """Write ``data`` as the file ``name`` inside the directory."""
        target = self.path / name
        target.write_bytes(data)
        self._written.append(target)

    def close(self) -> None:
        """Nothing to finish: every file is complete once :meth:`add` returns."""

    def commit(self) -> None:
        """Nothing to move: the files were written in place."""

    def discard(self) -> None:
        """Delete the files written by this run (and the directory, if this run made it)."""
        for target in self._written:
            target.unlink(missing_ok=True)
        self._written.clear()
        if self._created and not any(self.path.iterdir()):
            self.path.rmdir()


def _check_parent(path: Path) -> None:
    parent = path.parent
    if not parent.exists():
        raise _cannot(path, "directory does not exist")
    if not parent.is_dir():
        raise _cannot(path, f"{parent} is not a directory")
    _probe(path, parent)


def _probe(path: Path, directory: Path) -> None:
    # Creating (and at once dropping) an unnamed file is the only test that also covers
    # read-only mounts, ACLs and running as root, where os.access() says yes.
    try:
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as exc:
        raise _cannot(path, f"directory is not writable ({_reason(exc)})") from exc


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _cannot(path: Path, reason: str) -> InvalidInput:
    return InvalidInput(f"cannot write to {path}: {reason}")
