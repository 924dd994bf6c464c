"""The server benchmark script runs end to end (its figures are not checked here: see the README).

Its quick run starts the real processes (uvicorn with the app untraced, with OpenTelemetry and
with HoneyHive; the fake OpenAI; the sink; the load generator) and checks itself while it runs:
every request answered 200, nothing dropped with the healthy backend.
"""

from __future__ import annotations

from tests.benchmark_runs import missing_figures, quick_table


def test_bench_server_quick_run_prints_every_figure() -> None:
    table = quick_table("bench_server.py")
    figures = (
        "requests/s, saturated: traced vs untraced",
        "requests/s, saturated: otel vs untraced",
        "app CPU per request, saturated",
        "latency p50 / p99, saturated",
        "latency p50 / p99, moderate rate",
        "event-loop lag p99, moderate rate",
        "event-loop lag p99, saturated",
        "`with` exit p50 / p99",
        "delivery, traced app",
    )
    assert missing_figures(table, figures) == [], table
