"""Hand-built scan outcomes, one per verdict, for the consumer page's tests (until and beside
the scan service): the same product, lot and journey, with what each verdict adds."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

from trace.domain.scan import Flag, JourneyStep, PriorScan, ScanOutcome, ScanPlace, ScanVerdict, AuditGroup

GTIN = "09506000134352"
SERIAL = "Q7X2M9K4P1"
LOT = "LOT-2026/11"
URL = f"/01/{GTIN}/10/LOT-2026%2F11/21/{SERIAL}?8030=c2lnbmF0dXJl"
STORY = "## Grown on the West Lake hills\n\nPicked by hand in **spring**, pan-fired the same day. [Visit our farm](https://acme.example/farm)."

JOURNEY = (
    JourneyStep(time=datetime(2026, 11, 1, 8, 30, tzinfo=timezone.utc), biz_step="commissioning", disposition="active",
                location="Hangzhou plant, line 1", ledger_ref="/ledger/acme/entries/11"),
    JourneyStep(time=datetime(2026, 11, 1, 9, 5, tzinfo=timezone.utc), biz_step="inspecting", disposition=None,
                location="Hangzhou plant QC", ledger_ref="/ledger/acme/entries/12"),
    JourneyStep(time=datetime(2026, 11, 2, 14, 0, tzinfo=timezone.utc),
                biz_step="https://ref.gs1.org/cbv/BizStep-shipping", disposition="in_transit",
                location="Hangzhou warehouse", ledger_ref="/ledger/acme/entries/20"),
    JourneyStep(time=datetime(2026, 11, 4, 10, 0, tzinfo=timezone.utc), biz_step="urn:epcglobal:cbv:bizstep:receiving",
                disposition="in_progress", location="Shanghai distribution centre", ledger_ref="/ledger/acme/entries/31"),
    JourneyStep(time=datetime(2026, 11, 9, 16, 45, tzinfo=timezone.utc), biz_step="retail_selling",
                disposition="retail_sold", location="Acme store, Shanghai", ledger_ref="/ledger/acme/entries/52"),
)

BASE = ScanOutcome(
    verdict=ScanVerdict.GENUINE, flags=(), url=URL, brand="acme", brand_name="Acme Tea", gtin=GTIN, lot=LOT,
    serial=SERIAL, product_name="Longjing Green Tea 250 g",
    product_description="First-flush Longjing from Hangzhou, in a resealable tin.",
    product_image=None, story_markdown=STORY, produced_on=date(2026, 11, 1), expires_on=date(2028, 10, 31),
    qc_documents=(("Pesticide residue report", "https://acme.example/qc/LOT-2026-11.pdf"),),
    journey=JOURNEY, ledger_proof="/api/v1/ledger/acme/proof?entries=11,12,20,31,52",
)

FIRST_SCAN = PriorScan(verified_at=datetime(2026, 11, 12, 8, 30, tzinfo=timezone.utc),
                       place=ScanPlace(region="CN-31"), audit_group=AuditGroup.CONSUMER)


def outcome_for(verdict: ScanVerdict) -> ScanOutcome:
    """The outcome a consumer would get for ``verdict`` (forged/unknown carry no product data)."""
    if verdict is ScanVerdict.GENUINE:
        return replace(BASE, coupon="ACME-7K3Q-99XF", campaign_offer="10% off your next tin")
    if verdict is ScanVerdict.VERIFIED_BEFORE:
        return replace(BASE, verdict=verdict, previous_consumer_scans=3, first_scan=FIRST_SCAN)
    if verdict is ScanVerdict.FORGED:
        return ScanOutcome(verdict=verdict, flags=(Flag("signature", verdict, "signature does not verify"),), url=URL,
                           gtin=GTIN, lot=LOT, serial=SERIAL)
    if verdict is ScanVerdict.UNKNOWN:
        return ScanOutcome(verdict=verdict, flags=(Flag("minted", verdict, "never minted"),), url=URL, brand="acme",
                           brand_name="Acme Tea", gtin=GTIN, lot=LOT, serial=SERIAL)
    return replace(BASE, verdict=verdict, flags=(Flag(verdict.value, verdict, f"test flag for {verdict.value}"),))
