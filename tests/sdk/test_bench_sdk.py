"""The SDK benchmark script runs end to end (its figures are not checked here: see the README)."""

from __future__ import annotations

from tests.benchmark_runs import missing_figures, quick_table


def test_bench_sdk_quick_run_prints_every_figure() -> None:
    table = quick_table("bench_sdk.py")
    figures = ("@tracer.trace", "HoneyHiveTracer.init", "enrich_session", "session_id=own")
    assert missing_figures(table, figures) == [], table
