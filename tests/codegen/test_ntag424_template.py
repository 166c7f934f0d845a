"""SUN templates and offsets: AN12196's example offsets, and a simulated tag verified end to end."""

from __future__ import annotations

import doctest
from collections.abc import Callable

import ndef
import pytest

import codegen.ntag424_template
from codegen.ntag424_template import SunTagPlan, plan_sun_tag, sun_url_template
from trace.crypto.ntag424 import (
    encrypt_file_data,
    encrypt_picc_data,
    sdm_mac,
    session_enc_key,
    session_mac_key,
    tag_keys,
)
from trace.errors import InvalidInput, SignatureError
from verify.sun import SunMessage, SunParameters, check_counter, check_sun_url

MASTER = bytes.fromhex("00112233445566778899AABBCCDDEEFF")
UID = bytes.fromhex("04958CAA5C5E80")
CODE_URL = "https://brand.example/01/09506000134352/21/Q7XK2M9PZ4RT?8030=AbC-_1"


def tapped_url(plan: SunTagPlan, read_counter: int, *, padding: bytes = b"\x5a" * 5) -> str:
    """What a tag programmed with ``plan`` returns on a read: SDM done with our own primitives.

    The tag writes the mirrors into a copy of the NDEF file at the programmed offsets, in
    order: PICCData, SDMENCFileData (encrypting the plain data found at SDMENCOffset), then
    the SDMMAC over file[SDMMACInputOffset:SDMMACOffset] (NT4H2421 §9.3).
    """
    data = bytearray(plan.ndef_file)
    keys = plan.keys

    def mirror(offset: int, value: bytes) -> None:
        text = value.hex().upper().encode("ascii")
        data[offset:offset + len(text)] = text

    mirror(plan.picc_data_offset, encrypt_picc_data(keys.sdm_meta_read, plan.uid, read_counter, padding=padding))
    if plan.sdm_enc_offset is not None and plan.sdm_enc_length is not None:
        plain = bytes(data[plan.sdm_enc_offset:plan.sdm_enc_offset + plan.sdm_enc_length // 2])
        enc_key = session_enc_key(keys.sdm_file_read, plan.uid, read_counter)
        mirror(plan.sdm_enc_offset, encrypt_file_data(enc_key, read_counter, plain))
    mac_key = session_mac_key(keys.sdm_file_read, plan.uid, read_counter)
    mirror(plan.sdm_mac_offset, sdm_mac(mac_key, bytes(data[plan.sdm_mac_input_offset:plan.sdm_mac_offset])))
    assert len(data) == len(plan.ndef_file)
    # A phone reads the NDEF file: NLEN, then the message; it expands the URI prefix.
    assert int.from_bytes(data[:2], "big") == len(data) - 2
    (record,) = ndef.message_decoder(bytes(data[2:]))
    return record.iri


def server_file_key(uid: bytes) -> bytes:
    return tag_keys(MASTER, uid).sdm_file_read


# --- templates and offsets -------------------------------------------------------------

def test_docstring_examples_run() -> None:
    result = doctest.testmod(codegen.ntag424_template)
    assert result.attempted > 0 and result.failed == 0


def test_template_without_file_data() -> None:
    assert sun_url_template(CODE_URL) == CODE_URL + "&e=" + "0" * 32 + "&c=" + "0" * 16


def test_template_with_file_data_holds_the_plain_data_then_fillers() -> None:
    template = sun_url_template("https://brand.example/01/09506000134352/21/Q7", file_data="0123456789ABCDEF")
    assert template == ("https://brand.example/01/09506000134352/21/Q7?e=" + "0" * 32
                        + "&enc=0123456789ABCDEF" + "0" * 16 + "&c=" + "0" * 16)


def test_offsets_of_an12196s_example() -> None:
    # AN12196 Rev. 1.5 p. 18: https://www.my424dna.com/?picc_data=…&enc=…&cmac=… with
    # SDMMACInputOffset = SDMENCOffset = 0x44, SDMENCLength = 0x20, SDMMACOffset = 0x6A.
    plan = plan_sun_tag("https://www.my424dna.com/", uid=UID, master_key=MASTER, file_data="x" * 16,
                        picc_param="picc_data", enc_param="enc", mac_param="cmac")
    assert plan.uri_prefix_code == 0x02 and plan.uri_prefix == "https://www."
    assert plan.ndef_file[:7] == bytes([0x00, len(plan.ndef_file) - 2, 0xD1, 0x01, len(plan.ndef_file) - 6, 0x55, 0x02])
    assert plan.uri_text_offset == 7
    assert (plan.picc_data_offset, plan.sdm_mac_input_offset, plan.sdm_enc_offset, plan.sdm_enc_length,
            plan.sdm_mac_offset) == (0x1F, 0x44, 0x44, 0x20, 0x6A)


def test_offsets_with_the_https_prefix_and_a_signed_digital_link() -> None:
    plan = plan_sun_tag(CODE_URL, uid=UID, master_key=MASTER)
    assert plan.uri_prefix_code == 0x04 and plan.uri_prefix == "https://"
    text = plan.url_template[len("https://"):]
    assert plan.ndef_file[7:].decode("ascii") == text
    e = 7 + text.index("&e=") + 3
    c = 7 + text.index("&c=") + 3
    assert (plan.picc_data_offset, plan.sdm_mac_input_offset, plan.sdm_enc_offset, plan.sdm_enc_length,
            plan.sdm_mac_offset) == (e, c, None, None, c)
    assert plan.url_offset(plan.sdm_mac_offset) == plan.url_template.index("&c=") + 3


def test_plan_carries_the_tags_diversified_keys() -> None:
    plan = plan_sun_tag(CODE_URL, uid=UID, master_key=MASTER)
    assert plan.keys == tag_keys(MASTER, UID)
    assert plan.keys.sdm_file_read != plan.keys.app_master != plan.keys.sdm_meta_read


@pytest.mark.parametrize(("options", "reason"), [
    ({"code_url": "http://brand.example/01/09506000134352"}, "expected an ASCII https:// URL"),
    ({"code_url": "https://brand.example/01/09506000134352#x"}, "without a fragment"),
    ({"code_url": "https://brand.example/01/09506000134352?e=1"}, "collide"),
    ({"mac_param": "e"}, "collide"),
    ({"file_data": "short"}, "whole 16-character blocks"),
    ({"code_url": "https://brand.example/" + "a" * 250}, "does not fit a short NDEF record"),
])
def test_what_cannot_be_programmed_is_refused(options: dict, reason: str) -> None:
    arguments = {"code_url": CODE_URL, "uid": UID, "master_key": MASTER, **options}
    code_url = arguments.pop("code_url")
    with pytest.raises(InvalidInput, match=reason):
        plan_sun_tag(code_url, **arguments)


def test_ndef_file_that_exceeds_256_bytes_is_refused() -> None:
    # A 260-character template: URI text of 252 bytes, payload 253 (a short record still),
    # file 2 + 4 + 253 = 259 bytes.
    code_url = "https://brand.example/" + "a" * 184
    assert len(sun_url_template(code_url)) == 260
    with pytest.raises(InvalidInput, match="NDEF file of 259 bytes does not fit the 256-byte file 02"):
        plan_sun_tag(code_url, uid=UID, master_key=MASTER)
    plan_sun_tag(code_url[:-3], uid=UID, master_key=MASTER)  # 256 bytes: fits


# --- end to end: program, tap, verify --------------------------------------------------

@pytest.mark.parametrize("file_data", [None, "0" * 16, "LOT:L2026-11;X=1"], ids=["no-file-data", "zeros", "ascii"])
@pytest.mark.parametrize("code_url", [CODE_URL, "https://www.brand.example/01/09506000134352/21/7"],
                         ids=["https", "https-www"])
def test_a_simulated_tap_verifies_with_default_and_with_programmed_offsets(file_data: str | None, code_url: str) -> None:
    plan = plan_sun_tag(code_url, uid=UID, master_key=MASTER, file_data=file_data)
    url = tapped_url(plan, read_counter=0x0102A3)
    assert url.startswith(code_url)
    expected = SunMessage(uid=UID, read_counter=0x0102A3,
                          file_data=None if file_data is None else file_data.encode("ascii"))
    default = check_sun_url(url, meta_key=plan.keys.sdm_meta_read, file_key=server_file_key)
    assert default == expected
    explicit = SunParameters(mac_input_offset=plan.url_offset(plan.sdm_mac_input_offset),
                             mac_offset=plan.url_offset(plan.sdm_mac_offset))
    assert check_sun_url(url, meta_key=plan.keys.sdm_meta_read, file_key=server_file_key, params=explicit) == expected


def test_successive_taps_pass_and_a_replayed_tap_does_not() -> None:
    plan = plan_sun_tag(CODE_URL, uid=UID, master_key=MASTER, file_data="0" * 16)
    last_seen: int | None = None
    urls = [tapped_url(plan, counter) for counter in (1, 2, 3)]
    for url in urls:
        message = check_sun_url(url, meta_key=plan.keys.sdm_meta_read, file_key=server_file_key)
        check_counter(message.uid, message.read_counter, last_seen)
        last_seen = message.read_counter
    replayed = check_sun_url(urls[1], meta_key=plan.keys.sdm_meta_read, file_key=server_file_key)
    with pytest.raises(SignatureError, match="replayed: counter 2 not higher than last seen 3"):
        check_counter(replayed.uid, replayed.read_counter, last_seen)


@pytest.mark.parametrize("wrong", [
    lambda uid: tag_keys(MASTER, uid).app_master,
    lambda uid: tag_keys(bytes(16), uid).sdm_file_read,
    lambda uid: tag_keys(MASTER, bytes.fromhex("04958CAA5C5E81")).sdm_file_read,
], ids=["other-slot", "other-master", "other-tag"])
def test_a_tap_of_one_tag_fails_under_another_tags_key(wrong: Callable[[bytes], bytes]) -> None:
    plan = plan_sun_tag(CODE_URL, uid=UID, master_key=MASTER)
    with pytest.raises(SignatureError, match="does not verify"):
        check_sun_url(tapped_url(plan, 5), meta_key=plan.keys.sdm_meta_read, file_key=wrong)
