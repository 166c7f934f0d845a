"""Unit lookup in Chromium: each event of the history carries its ledger proof, verified on the
server against the latest signed checkpoint (leaf index, checkpoint size, root, a link to the
public proof), so does the item's birth (its mint job's commissioning entry, rebuilt from the
stored job and units), an event newer than the checkpoint is pending, an event row edited after
capture does not verify, and the proof line reads in Chinese too."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import select, text, update

from console_site import shot, sign_in
from support.epcis_events import DC, SHOP, case, document, object_event
from trace.db.database import Database
from trace.db.events import EpcisEventRow
from trace.db.units import Unit
from trace.ledger import Checkpoint, open_note
from trace.services import ledger, tracing
from trace.services.capture import capture_document


@pytest.mark.browser
def test_history_shows_each_events_inclusion_proof(browser, console, runtime, database_url) -> None:
    base, cat, serials = console
    code = f"01{cat.gtin}21{serials[0]}"
    ledger.publish_checkpoint(runtime.db, runtime.key_store, "acme")
    # Leaf 0 is the mint job's commissioning record; the packing and the receiving events follow.
    packing, receiving = (h.hash_id for h in tracing.history(runtime.db, "acme", code))
    assert ledger.refs_of_leaves(runtime.db, "acme", [0, 1, 2, 3]) == {
        0: "commission:1", 1: f"epcis:{packing}", 2: f"epcis:{receiving}"}
    signed = open_note(ledger.latest_checkpoint(runtime.db, "acme"), ledger.verifier_key(runtime.db, "acme"))
    root = base64.b64encode(Checkpoint.parse(signed).root_hash).decode()
    capture_document(runtime.db, "acme", document([object_event(  # after the checkpoint
        "2026-11-03T10:00:00+08:00", [f"https://id.gs1.org/01/{cat.gtin}/21/{serials[0]}"], step="retail_selling",
        disposition="retail_sold", location=SHOP)]), captured_by="test")

    page = sign_in(browser, base, "viewer@acme.example")
    page.goto(f"{base}/console/lookup?code={code}")
    proofs = page.locator("#history li .proof")
    assert [p.get_attribute("data-proof") for p in proofs.all()] == ["verified", "verified", "pending"]
    assert [p.get_attribute("data-leaf") for p in proofs.all()] == ["1", "2", None]
    assert proofs.all_inner_texts()[:2] == [
        f"✓ leaf {leaf} · verified against checkpoint 3 (root {root[:12]}…) · inclusion proof" for leaf in (1, 2)]
    assert proofs.nth(2).inner_text() == "not yet in a signed checkpoint"
    assert page.locator("#checkpoint").get_attribute("data-size") == "3"
    assert root in page.locator("#checkpoint").inner_text()
    birth = page.locator("#commission")
    assert birth.get_attribute("data-ref") == "commission:1"
    assert birth.locator(".proof").get_attribute("data-proof") == "verified"
    assert birth.inner_text() == (f"Minted and commissioned by mint job 1\n"
                                  f"✓ leaf 0 · verified against checkpoint 3 (root {root[:12]}…) · inclusion proof")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "lookup-proofs", database_url)

    link = proofs.nth(1).locator("a[data-proof-link]").get_attribute("href")
    assert link.startswith("/ledger/acme/proof/inclusion?event=epcis%3Ani%3A///sha-256%3B") and link.endswith("&size=3")
    public = page.request.get(f"{base}{link}")  # the public endpoint, no session needed
    assert public.status == 200
    body = public.json()
    assert (body["event"], body["leaf_index"], body["tree_size"], body["root_hash"]) == (
        f"epcis:{receiving}", 2, 3, root)
    page.context.close()

    chinese = sign_in(browser, base, "viewer@acme.example", language="zh-CN")
    chinese.goto(f"{base}/console/lookup?code={code}")
    assert chinese.locator("#history li .proof").nth(0).inner_text() == (
        f"✓ 叶子 1 · 已对照检查点 3 验证（根 {root[:12]}…） · 包含证明")
    assert chinese.locator("#commission strong").inner_text() == "由赋码任务 1 生成并启用"
    chinese.context.close()

    # The receiving row rewritten after capture (another location): its proof no longer verifies.
    rewrite_event_row(runtime.db, receiving, lambda document: document.replace(DC, SHOP))
    page = sign_in(browser, base, "viewer@acme.example")
    page.goto(f"{base}/console/lookup?code={code}")
    proofs = page.locator("#history li .proof")
    assert [p.get_attribute("data-proof") for p in proofs.all()] == ["verified", "failed", "pending"]
    assert proofs.nth(1).inner_text().startswith(
        "✗ the ledger proof does NOT verify: leaf 2 does not verify against checkpoint 3: ")
    assert page.locator("#commission .proof").get_attribute("data-proof") == "verified"
    page.context.close()

    # A unit slipped into the mint job afterwards: the job's commissioning record no longer
    # hashes to leaf 0.
    with runtime.db.transaction() as session:
        minted = session.scalar(select(Unit).where(Unit.serial == serials[0]))
        session.add(Unit(brand_id=minted.brand_id, lot_id=minted.lot_id, mint_job_id=minted.mint_job_id,
                         gtin=minted.gtin, serial="SLIPPEDIN0001", kid=minted.kid, state=minted.state))
    page = sign_in(browser, base, "viewer@acme.example")
    page.goto(f"{base}/console/lookup?code={code}")
    assert page.locator("#commission .proof").get_attribute("data-proof") == "failed"
    assert page.locator("#commission .proof").inner_text().startswith(
        "✗ the ledger proof does NOT verify: leaf 0 does not verify against checkpoint 3: ")
    page.context.close()


@pytest.mark.browser
def test_before_the_first_checkpoint_every_event_is_pending(browser, console) -> None:
    base, cat, serials = console
    page = sign_in(browser, base, "admin@acme.example")
    page.goto(f"{base}/console/lookup?code=01{cat.gtin}21{serials[1]}")
    assert page.locator("#history li .proof").all_inner_texts() == ["not yet in a signed checkpoint"] * 2
    assert page.locator("#commission .proof").inner_text() == "not yet in a signed checkpoint"
    page.goto(f"{base}/console/lookup?code={case(1)}")  # a case is not minted: no birth line
    assert page.locator("#history li").count() == 2
    assert page.locator("#commission").count() == 0
    assert page.locator("#checkpoint").inner_text() == (
        "No signed checkpoint yet: the events are proven once the first one is published.")
    page.context.close()


def rewrite_event_row(db: Database, hash_id: str, change) -> None:
    """Edit a captured event row behind the append-only triggers (what an attacker with the
    database could do): PostgreSQL skips triggers as a replica; SQLite drops and re-creates them."""
    with db.engine.connect() as conn, conn.begin():
        triggers = []
        if db.dialect == "sqlite":
            triggers = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                         "AND tbl_name = 'epcis_event'")).all()
            for name, _ in triggers:
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
        else:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        document = conn.scalar(select(EpcisEventRow.document).where(EpcisEventRow.hash_id == hash_id))
        conn.execute(update(EpcisEventRow).where(EpcisEventRow.hash_id == hash_id).values(document=change(document)))
        for _, sql in triggers:
            conn.exec_driver_sql(sql)
