"""Code pools: codes reserved for a line, and the line's reports of what it printed.

Reserving stores the units with state ``reserved`` (valid signatures, but a verifier does
not call them genuine until commissioned) and one :class:`PoolCode` per code in print order.
The line then prints offline from its pool file (``codegen.code_pool``); once online it
reports: what it printed and the camera verified is commissioned, what it rejected is voided,
and anything odd in the print log is reported, never silently accepted. A serial is
commissioned at most once: a second report of it is a :class:`Conflict` and changes nothing.

References: DESIGN.md §5 flow 1; issue 5 (code pools, reconciliation, pool running low).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from trace.db.base import utc_now
from trace.db.consumer import Alert
from trace.db.database import Database
from trace.db.ledger_store import NewEntry
from trace.db.line import CodePool, PoolCode
from trace.db.models import Brand, Lot, Product, Unit
from trace.db.unit_store import UnitBatch, insert_new_units
from trace.domain.code_pools import PoolCommissionRecord, PrintedLabel, Reconciliation, print_anomalies
from trace.domain.ledger_entries import serials_digest
from trace.domain.units import MintContext, UnitState
from trace.errors import Conflict, InvalidInput, NotFound
from trace.services import ledger

POOL_LOW_ALERT = "pool_low"


def open_pool(session: Session, ctx: MintContext, *, line: str, size: int, low_water_mark: int) -> int:
    """Create the pool record of ``size`` codes for ``line``; returns its id."""
    if not line.strip():
        raise InvalidInput("invalid line: it is empty")
    if not 0 <= low_water_mark < size:
        raise InvalidInput(f"invalid low-water mark {low_water_mark}: expected 0 to {size - 1}")
    pool = CodePool(brand_id=ctx.brand_id, lot_id=ctx.lot_id, line=line, kid=ctx.kid, size=size,
                    low_water_mark=low_water_mark, state="open", created_at=utc_now())
    session.add(pool)
    session.flush()
    return pool.id


def store_reserved(session: Session, ctx: MintContext, *, pool_id: int, job_id: int, serials: Sequence[str],
                   first_sequence: int) -> list[str]:
    """Store ``serials`` as reserved units of the pool, numbered from ``first_sequence`` in order.

    Returns the serials stored, in order (a serial already taken is skipped; the caller draws more).
    """
    batch = UnitBatch(brand_id=ctx.brand_id, lot_id=ctx.lot_id, mint_job_id=job_id, gtin=ctx.gtin, kid=ctx.kid,
                      state=UnitState.RESERVED.value, created_at=utc_now(), serials=serials)
    inserted = insert_new_units(session, batch)
    stored = [s for s in serials if s in inserted]
    ids = dict(session.execute(select(Unit.serial, Unit.id).where(Unit.gtin == ctx.gtin, Unit.serial.in_(stored))).all())
    session.add_all(PoolCode(unit_id=ids[serial], pool_id=pool_id, sequence=first_sequence + n, state="reserved")
                    for n, serial in enumerate(stored))
    session.flush()
    return stored


def _pool(session: Session, pool_id: int) -> CodePool:
    pool = session.get(CodePool, pool_id, with_for_update=True)
    if pool is None:
        raise NotFound(f"unknown code pool {pool_id}")
    return pool


def _codes(session: Session, pool_id: int) -> dict[str, tuple[PoolCode, Unit]]:
    rows = session.execute(select(PoolCode, Unit).join(Unit, Unit.id == PoolCode.unit_id)
                           .where(PoolCode.pool_id == pool_id)).all()
    return {unit.serial: (code, unit) for code, unit in rows}


def commission(db: Database, pool_id: int, *, printed: Sequence[PrintedLabel], verified: Iterable[str],
               rejected: Iterable[str] = ()) -> Reconciliation:
    """Commission what the line printed and verified; void what it printed and rejected.

    A printed label the camera did not verify counts as rejected. Raises :class:`Conflict`
    (and writes nothing) when a serial to commission was already commissioned or voided, and
    :class:`InvalidInput` when the log names a code this pool does not hold. Appends one
    ``pool-commission`` ledger entry and raises the pool-low alert when due.
    """
    verified_set = set(verified)
    with db.transaction() as session:
        pool = _pool(session, pool_id)
        codes = _codes(session, pool_id)
        for label in printed:
            entry = codes.get(label.serial)
            if entry is None or entry[0].sequence != label.sequence:
                raise InvalidInput(f"print log names label {label.sequence} serial {label.serial!r}: expected a"
                                   f" code of pool {pool_id} at that sequence number")
        printed_serials = list(dict.fromkeys(label.serial for label in printed))
        good = [s for s in printed_serials if s in verified_set]
        bad = [s for s in printed_serials if s not in verified_set] + [s for s in rejected if s not in printed_serials]
        for serial in good + bad:
            if serial not in codes:
                raise InvalidInput(f"serial {serial!r} is not in code pool {pool_id}")
            state = codes[serial][0].state
            if state != "reserved":
                raise Conflict(f"cannot report serial {serial!r} of pool {pool_id}: expected it reserved, "
                               f"found it already {state}")
        now = utc_now()
        _set_state(session, codes, good, UnitState.COMMISSIONED.value, now)
        _set_state(session, codes, bad, UnitState.VOIDED.value, now)
        if good:
            _record(session, pool, good, now)
        return _reconcile(session, pool, codes, good, bad, printed)


def void(db: Database, pool_id: int, serials: Iterable[str]) -> Reconciliation:
    """Void reserved codes of the pool (rejected labels, damaged rolls); never a commissioned one."""
    with db.transaction() as session:
        pool = _pool(session, pool_id)
        codes = _codes(session, pool_id)
        chosen = list(dict.fromkeys(serials))
        for serial in chosen:
            if serial not in codes:
                raise InvalidInput(f"serial {serial!r} is not in code pool {pool_id}")
            if codes[serial][0].state != "reserved":
                raise Conflict(f"cannot void serial {serial!r} of pool {pool_id}: expected it reserved, "
                               f"found it {codes[serial][0].state}")
        _set_state(session, codes, chosen, UnitState.VOIDED.value, utc_now())
        return _reconcile(session, pool, codes, [], chosen, [])


def set_low_water_mark(db: Database, pool_id: int, mark: int) -> None:
    """Change when the pool counts as running low."""
    with db.transaction() as session:
        pool = _pool(session, pool_id)
        if not 0 <= mark < pool.size:
            raise InvalidInput(f"invalid low-water mark {mark}: expected 0 to {pool.size - 1}")
        pool.low_water_mark = mark


def _set_state(session: Session, codes: dict[str, tuple[PoolCode, Unit]], serials: Sequence[str], state: str,
               now: object) -> None:
    if not serials:
        return
    ids = [codes[s][1].id for s in serials]
    session.execute(update(Unit).where(Unit.id.in_(ids)).values(state=state))
    session.execute(update(PoolCode).where(PoolCode.unit_id.in_(ids)).values(state=state, reported_at=now))
    for serial in serials:
        codes[serial][0].state = state


def _record(session: Session, pool: CodePool, serials: Sequence[str], now: object) -> None:
    brand = session.get(Brand, pool.brand_id)
    lot = session.get(Lot, pool.lot_id)
    product = session.get(Product, lot.product_id)
    record = PoolCommissionRecord(brand=brand.slug, pool_id=pool.id, gtin=product.gtin, lot=lot.lot_number,
                                  count=len(serials), serials_sha256=serials_digest(serials), created_at=now)
    ledger.record(session, pool.brand_id, [NewEntry(kind="pool-commission", ref=record.ref,
                                                    entry=record.canonical_bytes())])


def _reconcile(session: Session, pool: CodePool, codes: dict[str, tuple[PoolCode, Unit]], good: Sequence[str],
               bad: Sequence[str], printed: Sequence[PrintedLabel]) -> Reconciliation:
    reported = [code.sequence for code, _ in codes.values() if code.state != "reserved"]
    highest = max([*reported, *(label.sequence for label in printed)], default=0)
    reserved = sorted(code.sequence for code, _ in codes.values() if code.state == "reserved")
    gaps = tuple(s for s in reserved if s < highest)
    remaining = sum(1 for s in reserved if s > highest)
    low = remaining < pool.low_water_mark
    if low:
        _raise_low_alert(session, pool, remaining)
    return Reconciliation(pool_id=pool.id, commissioned=tuple(good), voided=tuple(bad), gaps=gaps,
                          anomalies=print_anomalies(printed), remaining=remaining, low=low)


def _raise_low_alert(session: Session, pool: CodePool, remaining: int) -> None:
    key = f"pool:{pool.id}"
    already = session.scalar(select(func.count()).select_from(Alert).where(
        Alert.kind == POOL_LOW_ALERT, Alert.unit_key == key, Alert.status == "open"))
    if already:
        return
    session.add(Alert(brand_id=pool.brand_id, kind=POOL_LOW_ALERT, unit_key=key,
                      reason=f"code pool {pool.id} of line {pool.line} running low: {remaining} codes left,"
                             f" low-water mark {pool.low_water_mark}",
                      evidence=f'{{"pool": {pool.id}, "remaining": {remaining}, "low_water_mark": {pool.low_water_mark}}}',
                      status="open", created_at=utc_now(), updated_at=utc_now()))
