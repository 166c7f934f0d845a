"""`tracemark bench carriers`: carrier output rates next to a baseline measured in the same run.

- ZPL labels/s (``codegen.zpl.zpl_label``: checks, escaping, template) vs the bare ``%``
  formatting of the same labels into the same template — the floor any ZPL writer pays;
- EPC encodings/s (SGTIN-96 hex of numeric serials), GS1 DataMatrix and QR SVG renders/s;
- SUN checks are measured by ``verify.bench_sun`` (codegen may not import verify); the
  CLI prints both.

Target (issue 5): ZPL ≥ 100,000 labels/s, so signing stays the only cost of minting that
matters.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass

from codegen import datamatrix, qr_image, zpl
from codegen.epc_plan import sgtin_epc
from codegen.label import LabelCode
from codegen.serials import numeric_serials, random_serials

_GTIN = "09506000134352"
_LOT = "LOT-2026/11"
_STEM = "https://id.acme.example/01/09506000134352/10/LOT-2026%2F11/21/"


@dataclass(frozen=True, slots=True)
class CarrierBench:
    labels: int
    zpl_labels_per_s: float
    zpl_baseline_labels_per_s: float
    epc_encodings_per_s: float
    qr_svg_per_s: float
    datamatrix_svg_per_s: float


def _rate(count: int, run: Callable[[], object], *, repeat: int = 1) -> float:
    """Items per second of the best of ``repeat`` runs (the others carry warm-up and GC noise)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return count / max(best, 1e-9)


def _codes(count: int) -> list[LabelCode]:
    expires = datetime.date(2028, 10, 31)
    signature = "A" * 90
    return [LabelCode(f"{_STEM}{s}?8030={signature}", _GTIN, _LOT, s, expires) for s in random_serials(count)]


def bench_carriers(*, labels: int = 200_000, renders: int = 200) -> CarrierBench:
    """Measure every carrier on synthetic codes (no database, no signing)."""
    codes = _codes(labels)
    template, _ = zpl._templates(203)
    rows = [(c.url, c.gtin, c.lot, c.serial, c.expires.isoformat()) for c in codes]  # type: ignore[union-attr]
    baseline = _rate(labels, lambda: [template % row for row in rows], repeat=3)
    zpl_rate = _rate(labels, lambda: [zpl.zpl_label(c) for c in codes], repeat=3)
    serials = numeric_serials(labels)
    epc_rate = _rate(labels, lambda: [sgtin_epc(_GTIN, s, company_prefix_length=7).to_hex() for s in serials])
    few = codes[:renders]
    qr_rate = _rate(len(few), lambda: [qr_image.svg_bytes(c) for c in few])
    dm_rate = _rate(len(few), lambda: [datamatrix.svg_bytes(c) for c in few])
    return CarrierBench(labels=labels, zpl_labels_per_s=zpl_rate, zpl_baseline_labels_per_s=baseline,
                        epc_encodings_per_s=epc_rate, qr_svg_per_s=qr_rate, datamatrix_svg_per_s=dm_rate)
