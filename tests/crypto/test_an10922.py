"""AN10922 AES-128 diversification: the CMAC shortcut equals the construction as NXP writes it."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from trace.crypto.ntag424 import an10922_diversify

MASTER = bytes.fromhex("00112233445566778899AABBCCDDEEFF")


def _shift(block: bytes) -> bytes:
    value = int.from_bytes(block, "big") << 1
    return ((value & ((1 << 128) - 1)) ^ (0x87 if value >> 128 else 0)).to_bytes(16, "big")


def _as_written(key: bytes, m: bytes) -> bytes:
    """AN10922 §2.2 step by step: D = 0x01 || M padded to 32 bytes, last block XOR K1 or K2, CBC."""
    k1 = _shift(Cipher(algorithms.AES(key), modes.ECB()).encryptor().update(bytes(16)))
    d = b"\x01" + m
    subkey = k1 if len(d) == 32 else _shift(k1)
    d = d if len(d) == 32 else (d + b"\x80").ljust(32, b"\x00")
    last = bytes(a ^ b for a, b in zip(d[16:], subkey, strict=True))
    encryptor = Cipher(algorithms.AES(key), modes.CBC(bytes(16))).encryptor()
    return (encryptor.update(d[:16] + last) + encryptor.finalize())[16:]


@pytest.mark.parametrize("length", range(1, 32))
def test_every_input_length_matches_the_construction(length: int) -> None:
    m = bytes((7 * i + length) % 256 for i in range(length))
    assert an10922_diversify(MASTER, m) == _as_written(MASTER, m)


def test_nxp_example() -> None:
    # AN10922 Rev. 1.2 §2.2.1: UID 04782E21801D80, AID 3042F5, system identifier "NXP Abu".
    m = bytes.fromhex("04782E21801D80" "3042F5" "4E585020416275")
    assert an10922_diversify(MASTER, m).hex().upper() == "A8DD63A3B89D54B37CA802473FDA9175"
