"""Brand staff who sign in to the console: one account per e-mail address within a brand."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trace.db.base import Base, UtcDateTime, utc_now


class StaffUser(Base):
    """A console account; ``password_hash`` is a salted scrypt hash (see trace.services.staff)."""

    __tablename__ = "staff_user"
    __table_args__ = (UniqueConstraint("brand_id", "email"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"))
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
