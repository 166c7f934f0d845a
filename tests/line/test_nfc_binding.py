"""NFC tags bound to units: a fresh SUN tap names the unit, a replayed counter is flagged."""

from __future__ import annotations

import io

import pytest

from codegen.mint_job import MintRequest, mint
from trace.errors import Conflict, InvalidInput, NotFound, SignatureError
from trace.services.nfc_tags import bind_tag, check_sun_scan
from verify.bench_sun import simulated_sun_url
from verify.sun import check_sun_url
from support.factories import seeded_catalog

META = bytes(16)
FILE = bytes.fromhex("00112233445566778899AABBCCDDEEFF")
UID = bytes.fromhex("04DE5F1EACC040")


def _tap(counter: int) -> str:
    return simulated_sun_url("https://id.acme.example/t", meta_key=META, file_key=FILE, uid=UID, read_counter=counter)


def _scan(rt, url: str):
    return check_sun_scan(rt.db, "acme", url, META, lambda uid: FILE, authenticate=check_sun_url)


def test_bound_tag_scans_fresh_then_replayed(runtime) -> None:
    cat = seeded_catalog(runtime)
    out = io.StringIO()
    mint(runtime.db, runtime.key_store, MintRequest(gtin=cat.gtin, lot=cat.lot, count=2, output_format="csv",
                                                    out=None, requested_by="test"), stdout=out)
    serial = out.getvalue().splitlines()[1].split(",")[0]
    bind_tag(runtime.db, "acme", UID, cat.gtin, serial)

    first = _scan(runtime, _tap(5))
    assert (first.serial, first.counter, first.replay) == (serial, 5, False)
    assert _scan(runtime, _tap(5)).replay is True  # the same URL again: a copy
    assert _scan(runtime, _tap(3)).replay is True  # an older one
    assert _scan(runtime, _tap(6)).replay is False
    assert _scan(runtime, _tap(6)).replay is True

    with pytest.raises(SignatureError):
        _scan(runtime, _tap(7)[:-1] + ("0" if _tap(7)[-1] != "0" else "1"))
    with pytest.raises(Conflict, match="already bound"):
        bind_tag(runtime.db, "acme", UID, cat.gtin, serial)
    with pytest.raises(InvalidInput, match="expected 7 bytes, found 4"):
        bind_tag(runtime.db, "acme", b"\x04\x01\x02\x03", cat.gtin, serial)
    with pytest.raises(NotFound, match="unknown unit"):
        bind_tag(runtime.db, "acme", bytes(7), cat.gtin, "NOPE")


def test_an_unbound_tag_is_not_found(runtime) -> None:
    seeded_catalog(runtime)
    with pytest.raises(NotFound, match="not bound to any unit"):
        _scan(runtime, _tap(1))
