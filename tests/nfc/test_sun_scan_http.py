"""NTAG 424 SUN end to end over HTTP: the brand's key made and rotated through the API, a tag
programmed from the API's answer, its taps judged on the public Digital Link path.

The tag is simulated from the plan JSON alone (``support.sun_tag``); the app runs under
uvicorn on 127.0.0.1 and is called with a real HTTP client.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

import httpx
import pytest

from codegen.mint_job import MintRequest, mint
from trace.runtime import Runtime
from trace.services.api_keys import issue_api_key
from support.factories import seeded_catalog
from support.live_server import serve
from support.sun_tag import ProgrammedTag

UID = "04958CAA5C5E80"
SECOND_UID = "04958CAA5C5E81"
FILE_DATA = "LOT-2026/11 0001"  # 16 characters: one block the tag encrypts on every tap
JSON = {"Accept": "application/json"}


@pytest.fixture
def world(runtime: Runtime):
    runtime = Runtime(settings=runtime.settings.model_copy(update={"rate_limit_per_minute": 100_000,
                                                                   "checkpoint_interval_seconds": 0}),
                      db=runtime.db, key_store=runtime.key_store)
    # A short lot: the signed URL (AI 8030 alone is 95 characters), PICCData, 32 characters of
    # encrypted file data and the MAC must fit the tag's 256-byte NDEF file.
    cat = seeded_catalog(runtime, lot="L1")
    seeded_catalog(runtime, slug="other", gtin="09506000134376", lot="O-1", domain="https://id.other.example")
    out = io.StringIO()
    mint(runtime.db, runtime.key_store, MintRequest(gtin=cat.gtin, lot=cat.lot, count=2, output_format="csv",
                                                    out=None, requested_by="test"), stdout=out)
    codes = list(csv.DictReader(io.StringIO(out.getvalue())))
    tokens = {role: issue_api_key(runtime.db, role=role, brand="acme", name=role).token
              for role in ("admin", "operator", "viewer")}
    tokens["other"] = issue_api_key(runtime.db, role="admin", brand="other", name="other").token
    with serve(runtime) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield client, base, codes, {role: {"Authorization": f"Bearer {t}"} for role, t in tokens.items()}


def _scan(client: httpx.Client, base: str, url: str) -> httpx.Response:
    return client.get(url.replace("https://id.acme.example", base), headers=JSON)


def _program(client, auth, code, uid):
    return client.post("/api/v1/brands/acme/nfc-tags", headers=auth,
                       json={"uid": uid, "gtin": code["gtin"], "serial": code["serial"], "file_data": FILE_DATA})


def test_sun_taps_are_authenticated_and_a_replay_is_a_copy(world) -> None:
    client, base, codes, auth = world
    assert _program(client, auth["operator"], codes[0], UID).json()["detail"] == (
        "brand 'acme' has no SUN master key: run `tracemark nfc key rotate --brand acme`")
    assert client.post("/api/v1/brands/acme/sun-keys/rotate", headers=auth["viewer"]).status_code == 403
    assert client.post("/api/v1/brands/acme/sun-keys/rotate", headers=auth["other"]).status_code == 403
    rotated = client.post("/api/v1/brands/acme/sun-keys/rotate", headers=auth["admin"])
    assert (rotated.status_code, rotated.json()["version"], rotated.json()["status"]) == (200, 1, "active")
    assert "sealed" not in rotated.text and "master" not in rotated.text

    answer = _program(client, auth["operator"], codes[0], UID)
    assert answer.status_code == 201, answer.text
    plan = answer.json()
    assert plan["url_template"].startswith(codes[0]["url"] + "&e=" + "0" * 32 + "&enc=" + FILE_DATA)
    assert _program(client, auth["operator"], codes[0], UID).status_code == 409
    exported = client.get(f"/api/v1/brands/acme/nfc-tags/{UID}/keys", headers=auth["admin"]).json()
    assert {k: exported[k] for k in ("sdm_meta_read", "sdm_file_read", "app_master")} == plan["keys"]
    assert exported["sun_key_version"] == 1
    assert client.get(f"/api/v1/brands/acme/nfc-tags/{UID}/keys", headers=auth["operator"]).status_code == 403

    tag = ProgrammedTag(plan)
    first_tap = tag.tap()
    first = _scan(client, base, first_tap).json()
    assert (first["verdict"], first["flags"], first["serial"]) == ("genuine", [], codes[0]["serial"])
    replay = _scan(client, base, first_tap).json()
    assert replay["verdict"] == "possible_copy"
    assert (replay["flags"][0]["rule"], replay["flags"][0]["reason"]) == (
        "nfc_replay", f"replayed: counter 1 not higher than last seen 1 for UID {UID}")
    assert [f["rule"] for f in replay["flags"]] == ["nfc_replay", "repeat_scans"]
    fresh = _scan(client, base, tag.tap()).json()  # counter 2: the tag itself, tapped again
    assert (fresh["verdict"], [f["rule"] for f in fresh["flags"]]) == ("verified_before", ["repeat_scans"])


def test_a_flipped_bit_anywhere_in_the_sun_parameters_fails(world) -> None:
    client, base, codes, auth = world
    client.post("/api/v1/brands/acme/sun-keys/rotate", headers=auth["admin"])
    tag = ProgrammedTag(_program(client, auth["operator"], codes[0], UID).json())
    url = tag.tap()
    start = len(codes[0]["url"]) + 1  # the SUN parameters follow the signed code URL and its '&'
    assert url[start:].startswith("e=") and "&enc=" in url and "&c=" in url
    outcomes = Counter()
    for position in range(start, len(url)):
        mutated = url[:position] + chr(ord(url[position]) ^ 0x01) + url[position + 1:]
        response = _scan(client, base, mutated)
        assert response.status_code == 200, (position, response.text)
        outcomes[response.json()["verdict"]] += 1
    assert outcomes == Counter({"forged": len(url) - start})
    # The authentic tap itself still passes afterwards: nothing above advanced the counter.
    assert _scan(client, base, url).json()["verdict"] == "genuine"


def test_tags_programmed_before_a_rotation_keep_verifying(world) -> None:
    client, base, codes, auth = world
    client.post("/api/v1/brands/acme/sun-keys/rotate", headers=auth["admin"])
    old_tag = ProgrammedTag(_program(client, auth["operator"], codes[0], UID).json())
    assert client.post("/api/v1/brands/acme/sun-keys/rotate", headers=auth["admin"]).json()["version"] == 2
    new_tag = ProgrammedTag(_program(client, auth["operator"], codes[1], SECOND_UID).json())
    assert new_tag.meta_key != old_tag.meta_key and new_tag.file_key != old_tag.file_key
    assert _scan(client, base, old_tag.tap()).json()["verdict"] == "genuine"
    assert _scan(client, base, new_tag.tap()).json()["verdict"] == "genuine"
    listed = client.get("/api/v1/brands/acme/sun-keys", headers=auth["viewer"]).json()
    assert [(k["version"], k["status"]) for k in listed] == [(1, "retired"), (2, "active")]
    # A tag's taps read with the other tag's URL (same brand, other unit): bound elsewhere, a copy.
    swapped = codes[1]["url"] + old_tag.tap()[len(codes[0]["url"]):]
    assert _scan(client, base, swapped).json()["verdict"] == "possible_copy"
