"""NTAG 424 DNA tags bound to units, and the freshness of their SUN taps.

At encoding time the line binds the tag's 7-byte UID to the unit it was stuck on; every
authentic tap afterwards carries the tag's SDMReadCtr, which must go up. The stored
``last_counter`` is raised in the same transaction that reads it (row locked on
PostgreSQL), so two scans of one copied URL racing each other cannot both pass as fresh.

Authenticating the URL (decrypting PICCData, checking SDMMAC) is ``verify.sun``'s job; this
layer may not import it, so the composition root passes it in as ``authenticate``.

References: NXP AN12196 §4.4 (SUN, SDMReadCtr); DESIGN.md §5 flow 3 (NFC counter replay).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select

from trace.db.database import Database
from trace.db.line import NfcTag
from trace.db.models import Brand, Unit
from trace.errors import Conflict, InvalidInput, NotFound
from trace.identifiers import Gtin

UID_LENGTH = 7


class SunTap(Protocol):
    """What an authenticated SUN URL says (``verify.sun.SunMessage`` fits)."""

    uid: bytes
    read_counter: int


#: ``authenticate(url, meta_key=…, file_key=…)`` → an authentic tap, or raises SignatureError.
Authenticate = Callable[..., SunTap]


@dataclass(frozen=True, slots=True)
class SunScan:
    """One authentic tap: the unit the tag is bound to, its counter, and whether it was replayed."""

    unit_id: int
    gtin: str
    serial: str
    uid: bytes
    counter: int
    replay: bool


def _brand(session, slug: str) -> Brand:
    brand = session.scalar(select(Brand).where(Brand.slug == slug))
    if brand is None:
        raise NotFound(f"unknown brand {slug!r}")
    return brand


def bind_tag(db: Database, brand: str, uid: bytes, gtin: str, serial: str) -> None:
    """Bind the tag ``uid`` to the brand's unit (GTIN, serial); a tag or a unit is bound once.

    Raises :class:`InvalidInput` for a UID that is not 7 bytes, :class:`NotFound` for an
    unknown unit, :class:`Conflict` when the tag or the unit is already bound.
    """
    if len(uid) != UID_LENGTH:
        raise InvalidInput(f"invalid NFC UID {uid.hex().upper()}: expected {UID_LENGTH} bytes, found {len(uid)}")
    gtin14 = Gtin.parse(gtin).value
    with db.transaction() as session:
        owner = _brand(session, brand)
        unit = session.scalar(select(Unit).where(Unit.gtin == gtin14, Unit.serial == serial,
                                                 Unit.brand_id == owner.id))
        if unit is None:
            raise NotFound(f"unknown unit GTIN {gtin14} serial {serial!r} of brand {brand!r}")
        if session.get(NfcTag, (owner.id, uid)) is not None:
            raise Conflict(f"NFC tag {uid.hex().upper()} is already bound")
        if session.scalar(select(NfcTag).where(NfcTag.unit_id == unit.id)) is not None:
            raise Conflict(f"unit GTIN {gtin14} serial {serial!r} already has an NFC tag")
        session.add(NfcTag(brand_id=owner.id, uid=uid, unit_id=unit.id, last_counter=None))


def check_sun_scan(db: Database, brand: str, url: str, meta_key: bytes, file_key_for_uid: Callable[[bytes], bytes],
                   *, authenticate: Authenticate) -> SunScan:
    """Authenticate a SUN URL, find the unit its tag is bound to, and judge the counter.

    ``replay`` is True when the counter is not higher than the last one seen for the tag
    (a copied URL); ``last_counter`` only ever goes up. Raises whatever ``authenticate``
    raises for a URL that is not authentic, and :class:`NotFound` for a tag never bound.
    """
    tap = authenticate(url, meta_key=meta_key, file_key=file_key_for_uid)
    with db.transaction() as session:
        owner = _brand(session, brand)
        tag = session.get(NfcTag, (owner.id, tap.uid), with_for_update=True)
        if tag is None:
            raise NotFound(f"NFC tag {tap.uid.hex().upper()} is not bound to any unit of brand {brand!r}")
        replay = tag.last_counter is not None and tap.read_counter <= tag.last_counter
        if not replay:
            tag.last_counter = tap.read_counter
        unit = session.get(Unit, tag.unit_id)
        return SunScan(unit_id=unit.id, gtin=unit.gtin, serial=unit.serial, uid=tap.uid, counter=tap.read_counter,
                       replay=replay)
