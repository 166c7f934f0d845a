"""NTAG 424 DNA Secure Unique NFC (SUN) messages in AES mode: the primitives a server needs.

On every tap an NTAG 424 DNA tag with Secure Dynamic Messaging (SDM) rewrites parts of its
URL: the encrypted PICCData (UID and read counter), optionally encrypted file data, and a
MAC over part of the URL. A copied URL stays valid only until the tag is tapped again, which
is what makes a cloned sticker detectable (the counter goes backwards).

Layouts (all cryptographic values most significant byte first, except SDMReadCtr, which is
least significant byte first everywhere inside the cryptography):

- PICCData, 16 bytes = PICCDataTag (1) || UID (7) || SDMReadCtr (3, LSB first) || padding (5),
  one AES-128 block encrypted with SDMMetaReadKey and a zero IV (CBC with one block).
- SV1 = C33C 0001 0080 || UID || SDMReadCtr, SV2 = 3CC3 0001 0080 || UID || SDMReadCtr
  (label, KDF counter 1, key length 128 bits, context); the session keys are
  KSesSDMFileReadENC = CMAC(SDMFileReadKey, SV1) and KSesSDMFileReadMAC = CMAC(SDMFileReadKey, SV2).
- SDMMAC = bytes 1, 3, 5, ..., 15 of CMAC(KSesSDMFileReadMAC, MAC input), 8 bytes.
- SDMENCFileData = AES-128-CBC(KSesSDMFileReadENC, IV = E(KSesSDMFileReadENC, SDMReadCtr || 0^13)).

Only AES mode is implemented; a 24-byte PICCData (LRP mode, AN12304) is refused.

Per-tag keys come from one brand master key with NXP AN10922 AES-128 diversification (see
:func:`an10922_diversify`, M = UID || key number || system identifier). It was chosen over
HKDF because it is NXP's own scheme, implemented by NXP SAMs (AV2/AV3) and many reader
stacks, so a brand can personalise tags with a SAM holding the master key and still verify
here; it is a few lines over the CMAC subkeys, checked against the published example.

References: NXP AN12196 Rev. 1.5 §4.4 (SUN message, session keys, worked examples);
NXP NT4H2421Gx datasheet §9.3 (Secure Dynamic Messaging); NXP AN10922 Rev. 1.2 §2.2
(AES-128 key diversification); NIST SP 800-38B (CMAC).

>>> zero = bytes(16)
>>> picc = decrypt_picc_data(zero, bytes.fromhex("EF963FF7828658A599F3041510671E88"))
>>> picc.uid.hex().upper(), picc.read_counter
('04DE5F1EACC040', 61)
>>> sdm_mac(session_mac_key(zero, picc.uid, picc.read_counter), b"").hex().upper()
'94EED9EE65337086'
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from trace.errors import SignatureError

KEY_SIZE = 16
BLOCK_SIZE = 16
UID_SIZE = 7
MAC_SIZE = 8
MAX_READ_COUNTER = 0xFFFFFF  # SDMReadCtr is a 24-bit counter

# PICCDataTag (NT4H2421 §9.3, SDM): bit 7 UID mirrored, bit 6 SDMReadCtr mirrored, bits 5-4 RFU (0),
# bits 3-0 UID length. We require both mirrors: the UID selects the per-tag key and the counter
# is the replay defence, so a message without either cannot be judged.
PICC_DATA_TAG = 0x80 | 0x40 | UID_SIZE  # 0xC7

# AN12196 §4.4 (session key generation): label || KDF counter 0001 || key length 0080 (128 bits); the context follows.
_SV1_PREFIX = bytes.fromhex("C33C00010080")  # -> KSesSDMFileReadENC
_SV2_PREFIX = bytes.fromhex("3CC300010080")  # -> KSesSDMFileReadMAC
_ZERO_BLOCK = bytes(BLOCK_SIZE)

# The key slots this project programs (NTAG 424 DNA has keys 0x00-0x04).
APP_MASTER_KEY_NO = 0x00
SDM_META_READ_KEY_NO = 0x01
SDM_FILE_READ_KEY_NO = 0x02
# AN10922 "system identifier": names the system the keys belong to.
SYSTEM_IDENTIFIER = b"Tracemark"
# The brand-wide SDMMetaReadKey is diversified with this UID, which no NXP tag has (byte 0 of
# a real UID is the manufacturer code 0x04): the server needs that key before it knows the UID.
_BRAND_WIDE_UID = bytes(UID_SIZE)


@dataclass(frozen=True, slots=True)
class PiccData:
    """The decrypted, checked PICCData of one tap: who (UID) and how many reads (SDMReadCtr)."""

    uid: bytes
    read_counter: int


@dataclass(frozen=True, slots=True)
class TagKeys:
    """The AES-128 keys to program into one tag, derived from the brand master key.

    ``app_master`` (key 0) and ``sdm_file_read`` (key 2) are unique to the tag;
    ``sdm_meta_read`` (key 1) is shared by the brand's tags, because the server must decrypt
    PICCData before it knows which tag it talks to (AN12196 §4.4 recommends this split).
    """

    app_master: bytes
    sdm_meta_read: bytes
    sdm_file_read: bytes


def _check_key(key: bytes, what: str) -> None:
    if len(key) != KEY_SIZE:
        raise ValueError(f"{what} must be {KEY_SIZE} bytes (AES-128), found {len(key)}")


def _ecb(key: bytes, data: bytes, *, decrypt: bool = False) -> bytes:
    cipher = Cipher(algorithms.AES(key), modes.ECB())  # noqa: S305 (single blocks, by design)
    context = cipher.decryptor() if decrypt else cipher.encryptor()
    return context.update(data)


def _counter_bytes(read_counter: int) -> bytes:
    if not 0 <= read_counter <= MAX_READ_COUNTER:
        raise ValueError(f"SDMReadCtr must be 0..{MAX_READ_COUNTER}, found {read_counter}")
    return read_counter.to_bytes(3, "little")


def aes_cmac(key: bytes, message: bytes) -> bytes:
    """AES-128 CMAC (NIST SP 800-38B) of ``message``, 16 bytes (RFC 4493 §4, example 1):

    >>> aes_cmac(bytes.fromhex("2B7E151628AED2A6ABF7158809CF4F3C"), b"").hex()
    'bb1d6929e95937287fa37d129b756746'
    """
    mac = cmac.CMAC(algorithms.AES(key))
    mac.update(message)
    return mac.finalize()


def truncate_mac(full_mac: bytes) -> bytes:
    """The 8 bytes at odd positions 1, 3, ..., 15 of a 16-byte CMAC (AN12196 §4.4, "MACt").

    >>> truncate_mac(bytes(range(16))).hex()
    '01030507090b0d0f'
    """
    if len(full_mac) != BLOCK_SIZE:
        raise ValueError(f"a full CMAC is {BLOCK_SIZE} bytes, found {len(full_mac)}")
    return full_mac[1::2]


def _session_vector(prefix: bytes, uid: bytes, read_counter: int) -> bytes:
    if len(uid) != UID_SIZE:
        raise ValueError(f"UID must be {UID_SIZE} bytes, found {len(uid)}")
    vector = prefix + uid + _counter_bytes(read_counter)
    return vector.ljust(-(-len(vector) // BLOCK_SIZE) * BLOCK_SIZE, b"\x00")


def session_enc_key(file_read_key: bytes, uid: bytes, read_counter: int) -> bytes:
    """KSesSDMFileReadENC = CMAC(SDMFileReadKey, SV1) for one tap (AN12196 §4.4)."""
    _check_key(file_read_key, "SDMFileReadKey")
    return aes_cmac(file_read_key, _session_vector(_SV1_PREFIX, uid, read_counter))


def session_mac_key(file_read_key: bytes, uid: bytes, read_counter: int) -> bytes:
    """KSesSDMFileReadMAC = CMAC(SDMFileReadKey, SV2) for one tap (AN12196 §4.4)."""
    _check_key(file_read_key, "SDMFileReadKey")
    return aes_cmac(file_read_key, _session_vector(_SV2_PREFIX, uid, read_counter))


def decrypt_picc_data(meta_read_key: bytes, encrypted: bytes) -> PiccData:
    """Decrypt a 16-byte PICCData and check its PICCDataTag (AN12196 §4.4).

    Raises:
        SignatureError: not 16 bytes (24 would be LRP mode), or the PICCDataTag is not 0xC7 --
            which is what a wrong SDMMetaReadKey or an altered ciphertext produce (255 in 256).
    """
    _check_key(meta_read_key, "SDMMetaReadKey")
    if len(encrypted) == 24:
        raise SignatureError("PICCData of 24 bytes is LRP mode, which is not supported (AES mode: 16 bytes)")
    if len(encrypted) != BLOCK_SIZE:
        raise SignatureError(f"PICCData must be {BLOCK_SIZE} bytes (AES mode), found {len(encrypted)}")
    # CBC with a zero IV over one block is plain ECB decryption.
    plain = _ecb(meta_read_key, encrypted, decrypt=True)
    if plain[0] != PICC_DATA_TAG:
        raise SignatureError(
            f"PICCData does not decrypt: PICCDataTag should be {PICC_DATA_TAG:#04x} (UID and counter"
            f" mirrored, 7-byte UID), found {plain[0]:#04x} (wrong SDMMetaReadKey or altered PICCData)"
        )
    return PiccData(uid=plain[1:8], read_counter=int.from_bytes(plain[8:11], "little"))


def encrypt_picc_data(meta_read_key: bytes, uid: bytes, read_counter: int, *,
                      padding: bytes = bytes(5)) -> bytes:
    """What the tag mirrors as PICCData (tag side; for simulations and tests).

    The tag fills ``padding`` with random bytes; any 5 bytes decrypt the same way.
    """
    _check_key(meta_read_key, "SDMMetaReadKey")
    if len(uid) != UID_SIZE or len(padding) != 5:
        raise ValueError(f"UID must be {UID_SIZE} bytes and padding 5, found {len(uid)} and {len(padding)}")
    plain = bytes([PICC_DATA_TAG]) + uid + _counter_bytes(read_counter) + padding
    return _ecb(meta_read_key, plain)


def sdm_mac(session_mac: bytes, mac_input: bytes) -> bytes:
    """SDMMAC: the truncated CMAC of ``mac_input`` under KSesSDMFileReadMAC, 8 bytes."""
    return truncate_mac(aes_cmac(session_mac, mac_input))


def verify_sdm_mac(session_mac: bytes, mac_input: bytes, mac: bytes) -> None:
    """Check a received SDMMAC in constant time.

    Raises:
        SignatureError: the MAC does not match (altered URL, replaced PICCData, wrong key).
    """
    if not hmac.compare_digest(sdm_mac(session_mac, mac_input), mac):
        raise SignatureError(f"SDMMAC {mac.hex().upper()} does not verify"
                             " (URL altered, or a different SDMFileReadKey)")


def _file_data_cipher(session_enc: bytes, read_counter: int) -> Cipher[modes.CBC]:
    iv = _ecb(session_enc, _counter_bytes(read_counter) + bytes(BLOCK_SIZE - 3))
    return Cipher(algorithms.AES(session_enc), modes.CBC(iv))


def decrypt_file_data(session_enc: bytes, read_counter: int, encrypted: bytes) -> bytes:
    """Decrypt SDMENCFileData: AES-CBC, IV = E(KSesSDMFileReadENC, SDMReadCtr || 0^13) (AN12196 §4.4.3).

    Raises:
        SignatureError: the ciphertext is empty or not whole 16-byte blocks.
    """
    if not encrypted or len(encrypted) % BLOCK_SIZE:
        raise SignatureError(f"SDMENCFileData must be whole {BLOCK_SIZE}-byte blocks, found {len(encrypted)} bytes")
    context = _file_data_cipher(session_enc, read_counter).decryptor()
    return context.update(encrypted) + context.finalize()


def encrypt_file_data(session_enc: bytes, read_counter: int, plain: bytes) -> bytes:
    """What the tag mirrors as SDMENCFileData (tag side; for simulations and tests)."""
    if not plain or len(plain) % BLOCK_SIZE:
        raise ValueError(f"file data must be whole {BLOCK_SIZE}-byte blocks, found {len(plain)} bytes")
    context = _file_data_cipher(session_enc, read_counter).encryptor()
    return context.update(plain) + context.finalize()


def _double(block: bytes) -> bytes:
    # Multiplication by x in GF(2^128), the CMAC subkey step (SP 800-38B §6.1; Rb = 0x87).
    value = int.from_bytes(block, "big") << 1
    if value >> 128:
        value = (value & ((1 << 128) - 1)) ^ 0x87
    return value.to_bytes(BLOCK_SIZE, "big")


def an10922_diversify(master_key: bytes, diversification_input: bytes) -> bytes:
    """AN10922 §2.2 AES-128 key diversification: a CMAC over 0x01 || M padded to 32 bytes.

    ``diversification_input`` (M: UID, application id, system identifier, ...) is 1 to 31
    bytes. D = 0x01 || M; if D is shorter than 32 bytes it gets 0x80 00...00 up to 32 bytes
    and its last block is XORed with subkey K2, otherwise with K1; the result is the last
    block of AES-CBC(master key, zero IV) over D. Unlike plain CMAC, D is always two blocks.

    >>> key = bytes.fromhex("00112233445566778899AABBCCDDEEFF")
    >>> an10922_diversify(key, bytes.fromhex("04782E21801D80" "3042F5" "4E585020416275")).hex().upper()
    'A8DD63A3B89D54B37CA802473FDA9175'
    """
    _check_key(master_key, "master key")
    if not 1 <= len(diversification_input) <= 31:
        raise ValueError(f"AN10922 diversification input must be 1..31 bytes, found {len(diversification_input)}")
    data = b"\x01" + diversification_input
    if len(data) > BLOCK_SIZE:
        # 17..32 bytes: padding to 32 and the choice of K1/K2 are exactly CMAC's (SP 800-38B
        # §6.2), so one library CMAC gives the same block -- several times faster per tap.
        return aes_cmac(master_key, data)
    k0 = _ecb(master_key, _ZERO_BLOCK)
    k1 = _double(k0)
    if len(data) < 2 * BLOCK_SIZE:
        data = (data + b"\x80").ljust(2 * BLOCK_SIZE, b"\x00")
        subkey = _double(k1)
    else:
        subkey = k1
    last = bytes(a ^ b for a, b in zip(data[BLOCK_SIZE:], subkey, strict=True))
    context = Cipher(algorithms.AES(master_key), modes.CBC(_ZERO_BLOCK)).encryptor()
    return (context.update(data[:BLOCK_SIZE] + last) + context.finalize())[BLOCK_SIZE:]


def diversify_tag_key(master_key: bytes, uid: bytes, key_number: int, *,
                      system_identifier: bytes = SYSTEM_IDENTIFIER) -> bytes:
    """The key in slot ``key_number`` of the tag ``uid``: AN10922 with M = UID || key number || system identifier.

    The key number keeps the keys of one tag apart; the system identifier (1..23 bytes, e.g.
    the brand's id) keeps deployments that share a master key apart.
    """
    if len(uid) != UID_SIZE:
        raise ValueError(f"UID must be {UID_SIZE} bytes, found {len(uid)}")
    if not 0 <= key_number <= 0x04:
        raise ValueError(f"NTAG 424 DNA key numbers are 0..4, found {key_number}")
    if not 1 <= len(system_identifier) <= 23:
        raise ValueError(f"system identifier must be 1..23 bytes, found {len(system_identifier)}")
    return an10922_diversify(master_key, uid + bytes([key_number]) + system_identifier)


def brand_meta_read_key(master_key: bytes, *, system_identifier: bytes = SYSTEM_IDENTIFIER) -> bytes:
    """The brand-wide SDMMetaReadKey (key 1): :func:`diversify_tag_key` with the all-zero UID."""
    return diversify_tag_key(master_key, _BRAND_WIDE_UID, SDM_META_READ_KEY_NO,
                             system_identifier=system_identifier)


def tag_keys(master_key: bytes, uid: bytes, *, system_identifier: bytes = SYSTEM_IDENTIFIER) -> TagKeys:
    """All keys to program into the tag ``uid`` (slots 0, 1 and 2)."""
    if uid == _BRAND_WIDE_UID:
        raise ValueError("UID 00000000000000 is reserved for the brand-wide SDMMetaReadKey")
    return TagKeys(
        app_master=diversify_tag_key(master_key, uid, APP_MASTER_KEY_NO, system_identifier=system_identifier),
        sdm_meta_read=brand_meta_read_key(master_key, system_identifier=system_identifier),
        sdm_file_read=diversify_tag_key(master_key, uid, SDM_FILE_READ_KEY_NO, system_identifier=system_identifier),
    )
