"""SSCC allocation for case and pallet labels: ranges of serial references, never twice.

Storage choice: no new rows. An SSCC is not a ``unit`` (that table needs a lot and a mint
job: a mixed pallet has neither), and the schema stays as it is. Each allocation appends one
``sscc-allocation`` entry to the brand's ledger (:mod:`trace.domain.sscc_allocations`) naming
the range taken; the next allocation starts one past the highest range recorded for the same
company prefix and extension digit. Allocations are therefore append-only, auditable in the
brand's ledger (inclusion proofs like any other entry) and gap-free. Concurrent allocations
are serialised by a row lock on the brand; should two ever compute the same range anyway, the
ledger's unique ``(brand_id, ref)`` refuses the second one instead of issuing duplicates.

References: GS1 General Specifications §2.2.1 (SSCC structure), §4.3 (non-reuse of SSCCs).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from trace.db.base import utc_now
from trace.db.database import Database
from trace.db.ledger import LedgerEntry
from trace.db.ledger_store import NewEntry
from trace.db.models import Brand, Product
from trace.domain.sscc_allocations import KIND, SsccAllocationRecord, last_reference, ref_prefix
from trace.errors import InvalidInput
from trace.identifiers import Sscc
from trace.services import ledger
from trace.services.lookups import brand_by_slug

MAX_COUNT = 100_000


@dataclass(frozen=True, slots=True)
class SsccAllocation:
    """SSCCs allocated in one run, in order, with what their labels need."""

    brand: str
    domain: str
    company_prefix: str
    extension_digit: int
    first: int
    last: int
    ssccs: tuple[Sscc, ...]
    ledger_ref: str

    @property
    def company_prefix_length(self) -> int:
        return len(self.company_prefix)


def allocate(db: Database, brand: str, *, count: int, extension_digit: int = 0, company_prefix: str | None = None,
             requested_by: str = "cli") -> SsccAllocation:
    """Allocate ``count`` consecutive SSCCs for ``brand`` and record the range in its ledger.

    The company prefix is ``company_prefix`` or, when not given, the one all the brand's
    GTINs share at the brand's company prefix length (``tracemark brand set-prefix-length``).
    Raises :class:`InvalidInput` when the length is not set, the prefix cannot be decided,
    or the serial references of this prefix and extension digit would run out.

    References: GS1 General Specifications §2.2.1.
    """
    if not 0 < count <= MAX_COUNT:
        raise InvalidInput(f"invalid count {count}: expected 1 to {MAX_COUNT:,}")
    if not 0 <= extension_digit <= 9:
        raise InvalidInput(f"invalid extension digit {extension_digit}: expected 0 to 9")
    with db.transaction() as session:
        row = brand_by_slug(session, brand)
        session.execute(select(Brand.id).where(Brand.id == row.id).with_for_update())
        prefix = _company_prefix(session, row, company_prefix)
        width = 16 - len(prefix)
        first = _next_reference(session, row.id, prefix, extension_digit)
        last = first + count - 1
        if last >= 10**width:
            raise InvalidInput(
                f"cannot allocate {count} SSCCs for company prefix {prefix} extension digit {extension_digit}:"
                f" expected at most {10**width - first} serial references left, found {10**width - first}")
        record = SsccAllocationRecord(brand=row.slug, company_prefix=prefix, extension_digit=extension_digit,
                                      first=first, last=last, requested_by=requested_by, created_at=utc_now())
        ledger.record(session, row.id, [NewEntry(kind=KIND, ref=record.ref, entry=record.canonical_bytes())])
        ssccs = tuple(Sscc.build(extension_digit=extension_digit, company_prefix=prefix, serial_reference=n)
                      for n in range(first, last + 1))
        allocation = SsccAllocation(brand=row.slug, domain=row.domain, company_prefix=prefix,
                                    extension_digit=extension_digit, first=first, last=last, ssccs=ssccs,
                                    ledger_ref=record.ref)
    ledger.sequence(db, brand, wait=False)
    return allocation


def _company_prefix(session: Session, brand: Brand, given: str | None) -> str:
    length = brand.company_prefix_length
    if length is None:
        raise InvalidInput(f"cannot allocate SSCCs for brand {brand.slug!r}: its GS1 Company Prefix length is not"
                           f" set; expected `tracemark brand set-prefix-length --brand {brand.slug} --length N`")
    if given is not None:
        if len(given) != length or not (given.isascii() and given.isdigit()):
            raise InvalidInput(f"invalid company prefix {given!r} for brand {brand.slug!r}: expected {length} digits")
        return given
    gtins = session.scalars(select(Product.gtin).where(Product.brand_id == brand.id)).all()
    prefixes = sorted({gtin[1:1 + length] for gtin in gtins})
    if len(prefixes) != 1:
        raise InvalidInput(f"cannot tell the GS1 Company Prefix of brand {brand.slug!r}: expected its GTINs to share"
                           f" one prefix of {length} digits, found {prefixes or 'no GTINs'}; give --company-prefix")
    return prefixes[0]


def _next_reference(session: Session, brand_id: int, prefix: str, extension_digit: int) -> int:
    """One past the highest serial reference recorded (1 for the first allocation: 0 is kept unused)."""
    key = ref_prefix(prefix, extension_digit)
    refs = session.scalars(select(LedgerEntry.ref).where(LedgerEntry.brand_id == brand_id, LedgerEntry.kind == KIND,
                                                         LedgerEntry.ref.startswith(key, autoescape=True))).all()
    return max((last_reference(ref) for ref in refs), default=0) + 1
