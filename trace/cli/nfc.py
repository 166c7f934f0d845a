"""``tracemark nfc``: NTAG 424 DNA SUN messages.

A thin shell over :func:`verify.sun.check_sun_url`: parse the keys, check the URL, print JSON.
A URL that is not authentic raises :class:`~trace.errors.SignatureError`, which the CLI's
``main`` prints as one ``error: …`` line with exit status 1.
"""

from __future__ import annotations

import string
from typing import Annotated

import typer

from trace.cli.output import print_json
from trace.errors import InvalidInput
from verify.sun import SunParameters, check_sun_url

app = typer.Typer(help="NFC tags: NTAG 424 DNA SUN.", no_args_is_help=True)


@app.callback()
def _group() -> None:
    # Keeps ``sun-check`` a named sub-command even while it is the only one.
    pass


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
