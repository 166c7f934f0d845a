"""SUN URLs judged: AN12196's examples accepted, every one-digit mutation refused, replays refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trace.errors import SignatureError
from verify.sun import SunMessage, SunParameters, check_counter, check_sun_url

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "nfc"
PICC_ONLY = json.loads((VECTORS / "ntag424_sun_vectors.json").read_text())["encrypted_picc_zero_length_mac"]
FILE_DATA = json.loads((VECTORS / "an12196_file_data_vectors.json").read_text())["vectors"]
ZERO = bytes(16)
OTHER = bytes.fromhex("00000000000000000000000000000001")


def h(text: str) -> bytes:
    return bytes.fromhex(text)


def check(url: str, **options) -> SunMessage:
    return check_sun_url(url, **{"meta_key": ZERO, "file_key": ZERO, **options})


# --- the examples ----------------------------------------------------------------------

def test_an12196_picc_data_and_empty_mac_input_example() -> None:
    message = check(PICC_ONLY["url"])
    assert message == SunMessage(uid=h("04DE5F1EACC040"), read_counter=61, file_data=None)


@pytest.mark.parametrize("v", FILE_DATA, ids=[v["name"] for v in FILE_DATA])
def test_an12196_examples_with_encrypted_file_data(v: dict) -> None:
    message = check(v["url"])
    assert message == SunMessage(uid=h(v["uid"]), read_counter=v["read_counter"], file_data=b"x" * 16)


@pytest.mark.parametrize("v", FILE_DATA, ids=[v["name"] for v in FILE_DATA])
def test_explicit_offsets_as_programmed_in_the_tag(v: dict) -> None:
    # The tag's offsets count bytes in the NDEF file: 7 header bytes, then the URI text after
    # the abbreviated "https://www." (URI identifier code 0x02, 12 characters).
    def to_url(file_offset: int) -> int:
        return file_offset - 7 + len("https://www.")

    start, end = to_url(v["sdm_mac_input_offset"]), to_url(v["sdm_mac_offset"])
    assert v["url"][start:end] == v["mac_input_ascii"]
    params = SunParameters(mac_input_offset=start, mac_offset=end)
    assert check(v["url"], params=params).read_counter == v["read_counter"]


def test_file_key_may_be_a_function_of_the_uid() -> None:
    seen: list[bytes] = []

    def file_key(uid: bytes) -> bytes:
        seen.append(uid)
        return ZERO

    assert check(FILE_DATA[0]["url"], file_key=file_key).file_data == b"x" * 16
    assert seen == [h("04958CAA5C5E80")]


def test_parameter_names_are_configurable() -> None:
    url = PICC_ONLY["url"].replace("?e=", "?p=").replace("&c=", "&m=")
    with pytest.raises(SignatureError, match="no PICCData"):
        check(url)
    assert check(url, params=SunParameters(picc=("p",), mac=("m",))).read_counter == 61


def test_fragment_is_not_part_of_the_mac() -> None:
    assert check(PICC_ONLY["url"] + "#top").read_counter == 61


# --- one-digit mutations ---------------------------------------------------------------

def _mutations(url: str, name: str) -> list[tuple[str, str]]:
    """Every single-bit change of the hex value of ``name``, as (id, url), digit by digit."""
    start = url.index(f"{name}=") + len(name) + 1
    end = url.find("&", start)
    end = len(url) if end < 0 else end
    cases = []
    for position in range(start, end):
        for bit in range(4):
            digit = f"{int(url[position], 16) ^ (1 << bit):X}"
            cases.append((f"{name}[{position - start}]^{1 << bit}", url[:position] + digit + url[position + 1:]))
    return cases


MUTATIONS = (
    _mutations(PICC_ONLY["url"], "e") + _mutations(PICC_ONLY["url"], "c")
    + _mutations(FILE_DATA[0]["url"], "picc_data") + _mutations(FILE_DATA[0]["url"], "enc")
    + _mutations(FILE_DATA[0]["url"], "cmac")
)


def test_every_bit_of_every_value_is_mutated() -> None:
    assert len(MUTATIONS) == 4 * (32 + 16 + 32 + 32 + 16) == 512


@pytest.mark.parametrize("url", [url for _, url in MUTATIONS], ids=[name for name, _ in MUTATIONS])
def test_a_one_bit_change_of_any_value_is_refused(url: str) -> None:
    with pytest.raises(SignatureError, match="PICCDataTag|SDMMAC .* does not verify"):
        check(url)


@pytest.mark.parametrize("url", [PICC_ONLY["url"], FILE_DATA[0]["url"]], ids=["picc-only", "file-data"])
def test_wrong_meta_key_is_refused(url: str) -> None:
    with pytest.raises(SignatureError, match="PICCDataTag should be 0xc7"):
        check(url, meta_key=OTHER)


@pytest.mark.parametrize("url", [PICC_ONLY["url"], FILE_DATA[0]["url"]], ids=["picc-only", "file-data"])
def test_wrong_file_key_is_refused(url: str) -> None:
    with pytest.raises(SignatureError, match="SDMMAC [0-9A-F]{16} does not verify"):
        check(url, file_key=OTHER)


def test_picc_data_and_mac_of_two_taps_do_not_mix() -> None:
    # Two genuine taps of one tag (counters 1 and 8): the PICCData of one with the file data
    # and MAC of the other must not pass.
    first, second = FILE_DATA[1]["url"], FILE_DATA[0]["url"]
    spliced = first.split("&enc=")[0] + "&enc=" + second.split("&enc=")[1]
    with pytest.raises(SignatureError, match="does not verify"):
        check(spliced)


# --- malformed values ------------------------------------------------------------------

@pytest.mark.parametrize(("url", "reason"), [
    ("https://ntag.nxp.com/424", "has no query string"),
    ("https://ntag.nxp.com/424?c=94EED9EE65337086", "carries no PICCData"),
    ("https://ntag.nxp.com/424?e=EF963FF7828658A599F3041510671E88", "carries no SDMMAC"),
    ("https://ntag.nxp.com/424?e=EF963FF7828658A599F3041510671E8G&c=94EED9EE65337086", "PICCData .* is not hexadecimal"),
    ("https://ntag.nxp.com/424?e=EF963FF7828658A599F3041510671E&c=94EED9EE65337086", "PICCData must be 32 or 48 hex digits, found 30"),
    ("https://ntag.nxp.com/424?e=EF963FF7828658A599F3041510671E88&c=94EED9EE653370", "SDMMAC must be 16 hex digits, found 14"),
    ("https://ntag.nxp.com/424?e=EF963FF7828658A599F3041510671E88&c=94EED9EE6533708", "SDMMAC .* is not hexadecimal"),
    ("https://ntag.nxp.com/424?e=EF963FF7828658A599F3041510671E88&c=", "SDMMAC '' is not hexadecimal"),
    ("https://ntag.nxp.com/424?e=EF963FF7828658A599F3041510671E88&c=94EED9EE65337086&c=94EED9EE65337086",
     "repeats the query parameter 'c'"),
    ("https://ntag.nxp.com/424?e=EF963FF7828658A599F3041510671E88&picc_data=EF963FF7828658A599F3041510671E88"
     "&c=94EED9EE65337086", r"carries PICCData twice \(e, picc_data\)"),
    ("https://ntag.nxp.com/424?e=" + "00" * 24 + "&c=94EED9EE65337086", "LRP mode, which is not supported"),
    ("https://ntag.nxp.com/424?e=EF963FF7828658A599F3041510671E88&enc=CEE9A53E&c=94EED9EE65337086",
     "SDMENCFileData must be a multiple of 32 hex digits, found 8"),
    ("https://ntag.nxp.com/424?e=EF963FF7828658A599F3041510671E88&c=94EED9EE65337086"
     "&enc=CEE9A53E3E463EF1F459635736738962", "MAC input would start at character 83, after the SDMMAC at 62"),
], ids=["no-query", "no-picc", "no-mac", "picc-not-hex", "picc-short", "mac-short", "mac-odd", "mac-empty",
        "mac-twice", "picc-two-aliases", "lrp", "enc-short", "enc-after-mac"])
def test_malformed_sun_urls_are_refused_with_the_reason(url: str, reason: str) -> None:
    with pytest.raises(SignatureError, match=reason):
        check(url)


def test_mac_not_at_the_programmed_offset_is_refused() -> None:
    with pytest.raises(SignatureError, match="SDMMAC starts at character 62 of the URL, expected 61"):
        check(PICC_ONLY["url"], params=SunParameters(mac_offset=61))
    assert PICC_ONLY["url"].index("&c=") + 3 == 62


# --- replay ----------------------------------------------------------------------------

UID = h("04DE5F1EACC040")


@pytest.mark.parametrize("last_seen", [None, 0, 60])
def test_a_higher_counter_is_accepted(last_seen: int | None) -> None:
    assert check_counter(UID, 61, last_seen) is None


@pytest.mark.parametrize("last_seen", [61, 62, 0xFFFFFF], ids=["equal", "lower-by-one", "far-lower"])
def test_an_equal_or_lower_counter_is_a_replay(last_seen: int) -> None:
    with pytest.raises(SignatureError) as caught:
        check_counter(UID, 61, last_seen)
    assert str(caught.value) == f"replayed: counter 61 not higher than last seen {last_seen} for UID 04DE5F1EACC040"
