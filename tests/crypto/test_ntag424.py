"""NTAG 424 DNA SUN primitives against AN12196's worked examples, and AN10922 diversification."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from trace.crypto.ntag424 import (
    PICC_DATA_TAG,
    TagKeys,
    aes_cmac,
    an10922_diversify,
    brand_meta_read_key,
    decrypt_file_data,
    decrypt_picc_data,
    diversify_tag_key,
    encrypt_file_data,
    encrypt_picc_data,
    sdm_mac,
    session_enc_key,
    session_mac_key,
    tag_keys,
    truncate_mac,
    verify_sdm_mac,
)
from trace.errors import SignatureError

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "nfc"
SUN = json.loads((VECTORS / "ntag424_sun_vectors.json").read_text())
FILE_DATA = json.loads((VECTORS / "an12196_file_data_vectors.json").read_text())["vectors"]
AN10922 = json.loads((VECTORS / "an10922_aes128_diversification.json").read_text())


def h(text: str) -> bytes:
    return bytes.fromhex(text)


# --- AN12196 session keys ---------------------------------------------------------------

def test_session_keys_match_an12196_exactly() -> None:
    v = SUN["session_keys"]
    uid, counter = h(v["uid"]), int.from_bytes(h(v["ctr_lsb_first"]), "little")
    assert counter == 1
    assert session_enc_key(h(v["k_sdm_file_read"]), uid, counter) == h(v["k_ses_enc"])
    assert session_mac_key(h(v["k_sdm_file_read"]), uid, counter) == h(v["k_ses_mac"])
    # SV1 / SV2 are what was MACed: check the layout directly too.
    assert aes_cmac(h(v["k_sdm_file_read"]), h(v["sv1"])) == h(v["k_ses_enc"])
    assert aes_cmac(h(v["k_sdm_file_read"]), h(v["sv2"])) == h(v["k_ses_mac"])


@pytest.mark.parametrize("v", FILE_DATA, ids=[v["name"] for v in FILE_DATA])
def test_session_keys_of_the_file_data_examples(v: dict) -> None:
    uid = h(v["uid"])
    assert session_enc_key(h(v["k_sdm_file_read"]), uid, v["read_counter"]) == h(v["k_ses_enc"])
    assert session_mac_key(h(v["k_sdm_file_read"]), uid, v["read_counter"]) == h(v["k_ses_mac"])


# --- PICCData --------------------------------------------------------------------------

def test_picc_data_decrypts_to_uid_and_counter_exactly() -> None:
    v = SUN["encrypted_picc_zero_length_mac"]
    picc = decrypt_picc_data(h(v["k_sdm_meta_read"]), h(v["picc_enc_data"]))
    assert picc.uid == h(v["uid"])
    assert picc.read_counter == v["read_counter"] == 61


@pytest.mark.parametrize("v", FILE_DATA, ids=[v["name"] for v in FILE_DATA])
def test_picc_data_of_the_file_data_examples(v: dict) -> None:
    encrypted = h(v["url"].split("picc_data=")[1][:32])
    picc = decrypt_picc_data(h(v["k_sdm_meta_read"]), encrypted)
    assert (picc.uid, picc.read_counter) == (h(v["uid"]), v["read_counter"])
    # The tag side of the same block: the AN12196 plaintext, padding included, encrypts back.
    plain = h(v["picc_data"])
    assert encrypt_picc_data(h(v["k_sdm_meta_read"]), picc.uid, picc.read_counter, padding=plain[11:]) == encrypted


def test_picc_data_under_a_wrong_key_is_refused_by_its_tag_byte() -> None:
    v = SUN["encrypted_picc_zero_length_mac"]
    with pytest.raises(SignatureError, match=r"PICCDataTag should be 0xc7.*found 0x"):
        decrypt_picc_data(b"\x01" + bytes(15), h(v["picc_enc_data"]))


@pytest.mark.parametrize("bit", range(128))
def test_every_one_bit_change_of_picc_data_is_refused_or_changes_uid_or_counter(bit: int) -> None:
    v = SUN["encrypted_picc_zero_length_mac"]
    mutated = bytearray(h(v["picc_enc_data"]))
    mutated[bit // 8] ^= 0x80 >> (bit % 8)
    try:
        picc = decrypt_picc_data(h(v["k_sdm_meta_read"]), bytes(mutated))
    except SignatureError:
        return
    # 1 in 256 of random blocks carries the tag byte 0xC7; then the UID/counter differ and
    # the MAC check (tests/verify/test_sun.py) refuses the URL.
    assert (picc.uid, picc.read_counter) != (h(v["uid"]), v["read_counter"])


@pytest.mark.parametrize(("length", "reason"), [(24, "LRP mode"), (15, "must be 16 bytes"), (32, "must be 16 bytes")])
def test_picc_data_of_another_length_is_refused(length: int, reason: str) -> None:
    with pytest.raises(SignatureError, match=reason):
        decrypt_picc_data(bytes(16), bytes(length))


def test_picc_data_tag_is_uid_and_counter_mirrored_with_a_7_byte_uid() -> None:
    assert PICC_DATA_TAG == 0xC7


# --- SDMMAC ----------------------------------------------------------------------------

def test_truncated_mac_is_the_odd_bytes_of_the_full_cmac() -> None:
    v = SUN["encrypted_picc_zero_length_mac"]
    assert aes_cmac(h(v["k_ses_mac"]), b"") == h(v["full_cmac"])
    assert truncate_mac(h(v["full_cmac"])) == h(v["sdmmac"])
    assert sdm_mac(h(v["k_ses_mac"]), b"") == h(v["sdmmac"])


@pytest.mark.parametrize("v", FILE_DATA, ids=[v["name"] for v in FILE_DATA])
def test_mac_over_the_ascii_file_data_and_parameter_name(v: dict) -> None:
    mac_input = v["mac_input_ascii"].encode("ascii")
    assert aes_cmac(h(v["k_ses_mac"]), mac_input) == h(v["full_cmac"])
    verify_sdm_mac(h(v["k_ses_mac"]), mac_input, h(v["sdmmac"]))


def test_a_mac_that_differs_in_one_bit_is_refused() -> None:
    v = SUN["encrypted_picc_zero_length_mac"]
    mac = bytearray(h(v["sdmmac"]))
    mac[7] ^= 0x01
    with pytest.raises(SignatureError, match="SDMMAC 94EED9EE65337087 does not verify"):
        verify_sdm_mac(h(v["k_ses_mac"]), b"", bytes(mac))


# --- SDMENCFileData --------------------------------------------------------------------

@pytest.mark.parametrize("v", FILE_DATA, ids=[v["name"] for v in FILE_DATA])
def test_file_data_decrypts_exactly(v: dict) -> None:
    encrypted = h(v["url"].split("enc=")[1][:32])
    plain = decrypt_file_data(h(v["k_ses_enc"]), v["read_counter"], encrypted)
    assert plain == h(v["file_data"]) == b"x" * 16
    assert encrypt_file_data(h(v["k_ses_enc"]), v["read_counter"], plain) == encrypted


def test_file_data_iv_is_the_encrypted_counter() -> None:
    # AN12196 Table 4: IVe = E(KSesSDMFileReadENC, SDMReadCtr || 0^13); a CBC decryption of a
    # zero block's encryption under that IV shows the IV itself.
    v = FILE_DATA[1]
    zero_block_ct = encrypt_file_data(h(v["k_ses_enc"]), v["read_counter"], bytes(16))
    ecb = Cipher(algorithms.AES(h(v["k_ses_enc"])), modes.ECB()).decryptor()  # noqa: S305
    assert ecb.update(zero_block_ct) == h(v["iv_enc"]) == h("7B3F3CFC39D3B7FF5868636E38AF7C3A")


@pytest.mark.parametrize("length", [0, 15, 17])
def test_file_data_that_is_not_whole_blocks_is_refused(length: int) -> None:
    with pytest.raises(SignatureError, match="whole 16-byte blocks"):
        decrypt_file_data(bytes(16), 1, bytes(length))


# --- AN10922 diversification -----------------------------------------------------------

def test_an10922_published_aes128_example() -> None:
    key = an10922_diversify(h(AN10922["master_key"]), h(AN10922["uid"] + AN10922["aid"] + AN10922["system_identifier"]))
    assert key == h(AN10922["diversified_key"])
    assert h(AN10922["system_identifier"]) == AN10922["system_identifier_ascii"].encode()


def test_an10922_always_processes_two_blocks_unlike_plain_cmac() -> None:
    # For a 15-byte M, D = 01 || M is exactly one block: CMAC would use it unpadded with K1,
    # AN10922 pads D to 32 bytes and uses K2, so the two differ. For 17..30-byte M they agree.
    master = h(AN10922["master_key"])
    assert an10922_diversify(master, bytes(15)) != aes_cmac(master, b"\x01" + bytes(15))
    m = h(AN10922["diversification_input"])
    assert an10922_diversify(master, m) == aes_cmac(master, b"\x01" + m)


@pytest.mark.parametrize("length", [0, 32])
def test_an10922_input_length_is_1_to_31_bytes(length: int) -> None:
    with pytest.raises(ValueError, match="1..31 bytes"):
        an10922_diversify(bytes(16), bytes(length))


def test_tag_keys_are_fixed_for_a_fixed_master_key_and_uid() -> None:
    master, uid = h(AN10922["master_key"]), h(AN10922["uid"])
    keys = tag_keys(master, uid)
    assert keys == TagKeys(
        app_master=h("62819C47B62B1577A51B061F8768AD5C"),
        sdm_meta_read=h("B98C4658299D18EF51521CA650354D00"),
        sdm_file_read=h("AAED766D92D00E5740D61BDD31AB2D31"),
    )
    # The layout the keys come from: M = UID || key number || "Tracemark". D = 01 || M is 18
    # bytes, where AN10922 and plain CMAC agree: an independent check of the pinned values.
    assert keys.sdm_file_read == an10922_diversify(master, uid + b"\x02" + b"Tracemark")
    assert keys.sdm_file_read == aes_cmac(master, b"\x01" + uid + b"\x02Tracemark")
    assert keys.app_master == aes_cmac(master, b"\x01" + uid + b"\x00Tracemark")
    assert keys.sdm_meta_read == brand_meta_read_key(master) == an10922_diversify(master, bytes(7) + b"\x01Tracemark")


def test_keys_differ_per_tag_per_slot_and_per_system() -> None:
    master, uid = h(AN10922["master_key"]), h(AN10922["uid"])
    other_uid = h("04782E21801D81")
    assert diversify_tag_key(master, uid, 2) != diversify_tag_key(master, other_uid, 2)
    assert diversify_tag_key(master, uid, 0) != diversify_tag_key(master, uid, 2)
    assert diversify_tag_key(master, uid, 2) != diversify_tag_key(master, uid, 2, system_identifier=b"Acme")
    assert tag_keys(master, uid).sdm_meta_read == tag_keys(master, other_uid).sdm_meta_read


def test_the_all_zero_uid_is_reserved_for_the_brand_wide_key() -> None:
    with pytest.raises(ValueError, match="reserved"):
        tag_keys(bytes(16), bytes(7))
