"""The dataset of `tracemark bench recall`: millions of items in cases on pallets, loaded
with COPY, kept between runs.

Items (``unit`` + their ``epc_state``, with the ``lot_id`` capture writes) in cases of 50,
cases on pallets of 40 cases (three aggregation levels), lots of ``lot_size`` items; each
pallet stands at one of five sites in one of five states, its cases and items with it. One item in a thousand was verified
by a consumer. Two small TransformationEvents (supplier lot S1 → lots B0 and B1) are
captured for real, so the supplier-lot path reads the identifier index as in production;
``epcis_event_epc`` is not filled for the generated items (the blast radius reads
``epc_state`` and ``unit``).

A dataset is a brand named ``bench-recall-<items>x<lot size>-<random>``. Its rows are
loaded in one transaction and its TransformationEvents captured last, so a dataset whose
events exist is complete and can be measured again (``reuse``) instead of rebuilt.
"""

from __future__ import annotations

import io
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text

from trace.db.database import Database
from trace.identifiers.check_digit import compute_check_digit
from trace.services.capture import capture_document

PER_CASE, PER_PALLET = 50, 40
VERIFIED_EVERY = 1000
"""One item in this many has a consumer verification (the ``verified`` status)."""
CHUNK = 200_000
"""Rows per COPY statement: the unit of progress."""
SERIAL_PREFIX = "9"
SUPPLIER_LOT = "urn:epc:class:lgtin:9506000.113436.S1"
SITES = (("urn:epc:id:sgln:9506000.13435.1", "receiving", "in_progress"),
         ("urn:epc:id:sgln:9506000.13435.2", "shipping", "in_transit"),
         ("urn:epc:id:sgln:9506000.13435.3", "stocking", "sellable_accessible"),
         ("urn:epc:id:sgln:9506000.13435.4", "storing", "sellable_not_accessible"),
         ("urn:epc:id:sgln:9506000.13435.5", "retail_selling", "retail_sold"))
_TIME = "2026-11-01 08:00:00+00"
_NULL = "\\N"  # COPY text format
_STATE_COLUMNS = ("brand_id, epc_key, uri, last_event_row_id, last_event_time, biz_step, disposition, "
                  "biz_location, parent_key, updated_at, lot_id, root_key")
_UNIT_COLUMNS = "brand_id, lot_id, mint_job_id, gtin, serial, kid, state, created_at"


@dataclass(frozen=True, slots=True)
class RecallDataset:
    slug: str
    brand_id: int
    gtin: str
    items: int
    lot_size: int
    build_seconds: float | None
    """None when an existing dataset was reused."""


