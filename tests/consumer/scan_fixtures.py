"""Minted units and a scan function for the consumer-scan tests."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

from codegen.mint_job import MintRequest, mint
from trace.domain.scan import AuditGroup, ScanOutcome
from trace.runtime import Runtime
from trace.services import signing_keys
from trace.services.consumer_scan import coarse_place, scan
from verify.keyring import KeyRing
from verify.scanning import judges
from support.factories import seeded_catalog

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
SECRET = b"test server secret, at least 32 bytes long"
CLIENT = "203.0.113.77"


def minted(rt: Runtime, count: int = 3) -> list[dict[str, str]]:
    """A seeded catalog (brand acme) and ``count`` minted codes (serial, url, …)."""
    cat = seeded_catalog(rt)
    buffer = io.StringIO()
    mint(rt.db, rt.key_store, MintRequest(gtin=cat.gtin, lot=cat.lot, count=count, output_format="csv", out=None,
                                          requested_by="test"), stdout=buffer)
    return list(csv.DictReader(io.StringIO(buffer.getvalue())))


def scanner(rt: Runtime, **options):
    """A scan function with the production judges (the key ring read from the database)."""
    scan_judges = judges(lambda: KeyRing.from_brand_keys(signing_keys.published_keys(rt.db)), **options)

    def do(url: str, *, region: str | None = "CN-31", after: timedelta = timedelta(0),
           group: AuditGroup = AuditGroup.CONSUMER, lat: float | None = None, lon: float | None = None,
           client: str = CLIENT) -> ScanOutcome:
        return scan(rt.db, scan_judges, url, secret=SECRET, audit_group=group, place=coarse_place(region, lat, lon),
                    client_address=client, now=T0 + after)

    return do
