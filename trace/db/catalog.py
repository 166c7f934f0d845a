"""Brands, their products and lots."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trace.db.base import Base, UtcDateTime, utc_now


class Brand(Base):
    """A tenant: one brand owner with its resolver domain and signing keys."""

    __tablename__ = "brand"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    domain: Mapped[str] = mapped_column(String(300))
    company_prefix_length: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """GS1 Company Prefix length of the brand's keys (for EPC URNs and SGTIN-96 encodings)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Product(Base):
    """A trade item identified by its GTIN-14."""

    __tablename__ = "product"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"), index=True)
    gtin: Mapped[str] = mapped_column(String(14), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    image_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    story_markdown: Mapped[str] = mapped_column(Text, default="")
    """The brand's story of this product for the consumer page (Markdown, sanitised when shown)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Lot(Base):
    """A production lot (batch) of one product: AI 10 on its codes."""

    __tablename__ = "lot"
    __table_args__ = (UniqueConstraint("product_id", "lot_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    lot_number: Mapped[str] = mapped_column(String(20))
    produced_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    line: Mapped[str | None] = mapped_column(String(100), nullable=True)
    site: Mapped[str | None] = mapped_column(String(200), nullable=True)
    qc_documents: Mapped[str] = mapped_column(Text, default="[]")
    """JSON list of {"title", "url"}: quality-control documents shown with the lot."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
