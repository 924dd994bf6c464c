"""The benchmark scripts' quick mode, as their smoke tests run it (figures are not checked here:
see the README)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = REPO_ROOT / "benchmarks"


def quick_table(script: str) -> list[str]:
    """Run `benchmarks/<script> --quick` and return the rows of the figure table it prints.

    The scripts check themselves while they run (same files for both tools, same reports with and
    without the plugin...), so a failed check is a failed run here.
    """
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO_ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "quick run" in result.stdout
    return [line for line in result.stdout.splitlines() if line.startswith("| ")]


def missing_figures(table: list[str], figures: Iterable[str]) -> list[str]:
    """The figures that no row of `table` names."""
    return [figure for figure in figures if not any(figure in row for row in table)]
