"""What to program into an NTAG 424 DNA tag so that it answers every tap with a SUN URL.

The NDEF file (file 02, 256 bytes) holds one NDEF URI record whose URL is the minted code URL
plus placeholders the tag overwrites on every read:

``https://brand.example/01/…/21/…?e=<32 × '0'>&enc=<file data><as many '0'>&c=<16 × '0'>``

and the SDM file settings say where those placeholders are, as byte offsets in the file.
The file starts with NLEN (2 bytes, big-endian) and then the record: header 0xD1 (MB, ME,
SR, TNF=1 well-known), type length 0x01, payload length (1 byte), type ``U``, the URI
identifier code, then the URI text without the abbreviated prefix. ndeflib picks the
longest matching prefix: 0x04 ``https://`` for most brand URLs (0x02 for ``https://www.``).
For a short record the URI text therefore starts at file offset 7.

SDMENCFileData: the tag encrypts the first SDMENCLength/2 bytes found at SDMENCOffset (the
plain file data written there) and mirrors the ciphertext as SDMENCLength hex characters
over the whole placeholder, so the placeholder is the plain data followed by as many fillers.

References: NXP AN12196 Rev. 1.5 §4.4 (SDM configuration and its example offsets);
NT4H2421Gx datasheet §9.3 (SDM offsets, NDEF file); NFC Forum URI RTD 1.0 (URI identifier
codes); NFC Forum NDEF 1.0 (record layout).
"""

from __future__ import annotations

from dataclasses import dataclass

import ndef

from trace.crypto.ntag424 import SYSTEM_IDENTIFIER, UID_SIZE, TagKeys, tag_keys
from trace.errors import InvalidInput

NDEF_FILE_SIZE = 256  # NTAG 424 DNA StandardData file 02 (the NDEF file)
_NLEN_SIZE = 2
_SHORT_RECORD = 0x10  # SR flag in the NDEF record header
_ID_LENGTH = 0x08  # IL flag

PICC_PLACEHOLDER = "0" * 32  # 16 bytes of PICCData as hex
MAC_PLACEHOLDER = "0" * 16  # 8 bytes of SDMMAC as hex


@dataclass(frozen=True, slots=True)
class SunTagPlan:
    """Everything to write into one tag: the NDEF file, the SDM offsets, the keys.

    Offsets are byte offsets in the NDEF file, as ChangeFileSettings takes them (there they
    are 3 bytes, least significant first). Without file data, ``sdm_enc_offset`` and
    ``sdm_enc_length`` are ``None`` and the MAC input is empty
    (``sdm_mac_input_offset == sdm_mac_offset``).
    """

    uid: bytes
    url_template: str
    ndef_file: bytes
    uri_prefix_code: int
    uri_prefix: str
    picc_data_offset: int
    sdm_mac_input_offset: int
    sdm_enc_offset: int | None
    sdm_enc_length: int | None
    sdm_mac_offset: int
    keys: TagKeys

    @property
    def uri_text_offset(self) -> int:
        """Where the URI text (after the identifier code) starts in the NDEF file."""
        return len(self.ndef_file) - (len(self.url_template) - len(self.uri_prefix))

    def as_json(self) -> dict[str, object]:
        """What an encoder needs, as JSON values: bytes as upper-case hex, offsets as integers.

        Holds the tag's keys: write it only where the encoder reads it, never to a shared log.
        """
        return {
            "uid": self.uid.hex().upper(), "url_template": self.url_template, "ndef_file": self.ndef_file.hex().upper(),
            "uri_prefix_code": self.uri_prefix_code, "picc_data_offset": self.picc_data_offset,
            "sdm_mac_input_offset": self.sdm_mac_input_offset, "sdm_enc_offset": self.sdm_enc_offset,
            "sdm_enc_length": self.sdm_enc_length, "sdm_mac_offset": self.sdm_mac_offset,
            "keys": {"app_master": self.keys.app_master.hex().upper(), "sdm_meta_read": self.keys.sdm_meta_read.hex().upper(),
                     "sdm_file_read": self.keys.sdm_file_read.hex().upper()},
        }

    def url_offset(self, file_offset: int) -> int:
        """The character offset in the URL a reader returns for a byte offset in the NDEF file.

        Use it for ``verify.sun.SunParameters(mac_input_offset=…, mac_offset=…)``.
        """
        return file_offset - self.uri_text_offset + len(self.uri_prefix)


@dataclass(frozen=True, slots=True)
class _Layout:
    template: str
    picc: int  # character offsets of the placeholder values in the template URL
    enc: int | None
    mac: int


