"""The pylint benchmark runs end to end (its figures are not checked here: see the README)."""

from __future__ import annotations

from tests.benchmark_runs import missing_figures, quick_table


def test_bench_pylint_quick_run_prints_every_figure() -> None:
    # The run checks itself too: the plugin reports nothing on the standard library, and every
    # other checker reports the same with and without it.
    table = quick_table("bench_pylint.py")
    figures = (
        "pylint over the stdlib sample, end to end",
        "the plugin's own methods, in-process (CPU)",
        "`import pylint_honeyhive` after pylint",
    )
    assert missing_figures(table, figures) == [], table
