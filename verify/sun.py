"""Judging an NTAG 424 DNA SUN URL: is this tap authentic, and is it fresh?

A tag configured for Secure Dynamic Messaging answers every tap with a URL such as
``https://brand.example/01/…/21/…?e=<PICCData>&enc=<file data>&c=<SDMMAC>``. This module
finds those values in the URL, decrypts PICCData, checks the MAC over the part of the URL the
tag MACed, and decrypts the file data; :func:`check_counter` then rejects a counter that does
not go up (a copied URL replayed, or a cloned tag).

The MAC input is ASCII text of the URL itself, between SDMMACInputOffset and SDMMACOffset.
In the layout of AN12196's example it starts at the first character of the encrypted file
data value and ends with the ``=`` before the MAC value (``<ENC>&c=``); without file data it
is empty. Other layouts give :attr:`SunParameters.mac_input_offset` explicitly.

References: NXP AN12196 Rev. 1.5 §4.4 (SUN message verification, worked examples);
NT4H2421Gx datasheet §9.3 (SDM mirroring).
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass

from trace.crypto.ntag424 import (
    MAC_SIZE,
    decrypt_file_data,
    decrypt_picc_data,
    session_enc_key,
    session_mac_key,
    verify_sdm_mac,
)
from trace.errors import SignatureError

_HEX_DIGITS = frozenset(string.hexdigits)

#: The SDMFileReadKey, or a function from the UID to it (per-tag diversified keys).
FileKey = bytes | Callable[[bytes], bytes]


@dataclass(frozen=True, slots=True)
class SunParameters:
    """Where a SUN URL carries its values: query parameter names (any one alias) and MAC offsets.

    ``mac_input_offset`` / ``mac_offset`` are character offsets in the URL as received (the
    tag's SDMMACInputOffset / SDMMACOffset counted in the URL rather than in the NDEF file;
    ``codegen.ntag424_template.SunTagPlan.url_offset`` converts). ``None`` means the layout of
    AN12196's example described in the module docstring.
    """

    picc: tuple[str, ...] = ("e", "picc_data")
    mac: tuple[str, ...] = ("c", "cmac")
    enc: tuple[str, ...] = ("enc",)
    mac_input_offset: int | None = None
    mac_offset: int | None = None


@dataclass(frozen=True, slots=True)
class SunMessage:
    """An authentic tap: the tag's UID, its SDMReadCtr, and the decrypted file data if mirrored."""

    uid: bytes
    read_counter: int
    file_data: bytes | None


@dataclass(frozen=True, slots=True)
class _Value:
    text: str
    start: int  # offset of the value's first character in the URL


def _query_values(url: str) -> dict[str, _Value]:
    question = url.find("?")
    if question < 0:
        raise SignatureError(f"SUN URL {url!r} has no query string")
    end = url.find("#", question)
    end = len(url) if end < 0 else end
    values: dict[str, _Value] = {}
    position = question + 1
    for field in url[question + 1:end].split("&"):
        name, equals, text = field.partition("=")
        if equals:
            if name in values:
                # Two values for one name: which one did the tag MAC? Refuse to guess.
                raise SignatureError(f"SUN URL {url!r} repeats the query parameter {name!r}")
            values[name] = _Value(text, position + len(name) + 1)
        position += len(field) + 1
    return values


def _find(url: str, values: dict[str, _Value], names: tuple[str, ...], what: str, *,
          required: bool) -> _Value | None:
    present = [name for name in names if name in values]
    if len(present) > 1:
        raise SignatureError(f"SUN URL {url!r} carries {what} twice ({', '.join(present)})")
    if not present:
        if required:
            raise SignatureError(f"SUN URL {url!r} carries no {what} (query parameter {' or '.join(names)})")
        return None
    return values[present[0]]


