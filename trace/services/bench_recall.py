"""`tracemark bench recall`: the blast radius of a lot and of a supplier lot over a large
dataset, next to a bare indexed count of the lot's items measured in the same run.

The dataset is generated in PostgreSQL itself (INSERT … SELECT generate_series), not
through capture: items (``unit`` + ``epc_state``) in cases of 50, cases in pallets of 40
(three aggregation levels), lots of ``lot_size`` items, pallets spread over five sites
and statuses. Two small TransformationEvents (supplier lot S1 → lots B0 and B1) are
captured for real, so the supplier-lot path reads the identifier index as it does in
production. ``epcis_event_epc`` is not filled for the generated items: the blast radius
does not read it (it reads ``epc_state`` and ``unit``).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text

from trace.db import migrate
from trace.db.database import Database
from trace.errors import ConfigurationError
from trace.identifiers.check_digit import compute_check_digit
from trace.services.capture import capture_document
from trace.services.recall import preview
from trace.services.recall_criteria import RecallCriteria

PER_CASE, PER_PALLET = 50, 40
SITES = (("urn:epc:id:sgln:9506000.13435.1", "receiving", "in_progress"),
         ("urn:epc:id:sgln:9506000.13435.2", "shipping", "in_transit"),
         ("urn:epc:id:sgln:9506000.13435.3", "stocking", "sellable_accessible"),
         ("urn:epc:id:sgln:9506000.13435.4", "storing", "sellable_not_accessible"),
         ("urn:epc:id:sgln:9506000.13435.5", "retail_selling", "retail_sold"))


@dataclass(frozen=True, slots=True)
class RecallBenchResult:
    database: str
    items: int
    lot_size: int
    build_seconds: float
    bare_count_seconds: float
    bare_count: int
    lot_seconds: float
    lot_units: int
    supplier_lot_seconds: float
    supplier_lot_units: int

    @property
    def lot_ratio(self) -> float:
        return self.lot_seconds / self.bare_count_seconds


def bench_recall(*, database_url: str, items: int = 10_000_000, lot_size: int = 100_000) -> RecallBenchResult:
    if not database_url.startswith("postgresql"):
        raise ConfigurationError("tracemark bench recall needs PostgreSQL: pass --database-url postgresql+psycopg2://…")
    migrate.upgrade(database_url)
    db = Database.from_url(database_url)
    try:
        slug = f"bench-{secrets.token_hex(3)}"
        began = time.perf_counter()
        brand_id = _generate(db, slug, items, lot_size)
        build = time.perf_counter() - began
        with db.engine.connect() as conn:
            lot_id = conn.scalar(text("SELECT l.id FROM lot l JOIN product p ON p.id = l.product_id "
                                      "WHERE p.brand_id = :b AND l.lot_number = 'B1'"), {"b": brand_id})
            bare = _best(lambda: conn.scalar(text("SELECT count(*) FROM unit WHERE lot_id = :l"), {"l": lot_id}))
        lot = RecallCriteria(gtin=gtin_of_run(brand_id), lots=("B1",))
        supplier = RecallCriteria(material_lots=("urn:epc:class:lgtin:9506000.113436.S1",))
        lot_preview = min((preview(db, slug, lot) for _ in range(3)), key=lambda p: p.seconds)
        supplier_preview = min((preview(db, slug, supplier) for _ in range(3)), key=lambda p: p.seconds)
        return RecallBenchResult(database="postgresql", items=items, lot_size=lot_size, build_seconds=build,
                                 bare_count_seconds=bare[0], bare_count=bare[1], lot_seconds=lot_preview.seconds,
                                 lot_units=lot_preview.total, supplier_lot_seconds=supplier_preview.seconds,
                                 supplier_lot_units=supplier_preview.total)
    finally:
        db.dispose()


def _best(run) -> tuple[float, int]:
    timings = []
    for _ in range(5):
        began = time.perf_counter()
        value = run()
        timings.append(time.perf_counter() - began)
    return min(timings), int(value)


def _generate(db: Database, slug: str, items: int, lot_size: int) -> int:
    lots = (items + lot_size - 1) // lot_size
    cases = (items + PER_CASE - 1) // PER_CASE
    pallets = (cases + PER_PALLET - 1) // PER_PALLET
    with db.transaction() as session:
        conn = session.connection()
        brand_id = conn.scalar(text("INSERT INTO brand (slug, name, domain, created_at) VALUES (:s, :s, "
                                    "'https://id.bench.example', now()) RETURNING id"), {"s": slug})
        gtin = gtin_of_run(brand_id)  # GTINs are unique across brands: one per run
        product_id = conn.scalar(text(
            "INSERT INTO product (brand_id, gtin, name, description, story_markdown, created_at) "
            "VALUES (:b, :g, 'Bench tea', '', '', now()) RETURNING id"),
            {"b": brand_id, "g": gtin})
        conn.execute(text(
            "INSERT INTO lot (product_id, lot_number, produced_on, line, site, qc_documents, created_at) "
            "SELECT :p, 'B' || n, :d, 'line-' || (n % 4), 'site', '[]', now() FROM generate_series(0, :n - 1) n"),
            {"p": product_id, "d": date(2026, 11, 1), "n": lots})
        job = conn.scalar(text("INSERT INTO mint_job (brand_id, lot_id, kid, count, output_format, requested_by, "
                               "created_at) SELECT :b, min(id), 'bench', :c, 'csv', 'bench', now() FROM lot "
                               "WHERE product_id = :p RETURNING id"), {"b": brand_id, "c": items, "p": product_id})
        prefix = "9"
        conn.execute(text(
            "INSERT INTO unit (brand_id, lot_id, mint_job_id, gtin, serial, kid, state, created_at) "
            "SELECT :b, l.id, :j, :g, :x || i, 'bench', 'active', now() FROM generate_series(0, :n - 1) i "
            "JOIN lot l ON l.product_id = :p AND l.lot_number = 'B' || (i / :ls)"),
            {"b": brand_id, "j": job, "g": gtin, "x": prefix, "n": items, "p": product_id, "ls": lot_size})
        sites = " ".join(f"WHEN {n} THEN '{v}'" for n, v in enumerate(s[0] for s in SITES))
        steps = " ".join(f"WHEN {n} THEN '{v}'" for n, v in enumerate(s[1] for s in SITES))
        dispositions = " ".join(f"WHEN {n} THEN '{v}'" for n, v in enumerate(s[2] for s in SITES))
        state = (f"CASE {{x}} % 5 {sites} END, CASE {{x}} % 5 {steps} END, CASE {{x}} % 5 {dispositions} END")
        sscc = "'00' || lpad({}::text, 18, '0')"
        columns = ("brand_id, epc_key, uri, last_event_row_id, last_event_time, biz_location, biz_step, disposition, "
                   "parent_key, updated_at")
        conn.execute(text(  # pallets (ids 9e9 + p), at one of five sites
            f"INSERT INTO epc_state ({columns}) SELECT :b, {sscc.format('(9000000000 + p)')}, 'https://id.gs1.org/00/' "
            f"|| lpad((9000000000 + p)::text, 18, '0'), 0, now(), {state.format(x='p')}, NULL, now() "
            "FROM generate_series(0, :n - 1) p"), {"b": brand_id, "n": pallets})
        conn.execute(text(  # cases inside pallets
            f"INSERT INTO epc_state ({columns}) SELECT :b, {sscc.format('c')}, 'https://id.gs1.org/00/' "
            f"|| lpad(c::text, 18, '0'), 0, now(), {state.format(x=f'(c / {PER_PALLET})')}, "
            f"{sscc.format(f'(9000000000 + c / {PER_PALLET})')}, now() FROM generate_series(0, :n - 1) c"),
            {"b": brand_id, "n": cases})
        conn.execute(text(  # items inside cases
            f"INSERT INTO epc_state ({columns}) SELECT :b, '01' || :g || '21' || :x || i, 'https://id.gs1.org/01/' "
            f"|| :g || '/21/' || :x || i, 0, now(), {state.format(x=f'(i / {PER_CASE * PER_PALLET})')}, "
            f"{sscc.format(f'(i / {PER_CASE})')}, now() FROM generate_series(0, :n - 1) i"),
            {"b": brand_id, "g": gtin, "x": prefix, "n": items})
        conn.execute(text("ANALYZE unit; ANALYZE epc_state"))
    capture_document(db, slug, _transformations(gtin), captured_by="bench")
    return brand_id


def gtin_of_run(brand_id: int) -> str:
    payload = f"0950600{brand_id % 1_000_000:06d}"
    return payload + str(compute_check_digit(payload))


def _transformations(gtin: str) -> dict:
    def event(minute: int, inputs: list[str], output: str) -> dict:
        return {"type": "TransformationEvent", "eventTime": f"2026-11-01T08:0{minute}:00Z",
                "eventTimeZoneOffset": "+00:00", "bizStep": "commissioning",
                "readPoint": {"id": SITES[0][0]},
                "inputQuantityList": [{"epcClass": f"urn:epc:class:lgtin:9506000.113436.{lot}", "quantity": 10,
                                       "uom": "KGM"} for lot in inputs],
                "outputQuantityList": [{"epcClass": f"https://id.gs1.org/01/{gtin}/10/{output}", "quantity": 1}]}

    return {"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"], "type": "EPCISDocument",
            "schemaVersion": "2.0", "creationDate": "2026-11-25T00:00:00Z",
            "epcisBody": {"eventList": [event(1, ["S1", "S2"], "B0"), event(2, ["S1"], "B1")]}}
