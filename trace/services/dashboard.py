"""The console dashboard's figures: verifications per day, first vs repeat, alerts, regions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from trace.db.base import utc_now
from trace.db.consumer import Alert, Verification
from trace.db.database import Database
from trace.services.lookups import brand_by_slug

DAYS = 30
TOP_REGIONS = 8


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True, slots=True)
class Dashboard:
    brand: str
    days: tuple[DayCount, ...]
    """One entry per day of the window, oldest first, zero-filled."""
    first: int
    """Verifications in the window that were the unit's first ever."""
    repeat: int
    alerts_by_kind: dict[str, int]
    open_alerts: int
    top_regions: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return self.first + self.repeat

    @property
    def first_share(self) -> float:
        return self.first / self.total if self.total else 0.0


def _day(value: object) -> date:
    # PostgreSQL returns a date, SQLite the text 'YYYY-MM-DD'.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def dashboard(db: Database, brand: str, *, now: datetime | None = None) -> Dashboard:
    """The last DAYS days of ``brand``'s verifications and its alerts (UTC days)."""
    today = (now or utc_now()).date()
    first_day = today - timedelta(days=DAYS - 1)
    since = datetime.combine(first_day, datetime.min.time(), tzinfo=(now or utc_now()).tzinfo)
    with db.reading() as session:
        brand_id = brand_by_slug(session, brand).id
        mine = Verification.brand_id == brand_id
        day = func.date(Verification.verified_at)
        per_day = {_day(d): n for d, n in session.execute(
            select(day, func.count()).where(mine, Verification.verified_at >= since).group_by(day))}
        total = sum(per_day.values())
        firsts = select(Verification.unit_key).where(mine).group_by(Verification.unit_key).having(
            func.min(Verification.verified_at) >= since).subquery()
        first = session.scalar(select(func.count()).select_from(firsts)) or 0
        alerts = dict(session.execute(select(Alert.kind, func.count()).where(Alert.brand_id == brand_id)
                                      .group_by(Alert.kind).order_by(Alert.kind)).all())
        open_alerts = session.scalar(select(func.count()).where(Alert.brand_id == brand_id,
                                                                Alert.status != "closed")) or 0
        regions = session.execute(
            select(func.coalesce(Verification.region, "unknown"), func.count().label("n"))
            .where(mine, Verification.verified_at >= since).group_by(Verification.region)
            .order_by(func.count().desc()).limit(TOP_REGIONS)).all()
    days = tuple(DayCount(first_day + timedelta(days=i), per_day.get(first_day + timedelta(days=i), 0))
                 for i in range(DAYS))
    return Dashboard(brand=brand, days=days, first=min(first, total), repeat=total - min(first, total),
                     alerts_by_kind=alerts, open_alerts=open_alerts,
                     top_regions=tuple((str(r), int(n)) for r, n in regions))
