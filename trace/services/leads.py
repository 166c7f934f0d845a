"""Loyalty signups (leads): stored only with explicit consent, contact encrypted at rest,
deduplicated by a keyed hash, exportable and deletable per person.

Privacy (issue 6): the contact is never stored in clear. ``contact_encrypted`` is a Fernet
token under a key derived from the server secret; ``contact_hash`` is an HMAC of the
normalised contact, so a second signup of the same person is recognised without decrypting
anything, and a stolen table cannot be matched against a list of addresses without the secret.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from trace.crypto.secretbox import SecretBox, keyed_hash
from trace.db.consumer import Lead
from trace.db.database import Database
from trace.errors import InvalidInput, NotFound
from trace.services.lookups import brand_by_slug

PURPOSE = "leads"
LANGUAGES = ("en", "zh")
# RFC 5322 §3.2.3 dot-atom local part (lowercased), then a DNS host name.
_EMAIL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)+$")
_PHONE_PUNCTUATION = re.compile(r"[\s().\-/]")
MAX_CONTACT = 254  # RFC 5321 §4.5.3.1.3: the longest usable e-mail path


class SignupResult(str, Enum):
    SIGNED_UP = "signed_up"
    ALREADY = "already"


@dataclass(frozen=True, slots=True)
class LeadRecord:
    """One person's signup, decrypted, as exported to them or to the brand."""

    contact: str
    name: str | None
    consent_text: str
    consented_at: datetime
    unit_key: str | None
    language: str


def normalise_contact(contact: str) -> str:
    """An e-mail address lowercased, or a phone number as its digits (E.164: at most 15).

    >>> normalise_contact("  Li.Wei@Example.COM ")
    'li.wei@example.com'
    >>> normalise_contact("+86 138-0013-8000")
    '8613800138000'

    Raises:
        InvalidInput: neither an e-mail address nor a phone number.
    """
    value = contact.strip()
    if not value or len(value) > MAX_CONTACT:
        raise InvalidInput(f"invalid contact: expected an e-mail address or a phone number, found {len(value)} characters")
    if "@" in value:
        email = value.lower()
        if not _EMAIL.match(email):
            raise InvalidInput(f"invalid contact {value!r}: expected an e-mail address such as name@example.com")
        return email
    digits = _PHONE_PUNCTUATION.sub("", value).removeprefix("+")
    if not digits.isascii() or not digits.isdigit() or not 6 <= len(digits) <= 15:
        raise InvalidInput(f"invalid contact {value!r}: expected an e-mail address or a phone number of 6 to 15 digits")
    return digits


def _contact_hash(secret: bytes, normalised: str) -> bytes:
    return keyed_hash(secret, PURPOSE, normalised.encode())


def sign_up(db: Database, secret: bytes, *, brand: str, contact: str, consent: bool, consent_text: str,
            unit_key: str | None, language: str, name: str | None = None) -> SignupResult:
    """Store a signup for ``brand`` when the person consented; a repeat is ``ALREADY``, not an error.

    ``consent_text`` is the exact wording the person agreed to, kept as evidence of consent.

    Raises:
        InvalidInput: no consent, a malformed contact, or an unsupported language.
        NotFound: the brand does not exist.
    """
    if not consent:
        raise InvalidInput("signup refused: the person did not tick the consent box")
    if not consent_text.strip():
        raise ValueError("consent_text must be the wording the person agreed to")
    if language not in LANGUAGES:
        raise InvalidInput(f"invalid language {language!r}: expected one of {', '.join(LANGUAGES)}")
    normalised = normalise_contact(contact)
    digest = _contact_hash(secret, normalised)
    try:
        with db.transaction() as session:
            brand_row = brand_by_slug(session, brand)
            exists = session.scalar(select(Lead.id).where(Lead.brand_id == brand_row.id, Lead.contact_hash == digest))
            if exists is not None:
                return SignupResult.ALREADY
            session.add(Lead(brand_id=brand_row.id, contact_hash=digest,
                             contact_encrypted=SecretBox(secret, PURPOSE).seal(normalised.encode()),
                             name=(name or "").strip()[:100] or None, consent_text=consent_text,
                             unit_key=unit_key, language=language))
    except IntegrityError:
        # Two signups of the same person racing: the unique (brand, hash) constraint kept one.
        return SignupResult.ALREADY
    return SignupResult.SIGNED_UP


def export_leads(db: Database, secret: bytes, brand: str, *, contact: str | None = None) -> list[LeadRecord]:
    """Every lead of ``brand`` decrypted, oldest first; only one person's when ``contact`` is given."""
    box = SecretBox(secret, PURPOSE)
    with db.reading() as session:
        query = select(Lead).where(Lead.brand_id == brand_by_slug(session, brand).id)
        if contact is not None:
            query = query.where(Lead.contact_hash == _contact_hash(secret, normalise_contact(contact)))
        rows = session.scalars(query.order_by(Lead.consented_at, Lead.id)).all()
        return [LeadRecord(contact=box.open(row.contact_encrypted).decode(), name=row.name,
                           consent_text=row.consent_text, consented_at=row.consented_at,
                           unit_key=row.unit_key, language=row.language) for row in rows]


def delete_lead(db: Database, secret: bytes, brand: str, contact: str) -> None:
    """Erase one person's signup (right to erasure).

    Raises:
        NotFound: ``brand`` has no lead with this contact.
    """
    digest = _contact_hash(secret, normalise_contact(contact))
    with db.transaction() as session:
        brand_row = brand_by_slug(session, brand)
        result = session.execute(delete(Lead).where(Lead.brand_id == brand_row.id, Lead.contact_hash == digest))
        if result.rowcount == 0:
            raise NotFound(f"no lead for this contact in brand {brand!r}")
