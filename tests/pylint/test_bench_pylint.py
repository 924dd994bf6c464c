"""The pylint benchmark runs end to end (its figures are not checked here: see the README)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_bench_pylint_quick_run_prints_every_figure() -> None:
    # The run checks itself too: the plugin reports nothing on the standard library, and every
    # other checker reports the same with and without it.
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "benchmarks" / "bench_pylint.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO_ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "quick run" in result.stdout
    table = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    for figure in (
        "pylint over the stdlib sample, end to end",
        "the plugin's own methods, in-process (CPU)",
        "`import pylint_honeyhive` after pylint",
    ):
        assert any(figure in row for row in table), (figure, result.stdout)
