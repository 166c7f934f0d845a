"""Issue 7's scenario: a supplier lot turns out bad. The recall by that lot must find
exactly the items, cases and pallets an independent computation finds, say where they
are, flip their consumer-visible state, queue partner notices and track returns to the end.
PostgreSQL: 100,000 items in 1,000 cases on 50 pallets; SQLite: 10,000 items."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from sqlalchemy import select

from recall_world import GTIN, RETURN_POINT, SITES, build, item_key, return_all, sscc, sscc_key
from trace.db.events import EpcState
from trace.domain.epcis import parse_identifier
from trace.services import recall, webhooks
from trace.services.recall_criteria import RecallCriteria


def expected(world) -> tuple[set[str], set[str], set[str]]:
    """Items, cases, pallets affected by supplier lot S2 (→ lot LA), computed from the generated data."""
    lots = world.item_lot()
    bad_items = {s for s, lot in lots.items() if lot == "LA"}
    # Current containment: cases hold their items except the unpacked ones; pallets hold their cases.
    case_of = {s: c for c, serials in world.case_items.items() for s in serials if s not in world.loose}
    cases = {case_of[s] for s in bad_items if s in case_of}
    pallets = {world.case_pallet[c] for c in cases}
    cases |= {c for c, p in world.case_pallet.items() if p in pallets}
    items = bad_items | {s for s, c in case_of.items() if c in cases}
    return ({item_key(s) for s in items}, {sscc_key(c) for c in cases},
            {sscc_key(world.pallet_of(p)) for p in pallets})


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[bytes]]]:
    """A partner's webhook endpoint on 127.0.0.1, keeping every body it is sent."""
    bodies: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/recalls", bodies
    server.shutdown()


def test_recall_by_supplier_lot(runtime, receiver) -> None:
    big = runtime.db.engine.dialect.name == "postgresql"
    began = time.perf_counter()
    world = build(runtime, per_case=100 if big else 10)
    built = time.perf_counter() - began
    items, cases, pallets = expected(world)
    url, bodies = receiver
    secret = runtime.settings.secret_key_bytes()
    webhooks.register(runtime.db, secret, brand="acme", url=url, kinds=("recall.started",))
    assert len(pallets) == 21 and len(cases) == 21 * 20  # pallets 0-19 plus LC pallet 40 (holding LA case 5)

    criteria = RecallCriteria(material_lots=("urn:epc:class:lgtin:9506000.113436.S2",), return_points=(RETURN_POINT,))
    seen = recall.preview(runtime.db, "acme", criteria)
    assert seen.by_kind == {"item": len(items), "case": len(cases), "pallet": len(pallets)}
    assert seen.total == len(items) + len(cases) + len(pallets)
    half = world.per_case // 2
    assert seen.by_status["verified"] == 2 and seen.by_status["sold"] == half - 2
    assert seen.by_status["in_transit"] == 10 * (1 + 20 + 20 * world.per_case)
    # Pallets 0-9 are on a shop's shelves, the unsold items of the unpacked case with them.
    assert seen.by_status["at_retailer"] == 10 * (1 + 20 + 20 * world.per_case) - half
    assert seen.by_location[SITES[range(0, 10)][0]] == 10 * (1 + 20 + 20 * world.per_case)
    assert seen.by_location[SITES[range(40, 50)][0]] == 1 + 20 + 20 * world.per_case

    started = recall.start(runtime.db, "acme", criteria, reason="supplier lot S2 contaminated", by="qa@acme",
                           reference="RC-S2")
    assert (started.status, started.reference) == ("active", "RC-S2")
    with runtime.db.reading() as session:
        recalled = set(session.scalars(select(EpcState.epc_key).where(EpcState.disposition == "recalled")))
    report = webhooks.deliver_due(runtime.db, secret, limit=10_000)
    assert (report.retried, report.failed) == (0, 0)
    notices = [json.loads(body) for body in bodies]
    assert recalled == items | cases | pallets
    assert {n["kind"] for n in notices} == {"recall.started"}
    assert {parse_identifier(u).key for n in notices for u in n["identifiers"]} == items | cases | pallets

    progress = recall.progress(runtime.db, "acme", started.id)
    assert (progress.total, progress.recovered, progress.outstanding) == (seen.total, 0, seen.total)

    # Pallets come back with everything in them; the loose LA items come back one by one.
    loose = [f"https://id.gs1.org/01/{GTIN}/21/{s}" for s, lot in world.loose.items() if lot == "LA"]
    return_all(runtime, world, [sscc(world.pallet_of(p)) for p in range(20)] + [sscc(world.pallet_of(40))] + loose)
    progress = recall.progress(runtime.db, "acme", started.id)
    assert (progress.recovered, progress.outstanding) == (seen.total, 0)
    assert [d.cumulative for d in progress.daily][-1] == seen.total
    closed = recall.close(runtime.db, "acme", started.id, by="qa@acme")
    assert (closed.status, closed.closed_by) == ("closed", "qa@acme")
    print(f"\nscenario on {runtime.db.engine.dialect.name}: {len(items):,} items affected; built in {built:.1f} s, "
          f"total {time.perf_counter() - began:.1f} s")
