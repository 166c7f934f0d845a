"""Registering brands (tenants) and reading them back."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sqlalchemy import select

from trace.crypto import KeyStore
from trace.db.database import Database
from trace.db.models import Brand, SigningKey
from trace.domain.catalog import BrandInfo
from trace.errors import Conflict, InvalidInput
from trace.services.ledger import ensure_log
from trace.services.lookups import brand_by_slug
from trace.services.signing_keys import create_signing_key

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


def slug_for(name: str) -> str:
    """A URL-safe brand slug from a display name: 'Acme Tea Co.' → 'acme-tea-co'."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-")
    if not _SLUG.match(slug):
        raise InvalidInput(f"invalid brand name {name!r}: it must contain at least one ASCII letter or digit")
    return slug


def normalise_domain(domain: str) -> str:
    """The resolver base of a brand's codes: http(s)://host[:port][/path], no trailing slash.

    References: GS1 Digital Link URI Syntax §4 (custom domain and path prefix).
    """
    parts = urlsplit(domain.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InvalidInput(f"invalid domain {domain!r}: expected an http(s) URL such as https://brand.example")
    if parts.query or parts.fragment or parts.username:
        raise InvalidInput(f"invalid domain {domain!r}: expected no query, fragment or credentials")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def add_brand(db: Database, key_store: KeyStore, *, name: str, domain: str, slug: str | None = None) -> BrandInfo:
    """Register a brand with its resolver domain and a first active signing key."""
    slug = slug or slug_for(name)
    if not _SLUG.match(slug):
        raise InvalidInput(f"invalid brand slug {slug!r}: expected lowercase letters, digits and '-'")
    if not name.strip():
        raise InvalidInput("invalid brand name: it is empty")
    resolver = normalise_domain(domain)
    with db.transaction() as session:
        if session.scalar(select(Brand.id).where(Brand.slug == slug)) is not None:
            raise Conflict(f"brand {slug!r} already exists")
        brand = Brand(slug=slug, name=name.strip(), domain=resolver)
        session.add(brand)
        session.flush()
        key = create_signing_key(session, key_store, brand)
        ensure_log(session, key_store, brand)
        return BrandInfo(slug=slug, name=brand.name, domain=resolver, active_kid=key.kid)


def list_brands(db: Database) -> list[BrandInfo]:
    with db.reading() as session:
        rows = session.execute(
            select(Brand, SigningKey.kid)
            .outerjoin(SigningKey, (SigningKey.brand_id == Brand.id) & (SigningKey.status == "active"))
            .order_by(Brand.slug)
        ).all()
        return [BrandInfo(slug=b.slug, name=b.name, domain=b.domain, active_kid=kid) for b, kid in rows]


def get_brand(db: Database, slug: str) -> BrandInfo:
    with db.reading() as session:
        brand = brand_by_slug(session, slug)
        kid = session.scalar(select(SigningKey.kid).where(SigningKey.brand_id == brand.id, SigningKey.status == "active"))
        return BrandInfo(slug=brand.slug, name=brand.name, domain=brand.domain, active_kid=kid)


def set_company_prefix_length(db: Database, slug: str, length: int) -> None:
    """Set the length of the brand's GS1 Company Prefix (6 to 12 digits).

    EPC encodings (SGTIN-96, SSCC-96) and SSCC allocation need it: a GTIN or SSCC does not
    say where its company prefix ends.

    References: GS1 General Specifications §1.4.3 (GS1 Company Prefix); EPC TDS §14.5.
    """
    if not 6 <= length <= 12:
        raise InvalidInput(f"invalid GS1 Company Prefix length {length}: expected 6 to 12")
    with db.transaction() as session:
        brand_by_slug(session, slug).company_prefix_length = length
