"""A brand's NTAG 424 DNA SUN master keys: create and rotate, program tags, export a tag's keys.

Every tag's AES keys are diversified from the brand's master key with NXP AN10922
(``trace.crypto.ntag424.tag_keys``: M = UID || key number || system identifier), so the
server stores one secret per brand and version, not one per tag. The master key is sealed
by the key store (same passphrase and scrypt stretching as the signing keys) and kept in
``sun_key``; it is opened in memory only, to program a tag or to judge a tap.

Rotation makes a new version active; retired versions stay, because a tag cannot be
re-keyed once it is on a product, and its taps must still authenticate.

References: NXP AN10922 Rev. 1.2 §2.2 (key diversification); NXP AN12196 Rev. 1.5 §4.4 (SUN).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from trace.crypto import KeyStore
from trace.crypto.ntag424 import KEY_SIZE, SYSTEM_IDENTIFIER, UID_SIZE, TagKeys, tag_keys
from trace.db.base import utc_now
from trace.db.database import Database
from trace.db.line import NfcTag
from trace.db.models import Brand, SunKey, Unit
from trace.errors import Conflict, InvalidInput, NotFound
from trace.identifiers import Gtin
from trace.services.lookups import brand_by_slug

Plan = TypeVar("Plan")


@dataclass(frozen=True, slots=True)
class SunKeyInfo:
    """A SUN master key version as staff see it (never the key)."""

    brand: str
    version: int
    status: str
    system_identifier: str
    created_at: datetime
    retired_at: datetime | None


@dataclass(frozen=True, slots=True)
class SealedSunKey:
    """One stored version, still sealed: what a verifier caches and opens once."""

    brand: str
    version: int
    status: str
    system_identifier: bytes
    sealed: str

    @property
    def label(self) -> str:
        return seal_label(self.brand, self.version)


@dataclass(frozen=True, slots=True)
class TagKeyExport:
    """The keys of one bound tag, re-derived from the master key version it was programmed with."""

    brand: str
    uid: bytes
    gtin: str
    serial: str
    version: int
    keys: TagKeys


def seal_label(brand: str, version: int) -> str:
    """The label a master key is sealed for: a token moved to another brand or version will not open."""
    return f"sun-master-key/{brand}/{version}"


def _system_identifier(text: str) -> bytes:
    data = text.encode("ascii", errors="replace")
    if not 1 <= len(data) <= 23 or not text.isascii() or not text.isprintable():
        raise InvalidInput(f"SUN system identifier {text!r}: expected 1..23 printable ASCII characters")
    return data


def _info(slug: str, row: SunKey) -> SunKeyInfo:
    return SunKeyInfo(brand=slug, version=row.version, status=row.status, system_identifier=row.system_identifier,
                      created_at=row.created_at, retired_at=row.retired_at)


def rotate_sun_key(db: Database, key_store: KeyStore, brand_slug: str, *,
                   system_identifier: str = SYSTEM_IDENTIFIER.decode()) -> SunKeyInfo:
    """Make a fresh random master key the brand's active one (the first, or the next version).

    The previous active version is retired: tags programmed with it keep authenticating; new
    tags get keys from the new one. The brand row is locked so two rotations cannot both
    take the same version.
    """
    _system_identifier(system_identifier)
    with db.transaction() as session:
        brand = brand_by_slug(session, brand_slug)
        session.execute(select(Brand.id).where(Brand.id == brand.id).with_for_update())
        rows = list(session.scalars(select(SunKey).where(SunKey.brand_id == brand.id)))
        for row in rows:
            if row.status == "active":
                row.status, row.retired_at = "retired", utc_now()
        version = max((row.version for row in rows), default=0) + 1
        sealed = key_store.seal_secret(seal_label(brand.slug, version), os.urandom(KEY_SIZE))
        row = SunKey(brand_id=brand.id, version=version, sealed_master_key=sealed,
                     system_identifier=system_identifier, status="active")
        session.add(row)
        session.flush()
        return _info(brand.slug, row)


def list_sun_keys(db: Database, brand_slug: str) -> list[SunKeyInfo]:
    with db.reading() as session:
        brand = brand_by_slug(session, brand_slug)
        rows = session.scalars(select(SunKey).where(SunKey.brand_id == brand.id).order_by(SunKey.version))
        return [_info(brand.slug, row) for row in rows]


def sealed_sun_keys(db: Database) -> dict[str, tuple[SealedSunKey, ...]]:
    """Every brand's stored versions, still sealed; per brand the active one first, then newest first."""
    with db.reading() as session:
        query = (select(Brand.slug, SunKey).join(SunKey, SunKey.brand_id == Brand.id)
                 .order_by(Brand.slug, SunKey.status != "active", SunKey.version.desc()))
        result: dict[str, list[SealedSunKey]] = {}
        for slug, row in session.execute(query):
            result.setdefault(slug, []).append(SealedSunKey(
                brand=slug, version=row.version, status=row.status,
                system_identifier=row.system_identifier.encode("ascii"), sealed=row.sealed_master_key))
        return {slug: tuple(keys) for slug, keys in result.items()}


