"""Signed notes with Ed25519 keys: how checkpoints travel between a log and its auditors.

A signed note is its text (ending in a newline), a blank line, then one line per
signature::

    — <key name> base64(4-byte key ID || signature)

and a verifier key ("vkey") names the key that can check one of those lines::

    <key name>+<hex key ID>+base64(0x01 || 32-byte Ed25519 public key)

with key ID = SHA-256(key name || 0x0A || 0x01 || public key)[:4].

References: C2SP signed-note (c2sp.org/signed-note), "Format", "Signatures",
"Ed25519 signatures", "Verifier keys".
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from trace.ledger.errors import NoteError

SIGNATURE_PREFIX = "\u2014 "  # em dash, space
ED25519_TYPE = 0x01  # signed-note signature type identifier for Ed25519
ED25519_SIGNATURE_SIZE = 64
KEY_ID_SIZE = 4
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")  # below U+0020, except newline
MAX_SIGNATURES = 100
"""Verifiers must accept at least 16 signatures; a bound stops notes used as a CPU sink."""


@dataclass(frozen=True, slots=True)
class VerifierKey:
    """A parsed vkey: the only key whose signature :func:`open_note` will accept."""

    name: str
    key_id: bytes
    public_key: Ed25519PublicKey

    def __str__(self) -> str:
        return verifier_key_string(self.name, self.public_key)


def ed25519_key_id(name: str, public_key: Ed25519PublicKey) -> bytes:
    """Return the 4-byte key ID SHA-256(name || 0x0A || 0x01 || public key)[:4].

    References: C2SP signed-note, "Ed25519 signatures".
    """
    material = name.encode("utf-8") + b"\n" + bytes([ED25519_TYPE]) + _raw(public_key)
    return hashlib.sha256(material).digest()[:KEY_ID_SIZE]


def verifier_key_string(name: str, public_key: Ed25519PublicKey) -> str:
    """Return the vkey ``<name>+<hex key ID>+<base64(0x01 || public key)>``.

    Raises ``ValueError`` if ``name`` is not a valid key name.

    References: C2SP signed-note, "Verifier keys".
    """
    _require_name(name)
    key = base64.b64encode(bytes([ED25519_TYPE]) + _raw(public_key)).decode("ascii")
    return f"{name}+{ed25519_key_id(name, public_key).hex()}+{key}"


def parse_verifier_key(vkey: str) -> VerifierKey:
    """Parse and check a vkey; raise ``NoteError`` if it is malformed or not Ed25519.

    The key ID in the string must be the one derived from the name and key, so a vkey
    cannot claim another key's identity.

    References: C2SP signed-note, "Verifier keys".
    """
    # The name and hex key ID hold no "+"; the base64 key may.
    parts = vkey.split("+", 2)
    if len(parts) != 3:
        raise NoteError(f"verifier key {vkey!r}: expected <name>+<key ID>+<key>")
    name, id_text, key_text = parts
    problem = _name_problem(name)
    if problem:
        raise NoteError(f"verifier key {vkey!r}: key name {problem}")
    if len(id_text) != 2 * KEY_ID_SIZE or id_text != id_text.lower():
        raise NoteError(f"verifier key {vkey!r}: expected 8 lowercase hex digits as key ID")
    try:
        key_id = bytes.fromhex(id_text)
    except ValueError as exc:
        raise NoteError(f"verifier key {vkey!r}: key ID {id_text!r} is not hex") from exc
    material = _b64decode(key_text, what=f"verifier key {vkey!r}")
    if len(material) != 33 or material[0] != ED25519_TYPE:
        raise NoteError(
            f"verifier key {vkey!r}: expected type 0x01 (Ed25519) and a 32-byte key, "
            f"found {len(material)} bytes"
        )
    try:
        public_key = Ed25519PublicKey.from_public_bytes(material[1:])
    except ValueError as exc:
        raise NoteError(f"verifier key {vkey!r}: not an Ed25519 public key") from exc
    if ed25519_key_id(name, public_key) != key_id:
        raise NoteError(f"verifier key {vkey!r}: key ID does not match the name and key")
    return VerifierKey(name, key_id, public_key)


def sign_note(text: str, *, key_name: str, private_key: Ed25519PrivateKey) -> str:
    """Sign ``text`` (which must end in a newline) and return the signed note.

    Raises ``ValueError`` if the text or key name cannot form a valid note.

    References: C2SP signed-note, "Format", "Ed25519 signatures".
    """
    _require_name(key_name)
    problem = _text_problem(text)
    if problem:
        raise ValueError(f"note text {text[:40]!r}...: {problem}")
    key_id = ed25519_key_id(key_name, private_key.public_key())
    signature = private_key.sign(text.encode("utf-8"))
    encoded = base64.b64encode(key_id + signature).decode("ascii")
    return f"{text}\n{SIGNATURE_PREFIX}{key_name} {encoded}\n"


def open_note(signed: str, verifier_vkey: str | VerifierKey) -> str:
    """Return the text of ``signed`` once a signature by ``verifier_vkey`` verifies.

    Signatures by other keys are ignored (they may be witnesses' cosignatures). Raises
    ``NoteError`` if the note is malformed, carries no signature by this key, or one of
    this key's signatures does not verify.

    References: C2SP signed-note, "Signatures".
    """
    if isinstance(verifier_vkey, VerifierKey):
        key = verifier_vkey
    else:
        key = parse_verifier_key(verifier_vkey)
    problem = _text_problem(signed)
    if problem:
        raise NoteError(f"signed note: {problem}")
    # The text ends at the last blank line; the text itself may contain blank lines.
    split = signed.rfind("\n\n")
    if split < 0:
        raise NoteError("signed note: expected a blank line before the signatures, found none")
    text, block = signed[: split + 1], signed[split + 2 :]
    lines = block[:-1].split("\n") if block else []
    if not lines:
        raise NoteError("signed note: expected at least one signature line, found none")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(
            f"signed note: expected at most {MAX_SIGNATURES} signatures, found {len(lines)}"
        )
    verified = False
    for line in lines:
        name, key_id, signature = _parse_signature_line(line)
        if name != key.name or key_id != key.key_id:
            continue
        try:
            key.public_key.verify(signature, text.encode("utf-8"))
        except InvalidSignature as exc:
            raise NoteError(f"signed note: the signature by {name!r} does not verify") from exc
        verified = True
    if not verified:
        raise NoteError(f"signed note: expected a signature by {str(key)!r}, found none")
    return text


def _parse_signature_line(line: str) -> tuple[str, bytes, bytes]:
    if not line.startswith(SIGNATURE_PREFIX):
        raise NoteError(f"signature line {line!r}: expected to start with em dash and space")
    parts = line[len(SIGNATURE_PREFIX) :].split(" ")
    if len(parts) != 2:
        raise NoteError(f"signature line {line!r}: expected '<name> <base64>'")
    name, encoded = parts
    problem = _name_problem(name)
    if problem:
        raise NoteError(f"signature line {line!r}: key name {problem}")
    raw = _b64decode(encoded, what=f"signature line {line!r}")
    if len(raw) <= KEY_ID_SIZE:
        raise NoteError(f"signature line {line!r}: expected a key ID and a signature")
    return name, raw[:KEY_ID_SIZE], raw[KEY_ID_SIZE:]


def _text_problem(text: str) -> str | None:
    if not text.endswith("\n"):
        return "expected a final newline, found none"
    if _CONTROL.search(text):
        return "expected no control characters other than newline"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "expected valid UTF-8 (found a lone surrogate)"
    return None


def _name_problem(name: str) -> str | None:
    if not name:
        return "is empty"
    if any(char.isspace() or char == "+" or char < " " for char in name):
        return f"{name!r} contains a space, plus sign or control character"
    return None


def _require_name(name: str) -> None:
    problem = _name_problem(name)
    if problem:
        raise ValueError(f"key name {problem}")


def _b64decode(text: str, *, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error) as exc:
        raise NoteError(f"{what}: expected standard base64") from exc
    if base64.b64encode(raw).decode("ascii") != text:
        raise NoteError(f"{what}: expected canonical base64")
    return raw


def _raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