def dataset_rows(items: int) -> int:
    """Rows a build loads (units, item states, case states, pallet states): the progress total."""
    cases = -(-items // PER_CASE)
    return 2 * items + cases + -(-cases // PER_PALLET)


def recall_dataset(db: Database, *, items: int, lot_size: int, reuse: bool = False,
                   progress: Callable[[int], None] | None = None) -> RecallDataset:
    """A complete dataset of this size: the newest one already built when ``reuse``, else a new one."""
    if reuse:
        found = _complete(db, items, lot_size)
        if found is not None:
            slug, brand_id = found
            return RecallDataset(slug, brand_id, gtin_of_brand(brand_id), items, lot_size, None)
    began = time.perf_counter()
    slug = f"{_family(items, lot_size)}{secrets.token_hex(3)}"
    brand_id = _load(db, slug, items, lot_size, progress or (lambda n: None))
    capture_document(db, slug, _transformations(gtin_of_brand(brand_id)), captured_by="bench")
    _vacuum(db)
    return RecallDataset(slug, brand_id, gtin_of_brand(brand_id), items, lot_size, time.perf_counter() - began)


def gtin_of_brand(brand_id: int) -> str:
    """GTINs are unique across brands: one per dataset."""
    payload = f"0950600{brand_id % 1_000_000:06d}"
    return payload + str(compute_check_digit(payload))


def _family(items: int, lot_size: int) -> str:
    return f"bench-recall-{items}x{lot_size}-"


def _complete(db: Database, items: int, lot_size: int) -> tuple[str, int] | None:
    with db.reading() as session:
        row = session.execute(text(
            "SELECT b.slug, b.id FROM brand b WHERE b.slug LIKE :family AND EXISTS (SELECT 1 FROM epcis_event e "
            "WHERE e.brand_id = b.id AND e.event_type = 'TransformationEvent') ORDER BY b.id DESC LIMIT 1"),
            {"family": _family(items, lot_size) + "%"}).first()
    return (row[0], row[1]) if row else None


def _load(db: Database, slug: str, items: int, lot_size: int, progress: Callable[[int], None]) -> int:
    lots = -(-items // lot_size)
    cases = -(-items // PER_CASE)
    pallets = -(-cases // PER_PALLET)
    with db.transaction() as session:
        conn = session.connection()
        # The generated rows reference the brand, lots and mint job made just above; checking
        # three foreign keys per row through their triggers would take most of the load time.
        # Only for this transaction (SET LOCAL), which touches no append-only table.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        brand_id = conn.scalar(text("INSERT INTO brand (slug, name, domain, created_at) VALUES (:s, :s, "
                                    "'https://id.bench.example', now()) RETURNING id"), {"s": slug})
        gtin = gtin_of_brand(brand_id)
        product_id = conn.scalar(text(
            "INSERT INTO product (brand_id, gtin, name, description, story_markdown, created_at) "
            "VALUES (:b, :g, 'Bench tea', '', '', now()) RETURNING id"), {"b": brand_id, "g": gtin})
        conn.execute(text(
            "INSERT INTO lot (product_id, lot_number, produced_on, line, site, qc_documents, created_at) "
            "SELECT :p, 'B' || n, :d, 'line-' || (n % 4), 'site', '[]', now() FROM generate_series(0, :n - 1) n"),
            {"p": product_id, "d": date(2026, 11, 1), "n": lots})
        lot_ids = {n: i for n, i in conn.execute(text("SELECT lot_number, id FROM lot WHERE product_id = :p"),
                                                 {"p": product_id})}
        job = conn.scalar(text("INSERT INTO mint_job (brand_id, lot_id, kid, count, output_format, requested_by, "
                               "created_at) VALUES (:b, :l, 'bench', :c, 'csv', 'bench', now()) RETURNING id"),
                          {"b": brand_id, "l": lot_ids["B0"], "c": items})
        lot_of = [lot_ids[f"B{n}"] for n in range(lots)]
        cursor = conn.connection.driver_connection.cursor()

        def copy(table: str, columns: str, lines: Iterator[str], count: int) -> None:
            for start in range(0, count, CHUNK):
                cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN",
                                   io.StringIO("".join(next(lines) for _ in range(min(CHUNK, count - start)))))
                progress(min(CHUNK, count - start))

        copy("unit", _UNIT_COLUMNS, (f"{brand_id}\t{lot_of[i // lot_size]}\t{job}\t{gtin}\t{SERIAL_PREFIX}{i}\tbench"
                                     f"\tactive\t{_TIME}\n" for i in range(items)), items)
        # Units were loaded without their triggers: count them per lot here. States and
        # verifications have no foreign key: their triggers keep the recall counts.
        conn.execute(text("INSERT INTO lot_unit_count (lot_id, n) SELECT lot_id, count(*) FROM unit"
                          " WHERE brand_id = :b GROUP BY lot_id"), {"b": brand_id})
        conn.execute(text("SET LOCAL session_replication_role = origin"))
        copy("epc_state", _STATE_COLUMNS, _pallet_states(brand_id, pallets), pallets)
        copy("epc_state", _STATE_COLUMNS, _case_states(brand_id, cases), cases)
        copy("epc_state", _STATE_COLUMNS, _item_states(brand_id, gtin, items, lot_of, lot_size), items)
        conn.execute(text(
            "INSERT INTO verification (brand_id, unit_key, verified_at, audit_group, client_hash, verdict, flags) "
            "SELECT :b, '01' || :g || '21' || :x || i, now(), 'bench', '\\x00000000000000000000000000000000'::bytea,"
            " 'genuine', '[]' FROM generate_series(0, :n - 1, :every) i"),
            {"b": brand_id, "g": gtin, "x": SERIAL_PREFIX, "n": items, "every": VERIFIED_EVERY})
    return brand_id


def _sscc(n: int) -> str:
    return f"00{n:018d}"


def _state(brand_id: int, key: str, uri: str, site: int, parent: str | None, lot_id: int | None = None,
           root: str | None = None) -> str:
    location, step, disposition = SITES[site % len(SITES)]
    return (f"{brand_id}\t{key}\t{uri}\t0\t{_TIME}\t{step}\t{disposition}\t{location}\t{parent or _NULL}"
            f"\t{_TIME}\t{_NULL if lot_id is None else lot_id}\t{root or parent or _NULL}\n")


def _pallet_states(brand_id: int, pallets: int) -> Iterator[str]:
    for p in range(pallets):
        key = _sscc(9_000_000_000 + p)
        yield _state(brand_id, key, f"https://id.gs1.org/00/{key[2:]}", p, None)


def _case_states(brand_id: int, cases: int) -> Iterator[str]:
    for c in range(cases):
        key = _sscc(c)
        yield _state(brand_id, key, f"https://id.gs1.org/00/{key[2:]}", c // PER_PALLET,
                     _sscc(9_000_000_000 + c // PER_PALLET))


def _item_states(brand_id: int, gtin: str, items: int, lot_of: list[int], lot_size: int) -> Iterator[str]:
    per_pallet = PER_CASE * PER_PALLET
    for i in range(items):
        serial = f"{SERIAL_PREFIX}{i}"
        yield _state(brand_id, f"01{gtin}21{serial}", f"https://id.gs1.org/01/{gtin}/21/{serial}", i // per_pallet,
                     _sscc(i // PER_CASE), lot_of[i // lot_size], _sscc(9_000_000_000 + i // per_pallet))


def _vacuum(db: Database) -> None:
    """Statistics for the planner, and the visibility map that lets the bare count stay in the index."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE) unit, epc_state, verification, item_state_count, lot_unit_count"))


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
