"""``tracemark nfc``: NTAG 424 DNA SUN tags -- the brand's master key, programming, checking.

- ``nfc key rotate|list``: the brand's SUN master key (``trace.services.sun_keys``);
- ``nfc program``: bind a tag to a unit and print what to write into it (NDEF file, SDM
  offsets, the tag's diversified keys: ``codegen.ntag424_template.plan_sun_tag``);
- ``nfc tag-keys``: export the keys of a tag already bound;
- ``nfc sun-check``: a thin shell over :func:`verify.sun.check_sun_url` with explicit keys.

A URL that is not authentic raises :class:`~trace.errors.SignatureError`, which the CLI's
``main`` prints as one ``error: …`` line with exit status 1.
"""

from __future__ import annotations

import json
import os
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from codegen.ntag424_template import plan_sun_tag
from codegen.reprint import signed_url_for_unit
from trace.cli.output import print_json, say
from trace.cli.runtime_access import runtime
from trace.errors import InvalidInput
from trace.services import sun_keys
from verify.sun import SunParameters, check_sun_url

app = typer.Typer(help="NFC tags: NTAG 424 DNA SUN.", no_args_is_help=True)
key_app = typer.Typer(help="The brand's SUN master key (per-tag keys are diversified from it).", no_args_is_help=True)
app.add_typer(key_app, name="key")


def _uid(text: str) -> bytes:
    if len(text) != 14 or not set(text) <= set(string.hexdigits):
        raise InvalidInput(f"--uid {text!r}: expected the tag's 7-byte UID as 14 hex digits")
    return bytes.fromhex(text)


@contextmanager
def _secret_output(path: Path | None) -> Iterator[Callable[[dict], None]]:
    """Where JSON holding tag keys goes: stdout, or a new file only its owner can read.

    The file is created before the work starts (an existing file is refused before anything
    is bound) and removed again when the work fails.
    """
    if path is None:
        yield lambda data: typer.echo(json.dumps(data, indent=2))
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise InvalidInput(f"--out {path}: the file exists; expected a new file (it holds tag keys)") from exc
    except OSError as exc:
        raise InvalidInput(f"--out {path}: cannot create the file: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "w", encoding="ascii") as file:
            yield lambda data: file.write(json.dumps(data, indent=2) + "\n")
    except BaseException:
        path.unlink(missing_ok=True)
        raise


@key_app.command("rotate")
def key_rotate(
    brand: Annotated[str, typer.Option("--brand")],
    system_identifier: Annotated[str, typer.Option("--system-identifier",
                                                   help="AN10922 system identifier (1..23 ASCII).")] = "Tracemark",
) -> None:
    """Create the brand's SUN master key, or a new version (tags programmed earlier still verify)."""
    rt = runtime()
    info = sun_keys.rotate_sun_key(rt.db, rt.key_store, brand, system_identifier=system_identifier)
    say(f"SUN master key version {info.version} is active for {info.brand!r} (sealed in the database)")
    print_json(asdict(info))


@key_app.command("list")
def key_list(brand: Annotated[str, typer.Option("--brand")]) -> None:
    """The brand's SUN master key versions (never the keys)."""
    print_json([asdict(info) for info in sun_keys.list_sun_keys(runtime().db, brand)])


@app.command("program")
def program(
    brand: Annotated[str, typer.Option("--brand")],
    gtin: Annotated[str, typer.Option("--gtin")],
    serial: Annotated[str, typer.Option("--serial")],
    uid: Annotated[str, typer.Option("--uid", help="The tag's UID, 14 hex digits.")],
    file_data: Annotated[str | None, typer.Option("--file-data",
                                                  help="Plain ASCII the tag encrypts (16-character blocks).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the plan (it holds keys) to a new 0600 file.")] = None,
) -> None:
    """Bind a tag to a unit; print its NDEF file, SDM offsets and diversified keys as JSON."""
    rt = runtime()
    tag = _uid(uid)
    with _secret_output(out) as write:
        url = signed_url_for_unit(rt.db, rt.key_store, gtin=gtin, serial=serial)
        plan = sun_keys.program_tag(
            rt.db, rt.key_store, brand=brand, uid=tag, gtin=gtin, serial=serial,
            plan=lambda master, system_id: plan_sun_tag(url, uid=tag, master_key=master, file_data=file_data,
                                                        system_identifier=system_id))
        write(plan.as_json())
    say(f"tag {tag.hex().upper()} bound to GTIN {gtin} serial {serial}")


@app.command("tag-keys")
def tag_keys(
    brand: Annotated[str, typer.Option("--brand")],
    uid: Annotated[str, typer.Option("--uid", help="The tag's UID, 14 hex digits.")],
    out: Annotated[Path | None, typer.Option("--out", help="Write the keys to a new 0600 file.")] = None,
) -> None:
    """Export the keys of a bound tag, from the master key version it was programmed with."""
    rt = runtime()
    tag = _uid(uid)
    with _secret_output(out) as write:
        export = sun_keys.export_tag_keys(rt.db, rt.key_store, brand=brand, uid=tag)
        write({"uid": export.uid.hex().upper(), "gtin": export.gtin, "serial": export.serial,
               "sun_key_version": export.version, "app_master": export.keys.app_master.hex().upper(),
               "sdm_meta_read": export.keys.sdm_meta_read.hex().upper(),
               "sdm_file_read": export.keys.sdm_file_read.hex().upper()})


def _key(option: str, text: str) -> bytes:
    # Never echo the key itself: it is a secret, and error lines end up in logs.
    if len(text) != 32 or not set(text) <= set(string.hexdigits):
        raise InvalidInput(f"{option}: expected an AES-128 key as 32 hex digits, found {len(text)} characters"
                           + ("" if set(text) <= set(string.hexdigits) else " with non-hex digits"))
    return bytes.fromhex(text)


@app.command("sun-check")
def sun_check(
    url: Annotated[str, typer.Argument(help="The URL a tap on the tag produced.")],
    meta_key: Annotated[str, typer.Option("--meta-key", help="SDMMetaReadKey, 32 hex digits.")],
    file_key: Annotated[str, typer.Option("--file-key", help="SDMFileReadKey, 32 hex digits.")],
    picc_param: Annotated[str | None, typer.Option("--picc-param", help="PICCData parameter [default: e or picc_data].")] = None,
    mac_param: Annotated[str | None, typer.Option("--mac-param", help="SDMMAC parameter [default: c or cmac].")] = None,
    enc_param: Annotated[str | None, typer.Option("--enc-param", help="Encrypted file data parameter [default: enc].")] = None,
) -> None:
    """Decrypt and authenticate a SUN URL; print its UID, read counter and file data as JSON."""
    defaults = SunParameters()
    params = SunParameters(
        picc=(picc_param,) if picc_param else defaults.picc,
        mac=(mac_param,) if mac_param else defaults.mac,
        enc=(enc_param,) if enc_param else defaults.enc,
    )
    message = check_sun_url(url, meta_key=_key("--meta-key", meta_key),
                            file_key=_key("--file-key", file_key), params=params)
    print_json({
        "uid": message.uid.hex().upper(),
        "read_counter": message.read_counter,
        "file_data": None if message.file_data is None else message.file_data.hex().upper(),
    })
