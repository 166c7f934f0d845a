"""Checkpoints (C2SP tlog-checkpoint) and Ed25519 signed notes (C2SP signed-note)."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from trace.errors import LedgerError
from trace.ledger import (
    Checkpoint,
    CheckpointError,
    NoteError,
    ed25519_key_id,
    open_note,
    parse_verifier_key,
    sign_note,
    verifier_key_string,
)
from trace.types import Hash32

# From C2SP signed-note.md, "Verifier keys" / "Example" (github.com/C2SP/C2SP, commit
# 5ba5ee8, CC BY 4.0): a vkey and the note it verifies.
SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = (
    "This is an example message.\n"
    "\n"
    "\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3"
    "mFXmRKuwHjG1Yu72IneyaQM=\n"
)
# From C2SP tlog-checkpoint.md (same commit): the example checkpoint's note text.
SPEC_CHECKPOINT = (
    "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
)

KEY_NAME = "tracemark.example/log"
PRIVATE_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
VKEY = verifier_key_string(KEY_NAME, PRIVATE_KEY.public_key())
ROOT = Hash32(bytes.fromhex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"))


def _signed_checkpoint() -> str:
    return sign_note(
        Checkpoint(KEY_NAME, 8, ROOT).to_text(), key_name=KEY_NAME, private_key=PRIVATE_KEY
    )


# --- checkpoints -------------------------------------------------------------------------


def test_spec_checkpoint_parses_and_renders_identically() -> None:
    checkpoint = Checkpoint.parse(SPEC_CHECKPOINT)
    assert checkpoint.origin == "example.com/behind-the-sofa"
    assert checkpoint.size == 20852163
    assert checkpoint.root_hash == base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    assert checkpoint.extensions == ()
    assert checkpoint.to_text() == SPEC_CHECKPOINT


def test_checkpoint_text_is_exact() -> None:
    checkpoint = Checkpoint("tracemark.example/log", 8, ROOT, ("ext one", "ext-two"))
    text = (
        "tracemark.example/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
        "ext one\next-two\n"
    )
    assert checkpoint.to_text() == text
    assert Checkpoint.parse(text) == checkpoint


def test_empty_tree_checkpoint_round_trips() -> None:
    checkpoint = Checkpoint("log", 0, Hash32(bytes(32)))
    assert Checkpoint.parse(checkpoint.to_text()) == checkpoint


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("no-final-newline", SPEC_CHECKPOINT[:-1]),
        ("two-lines", "origin\n5\n"),
        ("empty-origin", "\n5\n" + SPEC_CHECKPOINT.split("\n")[2] + "\n"),
        ("leading-zero-size", SPEC_CHECKPOINT.replace("\n20852163\n", "\n020852163\n")),
        ("plus-sign-size", SPEC_CHECKPOINT.replace("\n20852163\n", "\n+20852163\n")),
        ("space-in-size", SPEC_CHECKPOINT.replace("\n20852163\n", "\n 20852163\n")),
        ("underscore-in-size", SPEC_CHECKPOINT.replace("\n20852163\n", "\n20_852_163\n")),
        ("non-ascii-digit-size", SPEC_CHECKPOINT.replace("\n20852163\n", "\n\u0662\n")),
        ("size-above-uint64", SPEC_CHECKPOINT.replace("\n20852163\n", f"\n{2**64}\n")),
        ("root-without-padding", SPEC_CHECKPOINT.replace("q2I=", "q2I")),
        ("root-non-canonical-bits", SPEC_CHECKPOINT.replace("q2I=", "q2J=")),
        ("root-url-safe-alphabet", SPEC_CHECKPOINT.replace("m/Xa", "m_Xa")),
        ("root-31-bytes", "o\n1\n" + base64.b64encode(bytes(31)).decode() + "\n"),
        ("empty-extension-line", SPEC_CHECKPOINT + "\n"),
        ("carriage-return", SPEC_CHECKPOINT.replace("sofa\n", "sofa\r\n")),
    ],
)
def test_malformed_checkpoint_is_rejected(name: str, text: str) -> None:
    with pytest.raises(CheckpointError):
        Checkpoint.parse(text)


def test_checkpoint_rejects_bad_fields_on_construction() -> None:
    with pytest.raises(CheckpointError):
        Checkpoint("origin\nsecond line", 1, ROOT)
    with pytest.raises(CheckpointError):
        Checkpoint("origin", -1, ROOT)
    with pytest.raises(CheckpointError):
        Checkpoint("origin", 1, Hash32(ROOT[:31]))


# --- verifier keys -----------------------------------------------------------------------


def test_spec_vkey_parses_and_renders_identically() -> None:
    key = parse_verifier_key(SPEC_VKEY)
    assert key.name == "example.com/foo"
    assert key.key_id.hex() == "530d903a"
    # The key ID parse checked is SHA-256(name || 0x0A || 0x01 || key)[:4].
    assert ed25519_key_id(key.name, key.public_key) == bytes.fromhex("530d903a")
    assert str(key) == SPEC_VKEY
    assert verifier_key_string(key.name, key.public_key) == SPEC_VKEY


@pytest.mark.parametrize(
    ("name", "vkey"),
    [
        ("wrong-key-id", SPEC_VKEY.replace("530d903a", "530d903b")),
        ("uppercase-key-id", SPEC_VKEY.replace("530d903a", "530D903A")),
        ("short-key-id", SPEC_VKEY.replace("530d903a", "530d90")),
        ("other-name", SPEC_VKEY.replace("example.com/foo", "example.com/bar")),
        ("missing-part", SPEC_VKEY.rsplit("+", 1)[0]),
        ("extra-part", SPEC_VKEY + "+x"),
        ("ecdsa-type-byte", SPEC_VKEY.replace("+Aeky", "+Aoky")),
        ("truncated-key", SPEC_VKEY[:-4]),
        ("space-in-name", SPEC_VKEY.replace("example.com/foo", "example.com foo")),
    ],
)
def test_malformed_vkey_is_rejected(name: str, vkey: str) -> None:
    with pytest.raises(NoteError):
        parse_verifier_key(vkey)


# --- signed notes ------------------------------------------------------------------------


def test_spec_note_opens_with_spec_vkey() -> None:
    assert open_note(SPEC_NOTE, SPEC_VKEY) == "This is an example message.\n"


def test_signed_note_layout() -> None:
    text = Checkpoint(KEY_NAME, 8, ROOT).to_text()
    signed = _signed_checkpoint()
    body, signature_line = signed.split("\n\n")
    assert body + "\n" == text
    prefix = f"\u2014 {KEY_NAME} "
    assert signature_line.startswith(prefix) and signature_line.endswith("\n")
    raw = base64.b64decode(signature_line[len(prefix) : -1], validate=True)
    assert raw[:4] == parse_verifier_key(VKEY).key_id
    PRIVATE_KEY.public_key().verify(raw[4:], text.encode())


def test_signed_checkpoint_opens_and_parses() -> None:
    text = open_note(_signed_checkpoint(), VKEY)
    assert Checkpoint.parse(text) == Checkpoint(KEY_NAME, 8, ROOT)


def test_every_single_character_change_is_rejected() -> None:
    signed = _signed_checkpoint()
    accepted = []
    for position, char in enumerate(signed):
        replacement = "B" if char == "A" else "A"
        mutated = signed[:position] + replacement + signed[position + 1 :]
        try:
            open_note(mutated, VKEY)
        except NoteError:
            continue
        accepted.append(position)
    assert accepted == []


def test_wrong_key_name_is_rejected() -> None:
    vkey = verifier_key_string("tracemark.example/other", PRIVATE_KEY.public_key())
    with pytest.raises(NoteError, match="expected a signature by"):
        open_note(_signed_checkpoint(), vkey)


def test_other_key_with_same_name_is_rejected() -> None:
    other = Ed25519PrivateKey.from_private_bytes(bytes(32))
    with pytest.raises(NoteError):
        open_note(_signed_checkpoint(), verifier_key_string(KEY_NAME, other.public_key()))


def test_known_key_with_bad_signature_rejects_the_note_despite_a_good_one() -> None:
    signed = _signed_checkpoint()
    good_line = signed.split("\n\n")[1]
    bad_raw = bytearray(base64.b64decode(good_line.split(" ")[2]))
    bad_raw[-1] ^= 1
    bad_line = f"\u2014 {KEY_NAME} {base64.b64encode(bytes(bad_raw)).decode()}\n"
    with pytest.raises(NoteError, match="does not verify"):
        open_note(signed + bad_line, VKEY)


def test_signatures_by_unknown_keys_are_ignored() -> None:
    witness = Ed25519PrivateKey.from_private_bytes(bytes([7]) * 32)
    cosigned = sign_note(
        Checkpoint(KEY_NAME, 8, ROOT).to_text(), key_name="witness.example", private_key=witness
    ).split("\n\n")[1]
    text = Checkpoint(KEY_NAME, 8, ROOT).to_text()
    assert open_note(_signed_checkpoint() + cosigned, VKEY) == text


def test_note_text_may_contain_blank_lines() -> None:
    text = "first\n\nthird\n"
    signed = sign_note(text, key_name=KEY_NAME, private_key=PRIVATE_KEY)
    assert open_note(signed, VKEY) == text


@pytest.mark.parametrize(
    ("name", "signed"),
    [
        ("no-blank-line", "text\n\u2014 k AAAA\n"),
        ("no-signature", "text\n\n"),
        ("no-final-newline", SPEC_NOTE[:-1]),
        ("hyphen-not-em-dash", SPEC_NOTE.replace("\u2014", "-")),
        ("tab-in-text", SPEC_NOTE.replace("This is", "This\tis")),
        ("lone-surrogate", SPEC_NOTE.replace("This", "\ud800his")),
        ("signature-too-short", "text\n\n\u2014 example.com/foo AAAA\n"),
        ("extra-field", SPEC_NOTE[:-1] + " extra\n"),
    ],
)
def test_malformed_note_is_rejected(name: str, signed: str) -> None:
    with pytest.raises(NoteError):
        open_note(signed, SPEC_VKEY)


def test_too_many_signatures_are_rejected() -> None:
    line = SPEC_NOTE.split("\n\n")[1]
    with pytest.raises(NoteError, match="at most"):
        open_note(SPEC_NOTE + line * 100, SPEC_VKEY)


def test_sixteen_signatures_are_accepted() -> None:
    line = SPEC_NOTE.split("\n\n")[1]
    assert open_note(SPEC_NOTE + line * 15, SPEC_VKEY) == "This is an example message.\n"


@pytest.mark.parametrize(
    ("text", "key_name"),
    [("no newline", KEY_NAME), ("ok\n", "has space"), ("ok\n", "has+plus"), ("ok\n", ""),
     ("bell\x07\n", KEY_NAME)],
)
def test_sign_note_refuses_invalid_input(text: str, key_name: str) -> None:
    with pytest.raises(ValueError):
        sign_note(text, key_name=key_name, private_key=PRIVATE_KEY)


def test_note_errors_are_ledger_errors() -> None:
    assert issubclass(NoteError, LedgerError)
    assert issubclass(CheckpointError, LedgerError)