def _layout(code_url: str, file_data: str | None, picc_param: str, enc_param: str, mac_param: str) -> _Layout:
    if "#" in code_url or not code_url.isascii() or not code_url.startswith("https://"):
        raise InvalidInput(f"code URL {code_url!r}: expected an ASCII https:// URL without a fragment")
    names = [picc_param, mac_param] + ([enc_param] if file_data is not None else [])
    query = code_url.partition("?")[2]
    taken = [name for name in names if any(f.partition("=")[0] == name for f in query.split("&"))]
    if taken or len(set(names)) != len(names):
        raise InvalidInput(f"code URL {code_url!r}: SUN parameter names {names} collide ({taken or 'each other'})")
    template = code_url + ("&" if "?" in code_url else "?")
    picc = len(template) + len(picc_param) + 1
    template += f"{picc_param}={PICC_PLACEHOLDER}&"
    enc = None
    if file_data is not None:
        if not file_data or len(file_data) % 16 or not file_data.isascii() or not file_data.isprintable():
            raise InvalidInput(f"file data {file_data!r}: expected printable ASCII in whole 16-character blocks")
        enc = len(template) + len(enc_param) + 1
        template += f"{enc_param}={file_data}{'0' * len(file_data)}&"
    mac = len(template) + len(mac_param) + 1
    template += f"{mac_param}={MAC_PLACEHOLDER}"
    return _Layout(template, picc, enc, mac)


def sun_url_template(code_url: str, *, file_data: str | None = None, picc_param: str = "e",
                     enc_param: str = "enc", mac_param: str = "c") -> str:
    """``code_url`` with the SUN placeholders appended as query parameters.

    ``file_data`` is the plain ASCII the tag encrypts on every tap (whole 16-character blocks);
    ``None`` leaves out the encrypted file data.

    >>> url = sun_url_template("https://brand.example/21/X1?8030=s")
    >>> url == "https://brand.example/21/X1?8030=s&e=" + "0" * 32 + "&c=" + "0" * 16
    True
    """
    return _layout(code_url, file_data, picc_param, enc_param, mac_param).template


def _ndef_file(url: str) -> tuple[bytes, int, int]:
    """The NDEF file for one URI record, the URI identifier code and where the URI text starts."""
    message = b"".join(ndef.message_encoder([ndef.UriRecord(url)]))
    header = message[0]
    if not header & _SHORT_RECORD:
        raise InvalidInput(f"URL of {len(url)} characters does not fit a short NDEF record")
    type_length = message[1]
    id_length = message[3] if header & _ID_LENGTH else 0
    payload_start = 3 + (1 if header & _ID_LENGTH else 0) + type_length + id_length
    ndef_file = len(message).to_bytes(_NLEN_SIZE, "big") + message
    if len(ndef_file) > NDEF_FILE_SIZE:
        raise InvalidInput(f"NDEF file of {len(ndef_file)} bytes does not fit the {NDEF_FILE_SIZE}-byte file 02")
    return ndef_file, message[payload_start], _NLEN_SIZE + payload_start + 1


def plan_sun_tag(code_url: str, *, uid: bytes, master_key: bytes, file_data: str | None = None,
                 system_identifier: bytes = SYSTEM_IDENTIFIER, picc_param: str = "e",
                 enc_param: str = "enc", mac_param: str = "c") -> SunTagPlan:
    """The NDEF file, SDM offsets and diversified keys for the tag ``uid`` carrying ``code_url``.

    References: AN12196 §4.4 (PICCDataOffset, SDMMACInputOffset, SDMENCOffset, SDMENCLength,
    SDMMACOffset); keys as in :func:`trace.crypto.ntag424.tag_keys`.
    """
    if len(uid) != UID_SIZE:
        raise InvalidInput(f"UID {uid.hex().upper()}: expected {UID_SIZE} bytes, found {len(uid)}")
    layout = _layout(code_url, file_data, picc_param, enc_param, mac_param)
    template = layout.template
    ndef_file, prefix_code, text_start = _ndef_file(template)
    stored = ndef_file[text_start:].decode("ascii")
    if not template.endswith(stored):
        raise InvalidInput(f"code URL {code_url!r} is not stored verbatim in an NDEF URI record")
    prefix = template[: len(template) - len(stored)]

    def file_offset(url_offset: int) -> int:
        return text_start + url_offset - len(prefix)

    mac_offset = file_offset(layout.mac)
    enc_offset = None if layout.enc is None else file_offset(layout.enc)
    enc_length = None if file_data is None else 2 * len(file_data)
    return SunTagPlan(
        uid=uid, url_template=template, ndef_file=ndef_file, uri_prefix_code=prefix_code, uri_prefix=prefix,
        picc_data_offset=file_offset(layout.picc), sdm_enc_offset=enc_offset,
        # AN12196's layout: the MAC covers the encrypted file data and the text up to the MAC.
        sdm_mac_input_offset=mac_offset if enc_offset is None else enc_offset,
        sdm_enc_length=enc_length, sdm_mac_offset=mac_offset,
        keys=tag_keys(master_key, uid, system_identifier=system_identifier),
    )