def _master(session: Session, key_store: KeyStore, brand: Brand, version: int | None = None) -> tuple[SunKey, bytes]:
    query = select(SunKey).where(SunKey.brand_id == brand.id)
    query = query.where(SunKey.status == "active") if version is None else query.where(SunKey.version == version)
    row = session.scalar(query)
    if row is None:
        if version is not None:
            raise NotFound(f"brand {brand.slug!r} has no SUN master key version {version}")
        raise NotFound(f"brand {brand.slug!r} has no SUN master key: run `tracemark nfc key rotate --brand {brand.slug}`")
    return row, key_store.open_secret(seal_label(brand.slug, row.version), row.sealed_master_key)


def _uid(uid: bytes) -> bytes:
    if len(uid) != UID_SIZE:
        raise InvalidInput(f"invalid NFC UID {uid.hex().upper()}: expected {UID_SIZE} bytes, found {len(uid)}")
    return uid


def program_tag(db: Database, key_store: KeyStore, *, brand: str, uid: bytes, gtin: str, serial: str,
                plan: Callable[[bytes, bytes], Plan]) -> Plan:
    """Bind the tag ``uid`` to the unit and return ``plan(master_key, system_identifier)``.

    ``plan`` builds what the encoder writes (``codegen.ntag424_template.plan_sun_tag``: NDEF
    file, SDM offsets, the tag's diversified keys). Both happen in one transaction: a plan
    that fails (the URL does not fit the NDEF file) leaves no binding behind.

    Raises:
        InvalidInput: the UID is not 7 bytes. NotFound: unknown brand, unit or no active
        SUN key. Conflict: the tag or the unit is already bound.
    """
    _uid(uid)
    gtin14 = Gtin.parse(gtin).value
    # Open the master key (one scrypt) before the write transaction, not while holding it.
    with db.reading() as session:
        row, master = _master(session, key_store, brand_by_slug(session, brand))
        version, system_identifier = row.version, row.system_identifier.encode("ascii")
    with db.transaction() as session:
        owner = brand_by_slug(session, brand)
        unit = session.scalar(select(Unit).where(Unit.brand_id == owner.id, Unit.gtin == gtin14, Unit.serial == serial))
        if unit is None:
            raise NotFound(f"unknown unit GTIN {gtin14} serial {serial!r} of brand {owner.slug!r}")
        if session.get(NfcTag, (owner.id, uid)) is not None:
            raise Conflict(f"NFC tag {uid.hex().upper()} is already bound")
        if session.scalar(select(NfcTag.uid).where(NfcTag.unit_id == unit.id)) is not None:
            raise Conflict(f"unit GTIN {gtin14} serial {serial!r} already has an NFC tag")
        # A rotation in between is harmless: a retired version still authenticates its tags.
        result = plan(master, system_identifier)
        session.add(NfcTag(brand_id=owner.id, uid=uid, unit_id=unit.id, last_counter=None, sun_key_version=version))
        return result


def export_tag_keys(db: Database, key_store: KeyStore, *, brand: str, uid: bytes) -> TagKeyExport:
    """The keys of the bound tag ``uid``, from the master key version it was programmed with.

    Raises:
        NotFound: the tag is not bound, or was bound without a SUN key version (programmed elsewhere).
    """
    _uid(uid)
    with db.reading() as session:
        owner = brand_by_slug(session, brand)
        tag = session.get(NfcTag, (owner.id, uid))
        if tag is None:
            raise NotFound(f"NFC tag {uid.hex().upper()} is not bound to any unit of brand {owner.slug!r}")
        if tag.sun_key_version is None:
            raise NotFound(f"NFC tag {uid.hex().upper()} was not programmed with a SUN master key of brand {owner.slug!r}")
        row, master = _master(session, key_store, owner, tag.sun_key_version)
        unit = session.get(Unit, tag.unit_id)
        return TagKeyExport(brand=owner.slug, uid=uid, gtin=unit.gtin, serial=unit.serial, version=row.version,
                            keys=tag_keys(master, uid, system_identifier=row.system_identifier.encode("ascii")))
