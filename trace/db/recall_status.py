"""The recall status of a unit from its current state, as SQL (CBV 2.0 bizSteps and
dispositions); first match wins:

``verified`` (a consumer verification of the unit exists) · ``sold`` (retail_sold,
dispensed, or bizStep retail_selling/dispensing) · ``in_transit`` (in_transit, or bizStep
shipping/departing/transporting) · ``at_retailer`` (sellable_accessible, or bizStep
stocking) · ``in_warehouse`` (everything else: receiving/storing at a DC, at the factory,
never scanned).
"""

from __future__ import annotations


def status_sql(verified: str, row: str) -> str:
    """The status of ``row`` (an alias with ``biz_step`` and ``disposition`` columns), given
    ``verified``, an SQL condition that holds when the unit was verified."""
    return f"""CASE
  WHEN {verified} THEN 'verified'
  WHEN {row}.disposition IN ('retail_sold', 'dispensed', 'partially_dispensed')
       OR {row}.biz_step IN ('retail_selling', 'dispensing') THEN 'sold'
  WHEN {row}.disposition = 'in_transit' OR {row}.biz_step IN ('shipping', 'departing', 'transporting') THEN 'in_transit'
  WHEN {row}.disposition = 'sellable_accessible' OR {row}.biz_step = 'stocking' THEN 'at_retailer'
  ELSE 'in_warehouse' END"""


def item_kind_sql(key: str) -> str:
    """``item`` for an SGTIN element-string key (``01<gtin14>21<serial>``), else ``other``."""
    return f"CASE WHEN substr({key}, 1, 2) = '01' AND substr({key}, 17, 2) = '21' THEN 'item' ELSE 'other' END"
