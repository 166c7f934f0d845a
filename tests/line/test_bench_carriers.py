"""`tracemark bench carriers --json` prints one object with every figure and its baseline."""

from __future__ import annotations

import json

from trace.cli.main import main


def test_bench_carriers_json(capsys) -> None:
    assert main(["bench", "carriers", "--labels", "200", "--renders", "2", "--sun", "50", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert set(figures) == {"labels", "zpl_labels_per_s", "zpl_baseline_labels_per_s", "epc_encodings_per_s",
                            "qr_svg_per_s", "datamatrix_svg_per_s", "sun_checks", "sun_checks_per_s",
                            "sun_baseline_cmac_per_s", "targets"}
    assert (figures["labels"], figures["sun_checks"]) == (200, 50)
    assert all(figures[k] > 0 for k in figures if k.endswith("_per_s"))
