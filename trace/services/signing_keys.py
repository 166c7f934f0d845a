"""A brand's code-signing keys: create, rotate, revoke, publish.

Private halves go to the key store (encrypted at rest); the database keeps the public key,
its kid and its status. Rotation retires the active key (its codes still verify) and makes a
new one active; revocation makes every code signed with the key verify as forged.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trace.crypto import BrandSigningKey, KeyStore, PublicKey
from trace.db.base import utc_now
from trace.db.database import Database
from trace.db.models import Brand, SigningKey
from trace.db.units import MintJob
from trace.domain.catalog import KeyInfo
from trace.errors import Conflict, NotFound
from trace.services.lookups import brand_by_slug

ALGORITHM = "Ed25519"


def create_signing_key(session: Session, key_store: KeyStore, brand: Brand) -> SigningKey:
    """Generate a key, save its private half in the store and record it as active."""
    key = BrandSigningKey.generate()
    key_store.save(key)
    row = SigningKey(brand_id=brand.id, kid=key.kid, algorithm=ALGORITHM, public_key=key.public_raw, status="active")
    session.add(row)
    session.flush()
    return row


def _info(brand: str, row: SigningKey) -> KeyInfo:
    return KeyInfo(
        brand=brand, kid=row.kid, algorithm=row.algorithm, status=row.status,
        created_at=row.created_at, retired_at=row.retired_at, revoked_at=row.revoked_at,
    )


def list_keys(db: Database, brand_slug: str) -> list[KeyInfo]:
    with db.reading() as session:
        brand = brand_by_slug(session, brand_slug)
        rows = session.scalars(select(SigningKey).where(SigningKey.brand_id == brand.id).order_by(SigningKey.id))
        return [_info(brand.slug, row) for row in rows]


def codes_signed(db: Database, brand_slug: str) -> dict[str, int]:
    """kid → codes minted with that key (from the mint jobs): what revoking the key would flag."""
    with db.reading() as session:
        brand = brand_by_slug(session, brand_slug)
        return {kid: int(n) for kid, n in session.execute(
            select(MintJob.kid, func.sum(MintJob.count)).where(MintJob.brand_id == brand.id).group_by(MintJob.kid))}


def rotate_key(db: Database, key_store: KeyStore, brand_slug: str) -> KeyInfo:
    """Retire the active key and make a new one active. Returns the new key."""
    with db.transaction() as session:
        brand = brand_by_slug(session, brand_slug)
        for row in session.scalars(select(SigningKey).where(SigningKey.brand_id == brand.id, SigningKey.status == "active")):
            row.status = "retired"
            row.retired_at = utc_now()
        return _info(brand.slug, create_signing_key(session, key_store, brand))


def revoke_key(db: Database, key_store: KeyStore, brand_slug: str, kid: str) -> KeyInfo:
    """Revoke ``kid``; if it was the active key, a new active key replaces it."""
    with db.transaction() as session:
        brand = brand_by_slug(session, brand_slug)
        row = session.scalar(select(SigningKey).where(SigningKey.brand_id == brand.id, SigningKey.kid == kid))
        if row is None:
            raise NotFound(f"unknown key {kid!r} for brand {brand_slug!r}")
        if row.status == "revoked":
            raise Conflict(f"key {kid!r} is already revoked")
        was_active = row.status == "active"
        row.status = "revoked"
        row.revoked_at = utc_now()
        if was_active:
            create_signing_key(session, key_store, brand)
        return _info(brand.slug, row)


def active_key_id(session: Session, brand: Brand) -> str:
    kid = session.scalar(select(SigningKey.kid).where(SigningKey.brand_id == brand.id, SigningKey.status == "active"))
    if kid is None:
        raise NotFound(f"brand {brand.slug!r} has no active signing key: run `tracemark key rotate --brand {brand.slug}`")
    return kid


def published_keys(db: Database, brand_slug: str | None = None) -> dict[str, list[PublicKey]]:
    """Every brand's public keys (all statuses: verifiers must see revocations)."""
    with db.reading() as session:
        query = select(Brand.slug, SigningKey).join(SigningKey, SigningKey.brand_id == Brand.id).order_by(Brand.slug, SigningKey.id)
        if brand_slug is not None:
            query = query.where(Brand.slug == brand_slug)
        result: dict[str, list[PublicKey]] = {}
        for slug, row in session.execute(query):
            result.setdefault(slug, []).append(PublicKey(kid=row.kid, raw=row.public_key, status=row.status))
        if brand_slug is not None and not result:
            brand_by_slug(session, brand_slug)  # raises NotFound for an unknown brand
            result[brand_slug] = []
        return result
