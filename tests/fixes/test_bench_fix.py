"""The fix, configuration and server benchmark runs end to end (figures: see the README)."""

from __future__ import annotations

from tests.benchmark_runs import missing_figures, quick_table


def test_bench_fix_quick_run_prints_every_figure() -> None:
    # The run also checks itself: a second `--diff` over the fixed copy finds nothing to fix.
    table = quick_table("bench_fix.py")
    figures = (
        "dense: checking every file with the fixes computed",
        "dense: `honeyhive-lint --fix --unsafe-fixes` vs `honeyhive-lint`",
        "stdlib: `honeyhive-lint` (a configuration lookup per directory) vs `--isolated`",
        "server: `didChange` to `publishDiagnostics`",
    )
    assert missing_figures(table, figures) == [], table
