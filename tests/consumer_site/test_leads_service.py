"""Leads: consent required, contacts encrypted at rest, no duplicates, export and erase per person."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from support.factories import seeded_catalog
from trace.db.consumer import Lead
from trace.errors import InvalidInput, NotFound
from trace.services.leads import SignupResult, delete_lead, export_leads, normalise_contact, sign_up

SECRET = b"k" * 40
CONSENT = "I agree that Acme Tea may store my contact details."


def _sign(runtime, contact: str, *, consent: bool = True, brand: str = "acme", language: str = "en") -> SignupResult:
    return sign_up(runtime.db, SECRET, brand=brand, contact=contact, consent=consent, consent_text=CONSENT,
                   unit_key="09506000134352/Q7X2M9K4P1", language=language)


def test_contacts_are_normalised() -> None:
    assert normalise_contact("  Li.Wei@Example.COM ") == "li.wei@example.com"
    assert normalise_contact("+86 (138) 0013-8000") == "8613800138000"
    for bad in ("", "not a contact", "12345", "1" * 16, "a@b", "<script>@x.y", "１３８００１３８０００"):
        with pytest.raises(InvalidInput):
            normalise_contact(bad)


def test_signup_is_stored_encrypted_and_deduplicated(runtime) -> None:
    seeded_catalog(runtime)
    assert _sign(runtime, "Li.Wei@Example.com") is SignupResult.SIGNED_UP
    assert _sign(runtime, "li.wei@example.COM ") is SignupResult.ALREADY
    assert _sign(runtime, "+86 138 0013 8000", language="zh") is SignupResult.SIGNED_UP
    with runtime.db.reading() as session:
        rows = session.scalars(select(Lead).order_by(Lead.id)).all()
    assert len(rows) == 2
    for row, clear in zip(rows, (b"li.wei@example.com", b"8613800138000")):
        stored = bytes(row.contact_encrypted) + bytes(row.contact_hash)
        assert clear not in stored and clear.upper() not in stored and b"li.wei" not in stored
        assert len(row.contact_hash) == 32
    assert rows[0].consent_text == CONSENT and rows[1].language == "zh"


def test_signup_without_consent_stores_nothing(runtime) -> None:
    seeded_catalog(runtime)
    with pytest.raises(InvalidInput, match="did not tick the consent box"):
        _sign(runtime, "li.wei@example.com", consent=False)
    assert export_leads(runtime.db, SECRET, "acme") == []


def test_unknown_brand_is_not_found(runtime) -> None:
    with pytest.raises(NotFound, match="unknown brand 'nobody'"):
        _sign(runtime, "li.wei@example.com", brand="nobody")


def test_export_all_or_one_person_and_delete(runtime) -> None:
    seeded_catalog(runtime)
    seeded_catalog(runtime, slug="other", gtin="09506000134369", domain="https://id.other.example")
    _sign(runtime, "li.wei@example.com")
    _sign(runtime, "13800138000")
    _sign(runtime, "li.wei@example.com", brand="other")
    everyone = export_leads(runtime.db, SECRET, "acme")
    assert [r.contact for r in everyone] == ["li.wei@example.com", "13800138000"]
    assert everyone[0].consent_text == CONSENT and everyone[0].unit_key == "09506000134352/Q7X2M9K4P1"
    assert [r.contact for r in export_leads(runtime.db, SECRET, "acme", contact="LI.WEI@example.com")] \
        == ["li.wei@example.com"]
    delete_lead(runtime.db, SECRET, "acme", "Li.Wei@Example.com")
    assert [r.contact for r in export_leads(runtime.db, SECRET, "acme")] == ["13800138000"]
    assert [r.contact for r in export_leads(runtime.db, SECRET, "other")] == ["li.wei@example.com"]  # brands apart
    with pytest.raises(NotFound, match="no lead for this contact in brand 'acme'"):
        delete_lead(runtime.db, SECRET, "acme", "li.wei@example.com")
    assert _sign(runtime, "li.wei@example.com") is SignupResult.SIGNED_UP  # erased means forgotten


def test_another_secret_cannot_read_or_match_the_leads(runtime) -> None:
    from trace.errors import KeyStoreError

    seeded_catalog(runtime)
    _sign(runtime, "li.wei@example.com")
    with pytest.raises(KeyStoreError, match="sealed under another secret or altered"):
        export_leads(runtime.db, b"x" * 40, "acme")
    assert export_leads(runtime.db, b"x" * 40, "acme", contact="li.wei@example.com") == []