def _hex(value: _Value, what: str, *, lengths: tuple[int, ...] = (), block: int = 0) -> bytes:
    text = value.text
    if not text or not _HEX_DIGITS.issuperset(text) or len(text) % 2:
        raise SignatureError(f"{what} {text!r} is not hexadecimal bytes")
    if lengths and len(text) not in lengths:
        expected = " or ".join(str(n) for n in lengths)
        raise SignatureError(f"{what} must be {expected} hex digits, found {len(text)}")
    if block and len(text) % block:
        raise SignatureError(f"{what} must be a multiple of {block} hex digits, found {len(text)}")
    return bytes.fromhex(text)


def _mac_input(url: str, mac: _Value, enc: _Value | None, params: SunParameters) -> bytes:
    if params.mac_offset is not None and params.mac_offset != mac.start:
        raise SignatureError(
            f"SDMMAC starts at character {mac.start} of the URL, expected {params.mac_offset} (SDMMACOffset)")
    if params.mac_input_offset is not None:
        start = params.mac_input_offset
    elif enc is not None:
        start = enc.start
    else:
        start = mac.start
    if not 0 <= start <= mac.start:
        raise SignatureError(
            f"MAC input would start at character {start}, after the SDMMAC at {mac.start}")
    # The tag MACs the characters it wrote into its file: plain ASCII (hex, '&', '=', the URL).
    return url[start:mac.start].encode("ascii", errors="replace")


def check_sun_url(url: str, *, meta_key: bytes, file_key: FileKey,
                  params: SunParameters = SunParameters()) -> SunMessage:
    """Decrypt and authenticate one SUN URL; return who tapped and with which counter.

    ``meta_key`` is the SDMMetaReadKey; ``file_key`` the SDMFileReadKey or a function from the
    UID to it. The counter is *not* judged here: pass it to :func:`check_counter` with the last
    counter stored for the UID.

    Raises:
        SignatureError: a value is missing, repeated, not hex or of the wrong length; PICCData
            does not decrypt to a valid PICCDataTag; the SDMMAC does not verify.

    References: AN12196 Rev. 1.5 §4.4 (PICCData, SDMENCFileData, SDMMAC); NT4H2421 §9.3.
    """
    values = _query_values(url)
    picc_value = _find(url, values, params.picc, "PICCData", required=True)
    mac_value = _find(url, values, params.mac, "SDMMAC", required=True)
    enc_value = _find(url, values, params.enc, "SDMENCFileData", required=False)
    assert picc_value is not None and mac_value is not None
    picc = decrypt_picc_data(meta_key, _hex(picc_value, "PICCData", lengths=(32, 48)))
    mac = _hex(mac_value, "SDMMAC", lengths=(2 * MAC_SIZE,))
    encrypted_file = None if enc_value is None else _hex(enc_value, "SDMENCFileData", block=32)
    mac_input = _mac_input(url, mac_value, enc_value, params)

    read_key = file_key(picc.uid) if callable(file_key) else file_key
    verify_sdm_mac(session_mac_key(read_key, picc.uid, picc.read_counter), mac_input, mac)
    # Decrypt only what the MAC vouched for (the default layout MACs the ciphertext).
    file_data = None
    if encrypted_file is not None:
        enc_key = session_enc_key(read_key, picc.uid, picc.read_counter)
        file_data = decrypt_file_data(enc_key, picc.read_counter, encrypted_file)
    return SunMessage(uid=picc.uid, read_counter=picc.read_counter, file_data=file_data)


def check_counter(uid: bytes, read_counter: int, last_seen: int | None) -> None:
    """Refuse a tap whose SDMReadCtr is not higher than the last one accepted for this UID.

    The tag increments SDMReadCtr on every read, so an authentic URL seen a second time, or
    an older one, is a copy: a screenshot shared around, or a cloned tag replaying it.

    Raises:
        SignatureError: ``read_counter <= last_seen``.
    """
    if last_seen is not None and read_counter <= last_seen:
        raise SignatureError(
            f"replayed: counter {read_counter} not higher than last seen {last_seen} for UID {uid.hex().upper()}")
