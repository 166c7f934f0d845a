"""Output paths are refused before anything is produced; output appears whole or not at all."""

from __future__ import annotations

import errno
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from carrier_samples import CODE, URL, numbered_codes

from codegen.label import file_stem
from codegen.writers import FORMATS, check_output, open_writer
from trace.errors import InvalidInput

CSV_TEXT = (
    "serial,gtin,lot,expires,url\r\n"
    f"7QK3M9XH2D4PA,09520123456788,LOT-2026-11,2027-11-30,{URL}\r\n"
)


def _message(fmt, out) -> str:
    with pytest.raises(InvalidInput) as caught:
        check_output(fmt, out)
    return str(caught.value)


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_directory_is_refused_with_a_one_line_message(tmp_path, fmt):
    out = tmp_path / "missing" / ("x.zip" if fmt in ("svg", "png") else f"x.{fmt}")

    assert _message(fmt, out) == f"cannot write to {out}: directory does not exist"


def test_missing_directory_message_for_an_absolute_path():
    assert _message("csv", Path("/nonexistent/x.csv")) == (
        "cannot write to /nonexistent/x.csv: directory does not exist"
    )


def test_existing_directory_as_file_output_is_refused(tmp_path):
    assert _message("pdf", tmp_path) == f"cannot write to {tmp_path}: it is a directory"


def test_existing_file_as_image_directory_is_refused(tmp_path):
    out = tmp_path / "labels"
    out.write_text("")

    assert _message("png", out) == f"cannot write to {out}: it is not a directory"


def test_file_as_parent_directory_is_refused(tmp_path):
    parent = tmp_path / "notes.txt"
    parent.write_text("")

    assert _message("zpl", parent / "x.zpl") == (
        f"cannot write to {parent / 'x.zpl'}: {parent} is not a directory"
    )


def test_read_only_directory_is_refused():
    """Run as an unprivileged user (root writes anywhere): `nobody` when the suite runs as root."""
    base = Path(tempfile.mkdtemp(prefix="tracemark-ro-", dir="/tmp"))
    target = base / "x.csv"
    try:
        base.chmod(0o555)
        script = (
            "import os, pathlib\n"
            "from codegen.writers import check_output\n"
            "from trace.errors import InvalidInput\n"
            "if os.geteuid() == 0:  # imports first: /root is not readable by nobody\n"
            "    os.setgid(65534); os.setuid(65534)\n"
            "try:\n"
            f"    check_output('csv', pathlib.Path({str(target)!r}))\n"
            "except InvalidInput as exc:\n"
            "    print(exc)\n"
        )
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                              cwd=Path(__file__).resolve().parents[2])
    finally:
        base.chmod(0o755)
        shutil.rmtree(base)
    assert done.stdout.strip() == f"cannot write to {target}: directory is not writable (permission denied)", done.stderr


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_binary_formats_cannot_go_to_stdout(fmt):
    assert _message(fmt, None) == f"cannot write {fmt} to stdout: give an output path"


def test_unknown_format_is_refused(tmp_path):
    assert _message("jpeg", tmp_path / "x.jpeg") == (
        "unknown output format 'jpeg': expected one of csv, zpl, svg, png, pdf, datamatrix, dm-svg, dm-png, epc, ndef"
    )


def test_check_creates_nothing(tmp_path):
    for fmt, name in [("csv", "x.csv"), ("pdf", "x.pdf"), ("png", "dir"), ("svg", "x.zip")]:
        check_output(fmt, tmp_path / name)

    assert list(tmp_path.iterdir()) == []


def test_open_writer_refuses_before_producing_anything(tmp_path):
    with pytest.raises(InvalidInput, match="directory does not exist"):
        open_writer("pdf", tmp_path / "missing" / "x.pdf")

    assert list(tmp_path.iterdir()) == []


def test_csv_streams_to_a_text_stdout():
    stdout = io.StringIO()

    with open_writer("csv", None, stdout=stdout) as writer:
        writer.write(CODE)
        assert stdout.getvalue() == CSV_TEXT  # streamed, not held back until close

    assert stdout.getvalue() == CSV_TEXT
    assert not stdout.closed


def test_zpl_to_a_binary_stdout_is_utf8_and_leaves_it_open():
    stdout = io.BytesIO()

    with open_writer("zpl", None, stdout=stdout) as writer:
        writer.write(CODE)

    assert stdout.getvalue().decode("utf-8").startswith("^XA\n^CI28\n")
    assert not stdout.closed


def test_file_appears_only_on_close(tmp_path):
    out = tmp_path / "codes.csv"

    writer = open_writer("csv", out)
    writer.write(CODE)
    assert not out.exists()
    writer.close()

    assert out.read_bytes() == CSV_TEXT.encode()
    assert [p.name for p in tmp_path.iterdir()] == ["codes.csv"]


def test_failure_inside_with_block_leaves_no_file(tmp_path):
    out = tmp_path / "codes.pdf"

    with pytest.raises(RuntimeError):
        with open_writer("pdf", out) as writer:
            writer.write(CODE)
            raise RuntimeError("database commit failed")

    assert list(tmp_path.iterdir()) == []


def test_failure_removes_images_and_the_directory_it_created(tmp_path):
    out = tmp_path / "labels"

    with pytest.raises(RuntimeError):
        with open_writer("png", out) as writer:
            for code in numbered_codes(2):
                writer.write(code)
            raise RuntimeError("database commit failed")

    assert list(tmp_path.iterdir()) == []


def test_non_empty_image_directory_is_refused(tmp_path):
    (tmp_path / "earlier.png").write_bytes(b"")

    assert _message("png", tmp_path) == f"cannot write to {tmp_path}: directory is not empty"


def test_abort_empties_an_existing_directory_but_keeps_it(tmp_path):
    writer = open_writer("svg", tmp_path)
    writer.write(CODE)
    assert (tmp_path / f"{file_stem(CODE)}.svg").exists()
    writer.abort()

    assert tmp_path.is_dir()
    assert list(tmp_path.iterdir()) == []


def test_close_is_idempotent_and_write_after_close_is_an_error(tmp_path):
    writer = open_writer("zpl", tmp_path / "labels.zpl")
    writer.write(CODE)
    writer.close()
    writer.close()
    writer.abort()  # after close: nothing to undo

    assert (tmp_path / "labels.zpl").read_text().count("^XA") == 1
    with pytest.raises(ValueError, match="closed"):
        writer.write(CODE)


def test_existing_output_file_is_replaced(tmp_path):
    out = tmp_path / "codes.csv"
    out.write_text("old")

    with open_writer("csv", out) as writer:
        writer.write(CODE)

    assert out.read_bytes() == CSV_TEXT.encode()


def test_unwritable_directory_message_names_the_system_reason(tmp_path, monkeypatch):
    # Running as root, a real read-only directory cannot be made; fail the probe instead.
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr("codegen.output_path.tempfile.TemporaryFile", read_only)

    assert _message("csv", tmp_path / "x.csv") == (
        f"cannot write to {tmp_path / 'x.csv'}: directory is not writable (read-only file system)"
    )
