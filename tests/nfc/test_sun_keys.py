"""A brand's SUN master keys: sealed in the database, rotated, used to program and export tag keys."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from codegen.mint_job import MintRequest, mint
from codegen.ntag424_template import plan_sun_tag
from trace.crypto.ntag424 import SYSTEM_IDENTIFIER, tag_keys
from trace.db.keys import SunKey
from trace.db.line import NfcTag
from trace.errors import Conflict, InvalidInput, KeyStoreError, NotFound
from trace.services import sun_keys
from support.factories import seeded_catalog

UID = bytes.fromhex("04958CAA5C5E80")
OTHER_UID = bytes.fromhex("04958CAA5C5E81")


def _serials(rt, count: int = 2) -> tuple[str, list[str]]:
    cat = seeded_catalog(rt)
    out = io.StringIO()
    mint(rt.db, rt.key_store, MintRequest(gtin=cat.gtin, lot=cat.lot, count=count, output_format="csv", out=None,
                                          requested_by="test"), stdout=out)
    return cat.gtin, [row["serial"] for row in csv.DictReader(io.StringIO(out.getvalue()))]


def _rows(rt) -> list[SunKey]:
    with rt.db.reading() as session:
        return list(session.scalars(select(SunKey).order_by(SunKey.version)))


def _master(rt, row: SunKey) -> bytes:
    return rt.key_store.open_secret(f"sun-master-key/acme/{row.version}", row.sealed_master_key)


def test_rotation_keeps_versions_sealed_and_retires_the_active_one(runtime) -> None:
    seeded_catalog(runtime)
    assert sun_keys.list_sun_keys(runtime.db, "acme") == []
    first = sun_keys.rotate_sun_key(runtime.db, runtime.key_store, "acme")
    assert (first.brand, first.version, first.status, first.system_identifier, first.retired_at) == (
        "acme", 1, "active", "Tracemark", None)
    second = sun_keys.rotate_sun_key(runtime.db, runtime.key_store, "acme", system_identifier="acme-2027")
    listed = sun_keys.list_sun_keys(runtime.db, "acme")
    assert [(k.version, k.status, k.system_identifier) for k in listed] == [
        (1, "retired", "Tracemark"), (2, "active", "acme-2027")]
    assert listed[0].retired_at is not None and second.version == 2

    rows = _rows(runtime)
    masters = [_master(runtime, row) for row in rows]
    assert len(set(masters)) == 2 and all(len(m) == 16 for m in masters)
    for row, master in zip(rows, masters, strict=True):
        assert row.sealed_master_key.startswith("tmseal1 scrypt log2-n=10 r=8 p=1 ")
        assert master.hex() not in row.sealed_master_key.lower()
    # A sealed key moved to another version's label (or brand) does not open.
    with pytest.raises(KeyStoreError, match="cannot be opened"):
        runtime.key_store.open_secret("sun-master-key/acme/2", rows[0].sealed_master_key)
    sealed = sun_keys.sealed_sun_keys(runtime.db)
    assert [(k.version, k.status) for k in sealed["acme"]] == [(2, "active"), (1, "retired")]


def test_bad_rotation_input_is_refused_and_writes_nothing(runtime) -> None:
    seeded_catalog(runtime)
    with pytest.raises(InvalidInput, match="expected 1..23 printable ASCII characters"):
        sun_keys.rotate_sun_key(runtime.db, runtime.key_store, "acme", system_identifier="x" * 24)
    with pytest.raises(NotFound, match="unknown brand 'nobody'"):
        sun_keys.rotate_sun_key(runtime.db, runtime.key_store, "nobody")
    assert _rows(runtime) == []


def test_programming_binds_the_tag_with_keys_diversified_from_the_active_master(runtime) -> None:
    gtin, (serial, other_serial) = _serials(runtime)
    with pytest.raises(NotFound, match="has no SUN master key: run `tracemark nfc key rotate --brand acme`"):
        sun_keys.program_tag(runtime.db, runtime.key_store, brand="acme", uid=UID, gtin=gtin, serial=serial,
                             plan=lambda master, system_id: None)
    sun_keys.rotate_sun_key(runtime.db, runtime.key_store, "acme")
    url = "https://id.acme.example/01/09506000134352/21/X?8030=s"
    plan = sun_keys.program_tag(runtime.db, runtime.key_store, brand="acme", uid=UID, gtin=gtin, serial=serial,
                                plan=lambda master, system_id: plan_sun_tag(url, uid=UID, master_key=master,
                                                                            system_identifier=system_id))
    master = _master(runtime, _rows(runtime)[0])
    assert plan.keys == tag_keys(master, UID, system_identifier=SYSTEM_IDENTIFIER)
    with runtime.db.reading() as session:
        tag = session.get(NfcTag, (1, UID))
        assert (tag.sun_key_version, tag.last_counter) == (1, None)

    # After a rotation the tag's keys are still exported from version 1.
    sun_keys.rotate_sun_key(runtime.db, runtime.key_store, "acme")
    export = sun_keys.export_tag_keys(runtime.db, runtime.key_store, brand="acme", uid=UID)
    assert (export.gtin, export.serial, export.version, export.keys) == (gtin, serial, 1, plan.keys)

    with pytest.raises(Conflict, match="NFC tag 04958CAA5C5E80 is already bound"):
        sun_keys.program_tag(runtime.db, runtime.key_store, brand="acme", uid=UID, gtin=gtin, serial=other_serial,
                             plan=lambda master, system_id: None)
    with pytest.raises(Conflict, match=f"serial {serial!r} already has an NFC tag"):
        sun_keys.program_tag(runtime.db, runtime.key_store, brand="acme", uid=OTHER_UID, gtin=gtin, serial=serial,
                             plan=lambda master, system_id: None)
    with pytest.raises(InvalidInput, match="expected 7 bytes, found 4"):
        sun_keys.program_tag(runtime.db, runtime.key_store, brand="acme", uid=UID[:4], gtin=gtin, serial=serial,
                             plan=lambda master, system_id: None)
    with pytest.raises(NotFound, match="not bound to any unit of brand 'acme'"):
        sun_keys.export_tag_keys(runtime.db, runtime.key_store, brand="acme", uid=OTHER_UID)


def test_a_plan_that_fails_leaves_no_binding(runtime) -> None:
    gtin, (serial, _) = _serials(runtime)
    sun_keys.rotate_sun_key(runtime.db, runtime.key_store, "acme")
    too_long = "https://id.acme.example/" + "x" * 300
    with pytest.raises(InvalidInput, match="does not fit"):
        sun_keys.program_tag(runtime.db, runtime.key_store, brand="acme", uid=UID, gtin=gtin, serial=serial,
                             plan=lambda master, system_id: plan_sun_tag(too_long, uid=UID, master_key=master))
    with runtime.db.reading() as session:
        assert session.scalars(select(NfcTag)).all() == []
