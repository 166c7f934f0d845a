"""A recall preview's breakdown from counts instead of items: the items of a lot on 50
pallets are a few thousand summary rows (``item_state_count``, per outermost container and
lot, kept exact by database triggers), the containers a few thousand index entries.

The radius is the one of :mod:`trace.db.blast_radius`: the containers holding a lot item or
a named key, every container above them, everything inside those, and the seeds in no
container. Everything inside a container is inside its outermost container, so the radius
is whole trees: those of the roots (``epc_state.root_key``) of the lot's items and of the
named keys. Here

1. ``roots`` are the lot's count rows' roots and the named keys' roots (or the keys
   themselves when in no container);
2. ``box`` is every container under a root (the partial index
   ``ix_epc_state_container_root``: a case's items are never read), ``top`` the roots;
3. ``counted`` adds the roots, the boxes, the counts of everything else under the roots,
   and the lot's items in no container (from the counts, not the items).

It answers only when that is exact: every container is an SSCC (else items could hold
items, which the counts do not say), and every unit of the lots has a state (the lot's
unit count, ``lot_unit_count``, equals its counted states; else a state-less item, which
may still be verified, is counted by the item path). Otherwise it returns None and the
caller reads items (:func:`trace.db.blast_radius.breakdown`).
"""

from __future__ import annotations

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from trace.db.blast_radius import Seeds, bound, index_probes
from trace.db.recall_status import item_kind_sql, status_sql

_VERIFIED = "EXISTS (SELECT 1 FROM verification v WHERE v.brand_id = :b AND v.unit_key = {key})"
_STATE = "s.parent_key, s.biz_step, s.disposition, COALESCE(s.biz_location, s.read_point)"
_COUNTS = "NULLIF(c.biz_step, ''), NULLIF(c.disposition, ''), NULLIF(c.location, ''), c.kind, c.verified, c.n"

_SQL = f"""WITH
named(k) AS ({{named}}),
roots(k) AS (
  SELECT DISTINCT root_key FROM item_state_count WHERE brand_id = :b AND lot_id IN :lots AND root_key <> '' AND n <> 0
  UNION SELECT COALESCE(s.root_key, named.k) FROM named LEFT JOIN epc_state s ON s.brand_id = :b AND s.epc_key = named.k),
top(k, lot_id, parent_key, biz_step, disposition, location) AS (
  SELECT roots.k, s.lot_id, {_STATE} FROM roots LEFT JOIN epc_state s ON s.brand_id = :b AND s.epc_key = roots.k),
box(k, parent_key, biz_step, disposition, location) AS (
  SELECT s.epc_key, {_STATE} FROM roots
    JOIN epc_state s ON s.brand_id = :b AND s.root_key = roots.k AND substr(s.epc_key, 1, 2) = '00'),
pallet(k) AS (SELECT DISTINCT parent_key FROM box),
sscc_verified(k) AS (SELECT v.unit_key FROM verification v WHERE v.brand_id = :b AND v.unit_key < '01'),
counted(biz_step, disposition, location, kind, verified, n) AS (
  SELECT t.biz_step, t.disposition, t.location,
         CASE WHEN substr(t.k, 1, 2) <> '00' THEN {item_kind_sql("t.k")}
              WHEN t.k IN (SELECT k FROM pallet) THEN 'pallet' ELSE 'case' END,
         {_VERIFIED.format(key="t.k")}, 1
    FROM top t WHERE substr(t.k, 1, 2) = '00' OR t.lot_id IS NULL OR t.lot_id NOT IN :lots
  UNION ALL
  SELECT b.biz_step, b.disposition, b.location, CASE WHEN b.k IN (SELECT k FROM pallet) THEN 'pallet' ELSE 'case' END,
         b.k IN (SELECT k FROM sscc_verified), 1 FROM box b
  UNION ALL
  SELECT {_COUNTS} FROM item_state_count c WHERE c.brand_id = :b AND c.root_key IN (SELECT k FROM roots) AND c.n <> 0
  UNION ALL
  SELECT {_COUNTS} FROM item_state_count c WHERE c.brand_id = :b AND c.lot_id IN :lots AND c.root_key = '' AND c.n <> 0)
SELECT {status_sql("a.verified", "a")} AS status, a.location, a.kind, sum(a.n) FROM counted a GROUP BY 1, 2, 3"""


def breakdown(session: Session, brand_id: int, seeds: Seeds) -> list[tuple[str, str | None, str, int]] | None:
    """(status, location, kind, count) over the blast radius of ``seeds``, from the counts;
    None when the counts cannot answer exactly (see the module docstring)."""
    if not _only_sscc_containers(session, brand_id) or not _lots_counted(session, brand_id, seeds.lot_ids):
        return None
    postgres = session.get_bind().dialect.name == "postgresql"
    named = "SELECT unnest(CAST(:keys AS text[]))" if postgres else "SELECT value FROM json_each(:keys)"
    with index_probes(session):
        rows = session.execute(bound(_SQL.format(named=named), session, brand_id, seeds)).all()
    return [(r[0], r[1], r[2], int(r[3])) for r in rows if r[3]]


def _only_sscc_containers(session: Session, brand_id: int) -> bool:
    """Whether every container the brand's states name is an SSCC (two index probes)."""
    return session.execute(text("SELECT 1 FROM epc_state WHERE brand_id = :b AND parent_key IS NOT NULL"
                                " AND (parent_key < '00' OR parent_key >= '01') LIMIT 1"),
                           {"b": brand_id}).first() is None


def _lots_counted(session: Session, brand_id: int, lot_ids: tuple[int, ...]) -> bool:
    """Whether every unit of these lots has a state naming its lot (states take their lot
    from the unit with the same key, so equal counts mean the same units)."""
    if not lot_ids:
        return True
    return bool(session.execute(text(
        "SELECT (SELECT COALESCE(sum(n), 0) FROM lot_unit_count WHERE lot_id IN :lots)"
        " = (SELECT COALESCE(sum(n), 0) FROM item_state_count WHERE brand_id = :b AND lot_id IN :lots)").bindparams(
        bindparam("lots", value=list(lot_ids), expanding=True), b=brand_id)).scalar())
