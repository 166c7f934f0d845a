"""`tracemark bench verify` end to end, briefly: a real server, real HTTP clients, both databases."""

from __future__ import annotations

from codegen.bench_verify import bench_verify


def test_bench_verify_measures_bare_json_and_html_without_errors(database_url: str) -> None:
    result = bench_verify(database_url=database_url, codes=40, clients=2, seconds=0.5)
    assert result.workers == 1
    assert result.server.startswith("tracemark serve --workers 1 (uvicorn ")
    assert result.server.endswith("), for /healthz and both verifications")
    assert result.database == database_url.split(":", 1)[0].split("+")[0]
    for figures in (result.bare, result.json, result.html):
        assert figures.errors == 0
        assert figures.requests > 0 and figures.per_s > 0
        assert 0 < figures.p50_ms <= figures.p99_ms
        assert figures.server_cpu_ms is not None and figures.server_cpu_ms > 0
    assert [f.name for f in (result.bare, result.json, result.html)] == ["bare /healthz", "verify JSON", "verify HTML"]
